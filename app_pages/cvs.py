"""My CVs: upload a CV once, see what was read from it, pick the default, download or delete it."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from core.errors import AppError
from core.student import cvs
from core.ui.clock import when
from core.ui.cv_view import structured_cv
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain

actor = current_actor()
ctx = get_ctx()
state = st.session_state
NO_CV = 0  # row ids start at 1: "no CV chosen" in the session keys below
state.setdefault("cv_upload_round", 0)  # bumped after a successful upload to empty the uploader

st.title("My CVs")
st.caption("Upload your CV once; job matches and interview practice use your default CV unless you pick another.")

if flash := state.pop("cv_flash", None):
    st.success(plain(flash), icon=":material/check_circle:")


def show_refusal(name: str, reason: str) -> None:
    st.error(f"We could not add {plain(name)}. {plain(reason)}", icon=":material/error:")


def forget_refusal() -> None:
    """A new file (or none) was chosen: the last file's refusal no longer applies."""
    state.pop("cv_failed_upload", None)


def handle_upload(uploaded: UploadedFile) -> None:
    """Validate, read and store the file once; a refusal is shown at once, in the open, and remembered (for this
    file only) so reruns do not repeat the work."""
    failed = state.get("cv_failed_upload")
    if failed and failed[0] == uploaded.file_id:
        show_refusal(uploaded.name, failed[1])
        return
    record, refusal = None, None
    reading = f"Reading {plain(uploaded.name)}: checking the file, extracting its text, finding your details…"
    with st.spinner(reading), user_errors():
        try:
            record = cvs.upload_cv(ctx, actor, uploaded.name, uploaded.getvalue())
        except AppError as error:
            refusal = error.message
    if refusal is not None:
        state["cv_failed_upload"] = (uploaded.file_id, refusal)
        show_refusal(uploaded.name, refusal)
    if record is None:
        return
    state["cv_flash"] = (
        f"You had already uploaded this file, as {record.filename}." if record.reused else f"Added {record.filename}."
    )
    state["cv_selected"] = record.id
    state["cv_upload_round"] += 1
    state.pop("cv_failed_upload", None)
    st.rerun()


uploaded = st.file_uploader(
    f"Upload a CV (PDF, Word DOCX or plain text, up to {ctx.settings.max_upload_mb:g} MB)",
    type=["pdf", "docx", "txt"],
    max_upload_size=ctx.settings.upload_transport_mb,
    key=f"cv_upload_{state.cv_upload_round}",
    on_change=forget_refusal,
)
if uploaded is not None:
    handle_upload(uploaded)

records: list[cvs.CVRecord] = []
with user_errors():
    records = cvs.list_cvs(ctx, actor)

if not records:
    st.info(
        "You have no CVs yet. Upload the CV you send to employers — a PDF, a Word (DOCX) file or plain text. "
        "We read it once, show you what recruiters' software sees in it, and use it for job matches and "
        "interview practice.",
        icon=":material/upload_file:",
    )
    st.stop()


def select_cv(cv_id: int) -> None:
    state["cv_selected"] = cv_id


st.subheader("Your CVs")
for record in records:
    with st.container(border=True):
        left, right = st.columns([5, 1], vertical_alignment="center")
        badge = " :green-badge[:material/star: Default]" if record.is_default else ""
        left.markdown(f"**{plain(record.filename)}**{badge}")
        left.caption(
            f"{record.file_type.upper()} · {record.size_bytes / 1024:.0f} KB · "
            f"uploaded {when(record.created_at)}"
        )
        right.button("Open", key=f"cv_open_{record.id}", on_click=select_cv, args=(record.id,))

by_id = {record.id: record for record in records}
selected = by_id.get(state.get("cv_selected", NO_CV)) or records[0]

st.divider()
st.subheader(plain(selected.filename))
download_col, default_col, delete_col = st.columns(3)
with download_col, user_errors():
    name, data = cvs.download_cv(ctx, actor, selected.id)
    st.download_button(
        "Download", data, file_name=name, mime=selected.content_type, icon=":material/download:",
        key="cv_download", on_click="ignore",
    )  # fmt: skip
if default_col.button(
    "Default CV" if selected.is_default else "Make default",
    key="cv_make_default",
    disabled=selected.is_default,
    icon=":material/star:",
):
    with user_errors():
        cvs.set_default(ctx, actor, selected.id)
        state["cv_flash"] = f"{selected.filename} is now your default CV."
        st.rerun()
if delete_col.button("Delete", key="cv_delete", icon=":material/delete:"):
    state["cv_confirm_delete"] = selected.id


def clear_delete_flag() -> None:
    state.pop("cv_confirm_delete", None)


@st.dialog("Delete this CV?", on_dismiss=clear_delete_flag)
def confirm_delete(record: cvs.CVRecord) -> None:
    st.write(
        f"**{record.filename}** and its stored file will be deleted. Past job matches and interviews keep "
        "their reports."
    )
    yes, no = st.columns(2)
    if yes.button("Delete", type="primary", key="cv_delete_confirm"):
        clear_delete_flag()
        with user_errors():
            cvs.delete_cv(ctx, actor, record.id)
            state["cv_flash"] = f"Deleted {record.filename}."
            state.pop("cv_selected", None)
            st.rerun()
    if no.button("Cancel", key="cv_delete_cancel"):
        clear_delete_flag()
        st.rerun()


if (pending := by_id.get(state.get("cv_confirm_delete", NO_CV))) is not None:
    confirm_delete(pending)

structured_tab, text_tab = st.tabs(["What we read", "Extracted text"])
with structured_tab:
    structured_cv(selected.parsed)
with text_tab:
    st.text_area("Text extracted from the file", selected.text, height=400, disabled=True, key=f"cv_text_{selected.id}")
