"""Signed-out visitors: sign in or create a student account."""

import streamlit as st

from core.ui import auth, email_links, sso

st.title("InterviewPrep")
st.caption("Prepare for interviews: match your CV to jobs, practise, and track your progress.")
authenticator = st.session_state["authenticator"]
email_links.confirm_address_from_link()
if email_links.render_reset_form():
    st.stop()
sso.render_sign_in_options()
sign_in, register, forgot = st.tabs(["Sign in", "Create account", "Forgot password"])
with sign_in:
    auth.render_sign_in(authenticator)
with register:
    auth.render_register(authenticator)
with forgot:
    email_links.render_forgot_password()
