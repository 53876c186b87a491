"""Account: your profile (name, role, target roles), change or set a password, download all your data, delete
your account."""

import streamlit as st

from core.access import Role
from core.accounts import privacy, sso, users
from core.student import jobs
from core.ui import auth
from core.ui import sso as sso_ui
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain

actor = current_actor()
st.title("Account")
st.markdown(f"**{plain(actor.name)}** · {plain(actor.email)} · {actor.role.title()}")
if actor.role == Role.STUDENT:  # target roles live on the profile; the Jobs page edits them beside the catalogue
    roles = jobs.target_roles(get_ctx(), actor)
    st.write("**Target roles:** " + (", ".join(roles) or "none yet"))
    st.page_link("app_pages/jobs.py", label="Change target roles on the Jobs page", icon=":material/work:")

has_password = users.has_password(get_ctx(), actor)
if linked := sso.linked_providers(get_ctx(), actor):
    labels = {provider.name: provider.label for provider in sso_ui.configured_providers()}
    st.write("**Single sign-on:** " + ", ".join(dict.fromkeys(labels.get(name, name) for name in linked)))
with st.form("change_password", clear_on_submit=True):  # an SSO-only account sets a first password instead
    st.subheader("Change password" if has_password else "Set a password")
    if not has_password:
        st.caption("You sign in with single sign-on. A password lets you sign in with your e-mail address too.")
    current = st.text_input("Current password", type="password") if has_password else ""
    new = st.text_input("New password", type="password", help="At least 10 characters with a letter and a digit.")
    repeat = st.text_input("Repeat new password", type="password")
    if st.form_submit_button("Change password" if has_password else "Set password"):
        if new != repeat:
            st.error("The new passwords do not match.")
        else:
            with user_errors():
                if has_password:
                    auth.keep_signed_in(users.change_password(get_ctx(), actor, current, new))
                else:
                    users.set_first_password(get_ctx(), actor, new)
                st.success("Password changed." if has_password else "Password set.")

st.subheader("Your data")
st.caption("Everything we store about you: profile, cohorts, credits, CVs (with the files), reports, flashcards, "
           "interviews and counselors' notes, as JSON plus your files in one zip.")  # fmt: skip
if st.button("Prepare my data download", key="export_prepare", icon=":material/folder_zip:"):
    with user_errors():
        st.session_state["export_zip"] = privacy.export_user_data(get_ctx(), actor)
if st.session_state.get("export_zip"):
    st.download_button(
        "Download my data (zip)",
        data=st.session_state["export_zip"],
        file_name="my-interviewprep-data.zip",
        mime="application/zip",
        icon=":material/download:",
        on_click="ignore",
        key="export_download",
    )

if not actor.is_admin:
    with st.expander("Delete my account", icon=":material/delete_forever:"):
        st.warning("This deletes your account and all your data, including uploaded CVs, reports, interviews and "
                   "unused credits. It cannot be undone. Download your data first if you want a copy.")  # fmt: skip
        confirm = st.text_input(f"Type your email ({actor.email}) to confirm", key="delete_confirm")
        if st.button("Delete my account permanently", key="delete_account", type="primary"):
            with user_errors():
                privacy.delete_account(get_ctx(), actor, confirm_email=confirm)
                st.session_state.pop("export_zip", None)
                st.rerun()  # app.py sees the account is gone and signs out
