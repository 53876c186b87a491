"""Signed-out visitors: sign in or create a student account."""

import streamlit as st

from core.ui import auth, sso

st.title("InterviewPrep")
st.caption("Prepare for interviews: match your CV to jobs, practise, and track your progress.")
authenticator = st.session_state["authenticator"]
sso.render_sign_in_options()
sign_in, register = st.tabs(["Sign in", "Create account"])
with sign_in:
    auth.render_sign_in(authenticator)
with register:
    auth.render_register(authenticator)
