"""InterviewPrep entry point: settings, database ready, sign-in gate, navigation built from the user's role."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core import logging_setup
from core.access import Role
from core.coaching import cohorts
from core.ui import auth, payment_return, sso
from core.ui.navigation import signed_in_pages, signed_out_pages
from core.ui.sidebar import render_sidebar
from core.ui.state import get_ctx, mirror_secrets_into_env, mirror_server_port_into_env, signed_in_actor

FAVICON = str(Path(__file__).resolve().parent / "assets" / "favicon.png")  # served by the app itself, never a CDN
st.set_page_config(page_title="InterviewPrep", page_icon=FAVICON, layout="wide")
mirror_secrets_into_env()
mirror_server_port_into_env()
logging_setup.start_run(st.session_state.setdefault("log_session_id", logging_setup.new_session_id()),
                        get_ctx().settings.log_level)

if st.query_params.get(cohorts.INVITE_PARAM):  # an invite link: keep the code through sign-in
    st.session_state[cohorts.PENDING_INVITE] = st.query_params[cohorts.INVITE_PARAM]
payment_return.keep_return()  # back from Razorpay, often in a new signed-out tab: keep it through sign-in

authenticator = auth.authenticator()
sso.complete_sign_in()  # back from an OIDC provider: sign in the account it links to, or keep why not
actor = signed_in_actor()
signed_in_but_gone = actor is None and st.session_state.get("authentication_status")  # deleted or disabled meanwhile
if signed_in_but_gone or (actor and st.sidebar.button("Sign out", key="sign_out", icon=":material/logout:")):
    auth.sign_out(authenticator)
    sso.end_provider_session()
    actor = None

if actor is None:
    st.session_state["authenticator"] = authenticator
    page = st.navigation(signed_out_pages(), position="hidden")
else:
    invited = actor.role == Role.STUDENT and st.session_state.get(cohorts.PENDING_INVITE)
    home = "app_pages/my_cohorts.py" if invited else "app_pages/dashboard.py"
    page = st.navigation(signed_in_pages(actor.role, home))
    payment_return.settle_after_sign_in(actor, page)  # a kept return, unfinished links; before the balance shows
    render_sidebar(actor)
    with st.sidebar:  # last in the sidebar, so drawing it or not never shifts the page's own elements
        if not sso.signed_in_with_sso():  # Streamlit's own identity cookie remembers an SSO sign-in
            auth.remember_sign_in(authenticator)
page.run()
