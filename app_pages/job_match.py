"""Job match: pick a CV and a job (saved, catalogue or pasted), pay one analysis, read and download the report."""

from __future__ import annotations

import streamlit as st

from core.billing import ledger
from core.student import analyses, cvs, jobs
from core.ui.actions import clicked, done, flash, once_button, show_flashes
from core.ui.clock import DATE, when
from core.ui.feedback import user_errors
from core.ui.report import render_report
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain
from core.ui.widgets import history_row

MY_JOBS, CATALOGUE, PASTE = "My jobs", "Catalogue", "Paste a job"

actor = current_actor()
ctx = get_ctx()
state = st.session_state

st.title("Job match")
st.caption("Score your CV against a job the way applicant-tracking software does, and get a plan to close the gaps.")
show_flashes()


def open_report(analysis_id: int) -> None:
    state["jm_open"] = analysis_id


def choose_job() -> dict | None:
    """The job part of the request, drawn from the chosen source; None when there is nothing to pick."""
    saved = jobs.list_jobs(ctx, actor)
    default = MY_JOBS if saved else CATALOGUE
    source = st.segmented_control("Job", [MY_JOBS, CATALOGUE, PASTE], default=default, key="jm_source") or default
    if source == MY_JOBS and not saved:
        st.info("You have no saved jobs yet: pick one from the catalogue, paste one, or add one on the Jobs page.")
        return None
    if source == MY_JOBS:
        by_id = {job.id: job for job in saved}
        job_id = st.selectbox(
            "Saved job", list(by_id), key="jm_job",
            format_func=lambda i: by_id[i].label + (" · from your cohort" if by_id[i].source == "cohort" else ""),
        )  # fmt: skip
        return {"source": MY_JOBS, "job_id": job_id, "text": by_id[job_id].text}
    if source == CATALOGUE:
        query_col, where_col = st.columns([2, 1])
        query = query_col.text_input("Search roles by title or skill", key="jm_query", placeholder="e.g. data analyst")
        where = where_col.text_input("Location", key="jm_where", placeholder="e.g. Bengaluru or remote")
        found = (
            jobs.search_catalogue(query, where)
            if query.strip() or where.strip()
            else jobs.suggested_catalogue(ctx, actor, limit=20)
        )
        if not found:
            st.info("No catalogue roles match that search. Try a skill such as 'sql' or clear the location.")
            return None
        by_key = {posting.key: posting for posting in found}
        key = st.selectbox(
            "Catalogue role", list(by_key), key="jm_catalogue",
            format_func=lambda k: f"{by_key[k].title} — {by_key[k].company} · {by_key[k].location}",
        )  # fmt: skip
        with st.expander("Read the posting"):
            st.text(by_key[key].text)
        return {"source": CATALOGUE, "key": key, "text": by_key[key].text}
    st.text_input("Job title (optional)", key="jm_title", placeholder="e.g. Junior Data Analyst")
    st.text_area("Job description", key="jm_text", height=220, placeholder="Paste the whole job posting here.")
    return {"source": PASTE, "text": state.get("jm_text", "")}


def run(cv_id: int, request: dict) -> analyses.AnalysisRecord:
    """Turn the request into a paid analysis; pasted text is read now, so the latest typing counts."""
    if request["source"] == CATALOGUE:
        return analyses.run_analysis(ctx, actor, cv_id, job_id=jobs.from_catalogue(ctx, actor, request["key"]).id)
    if request["source"] == MY_JOBS:
        return analyses.run_analysis(ctx, actor, cv_id, job_id=request["job_id"])
    return analyses.run_analysis(ctx, actor, cv_id, pasted_text=state.get("jm_text", ""), title=state.get("jm_title"))


def handle_run(request_key: str, payload: dict) -> None:
    if state.get("jm_last_run") == request_key:  # a double click: this request already made its report
        return
    record = None
    with st.status("Matching your CV against the job…", expanded=True) as status:
        st.write("Reading the job description, scoring your CV and writing your plan…")
        with user_errors():
            record = run(payload["cv_id"], payload["job"])
        if record is None:
            status.update(label="No report was made", state="error", expanded=True)
            return
        status.update(label="Report ready", state="complete", expanded=False)
    state["jm_last_run"] = request_key
    done("jm_run")
    open_report(record.id)
    flash(f"Your report for {record.job_title} is ready: {record.overall_score} / 100. "
          f"{record.credits_charged} credit(s) used.")  # fmt: skip
    st.rerun()


records = cvs.list_cvs(ctx, actor)
if not records:
    st.info("Upload a CV first; then come back to match it against a job.", icon=":material/upload_file:")
    st.page_link("app_pages/cvs.py", label="Go to My CVs", icon=":material/description:")
else:
    with st.container(border=True):
        by_cv = {record.id: record for record in records}
        cv_id = st.selectbox(
            "CV", list(by_cv), key="jm_cv",
            format_func=lambda i: by_cv[i].filename + (" (default)" if by_cv[i].is_default else ""),
        )  # fmt: skip
        job = choose_job()
        price = ctx.settings.price_cv_analysis
        cost = f"{price} credit{'s' if price != 1 else ''}"
        same = analyses.same_question(ctx, actor, cv_id, job["text"]) if job else None
        if same is None:
            st.caption(f"A match costs {cost}; you have {ledger.balance(ctx, actor)}. If anything fails, the credit "
                       "goes straight back. Reopening a past report is free.")  # fmt: skip
            once_button("Run match", name="jm_run", payload={"cv_id": cv_id, "job": job}, type="primary",
                        icon=":material/analytics:", disabled=job is None)  # fmt: skip
        else:
            st.caption(f"You matched this CV against this job on {when(same.created_at, DATE)} ({same.overall_score} / "
                       f"100). Opening that report is free; a new run costs {cost} (you have "
                       f"{ledger.balance(ctx, actor)}) and scores the same, since neither the CV nor the job "
                       "changed.")  # fmt: skip
            reopen, again = st.columns(2)
            reopen.button("Open that report (free)", key="jm_reopen", type="primary", icon=":material/history:",
                          on_click=open_report, args=(same.id,), disabled=same.id == state.get("jm_open"))  # fmt: skip
            with again:
                once_button(f"Run again anyway ({cost})", name="jm_run", payload={"cv_id": cv_id, "job": job},
                            icon=":material/refresh:")  # fmt: skip
# Handled whatever is drawn above: the CV picked when the button was drawn may have been deleted since.
if (click := clicked("jm_run")) is not None:
    handle_run(*click)

if (open_id := state.get("jm_open")) is not None:
    with user_errors():
        st.divider()
        render_report(analyses.get_analysis(ctx, actor, open_id), key="jm_report")

history = analyses.list_analyses(ctx, actor)
if history:
    st.divider()
    st.subheader("Past reports")
    for item in history:
        history_row(
            f"**{plain(item.job_title)}**  \n{plain(item.cv_label)} · {when(item.created_at)}",
            "Score", item.overall_score,
            button="Open", key=f"jm_open_{item.id}", on_click=open_report, args=(item.id,),
            disabled=item.id == open_id,
        )  # fmt: skip
