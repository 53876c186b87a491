"""InterviewPrep entry point: settings, database ready, sign-in gate, navigation built from the user's role."""

from __future__ import annotations

import streamlit as st

from core.ui import auth
from core.ui.navigation import SIGN_IN_PAGE, pages_for
from core.ui.sidebar import render_sidebar
from core.ui.state import mirror_secrets_into_env, signed_in_actor

st.set_page_config(page_title="InterviewPrep", page_icon=":material/school:", layout="wide")
mirror_secrets_into_env()

authenticator = auth.authenticator()
actor = signed_in_actor()
signed_in_but_gone = actor is None and st.session_state.get("authentication_status")  # deleted or disabled meanwhile
if signed_in_but_gone or (actor and st.sidebar.button("Sign out", key="sign_out", icon=":material/logout:")):
    auth.sign_out(authenticator)
    actor = None

if actor is None:
    st.session_state["authenticator"] = authenticator
    page = st.navigation([st.Page(SIGN_IN_PAGE, title="Sign in", icon=":material/login:", default=True)])
else:
    page = st.navigation(
        {
            section: [
                st.Page(spec.path, title=spec.title, icon=spec.icon, default=spec.path == "app_pages/dashboard.py")
                for spec in specs
            ]
            for section, specs in pages_for(actor.role).items()
        }
    )
    render_sidebar(actor)
    auth.remember_sign_in(authenticator)
page.run()
