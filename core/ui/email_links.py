"""The screens behind the links we e-mail: forgot password, choose a new password, confirm the address.

Links open the app's root with `?reset=` or `?verify=`; the token leaves the address bar as soon as it is read,
so it is not left in the browser history or shown to someone looking over the shoulder.
"""

from __future__ import annotations

import streamlit as st

from core.access import Actor
from core.accounts import email_links
from core.errors import AppError
from core.ui.feedback import user_errors
from core.ui.state import get_ctx

VERIFIED_KEY = "email_verified"
NOTICE_KEY = "email_verify_notice"
_TOKEN_KEYS = {email_links.RESET_PARAM: "reset_token", email_links.VERIFY_PARAM: "verify_token"}


def _take_token(param: str) -> str | None:
    """The token from the URL (moved into the session on first sight), or the one kept from an earlier run."""
    if token := st.query_params.get(param):
        st.session_state[_TOKEN_KEYS[param]] = token
        del st.query_params[param]
    return st.session_state.get(_TOKEN_KEYS[param])


def render_forgot_password() -> None:
    with st.form("forgot_password"):
        st.caption("Enter the e-mail address of your account; we send it a link to choose a new password.")
        email = st.text_input("Email", key="forgot_email")
        sent = st.form_submit_button("Send reset link", type="primary")
    if sent:
        with user_errors():
            st.success(email_links.request_password_reset(get_ctx(), email), icon=":material/mail:")


def render_reset_form() -> bool:
    """The new-password form when the visitor came through a reset link; False when they did not."""
    token = _take_token(email_links.RESET_PARAM)
    if token is None:
        return False
    with st.form("reset_password"):
        st.subheader("Choose a new password")
        new = st.text_input("New password", type="password", key="reset_new")
        repeat = st.text_input("Repeat new password", type="password", key="reset_repeat")
        saved = st.form_submit_button("Save new password", type="primary")
    if saved:
        if new != repeat:
            st.error("The two passwords do not match.")
            return True
        with user_errors():
            email_links.reset_password(get_ctx(), token, new)
            st.session_state.pop(_TOKEN_KEYS[email_links.RESET_PARAM], None)
            st.success("Your password is changed. Sign in with it below.", icon=":material/lock_reset:")
            return False
    if st.button("Back to sign in", key="reset_cancel"):
        st.session_state.pop(_TOKEN_KEYS[email_links.RESET_PARAM], None)
        st.rerun()
    return True


def confirm_address_from_link() -> None:
    """Open a verification link, signed in or not. The outcome stays on screen for the session: the run that
    reads the link may be followed at once by the remember-me cookie's sign-in run."""
    token = _take_token(email_links.VERIFY_PARAM)
    if token is not None:
        st.session_state.pop(_TOKEN_KEYS[email_links.VERIFY_PARAM], None)
        try:
            email_links.verify_email(get_ctx(), token)
            st.session_state[VERIFIED_KEY] = True
            st.session_state[NOTICE_KEY] = ("success", "Your e-mail address is confirmed. Thank you.")
        except AppError as error:
            st.session_state[NOTICE_KEY] = ("error", error.message)
    if notice := st.session_state.get(NOTICE_KEY):
        kind, text = notice
        getattr(st, kind)(text, icon=":material/verified:" if kind == "success" else ":material/link_off:")


def send_first_verification(actor: Actor) -> None:
    """After self-registration: the account's address is unconfirmed until the mailed link is opened."""
    with user_errors():
        email_links.send_verification(get_ctx(), actor)


def unverified_banner(actor: Actor) -> None:
    """In the sidebar until the address is confirmed (checked once per session once it is); a verification link
    opened while signed in is handled here."""
    confirm_address_from_link()
    if st.session_state.get(VERIFIED_KEY):
        return
    ctx = get_ctx()
    if not email_links.needs_verification(ctx, actor):
        st.session_state[VERIFIED_KEY] = True
        return
    st.warning(
        "Confirm your e-mail address: open the link we sent you. Until then you cannot join a cohort.",
        icon=":material/mark_email_unread:",
    )
    if st.button("Send the link again", key="resend_verification"):
        with user_errors():
            email_links.send_verification(ctx, actor)
            st.toast("Sent. Check your inbox.")
