"""Sign-in gate on streamlit-authenticator, backed by our users table.

streamlit-authenticator draws the log-in form, the log-out button and keeps the remember-me cookie.
The user store, password check and lockout are ours: its credentials mapping loads only the one user
being looked up (never the whole table), and its password check is replaced by `users.authenticate`,
which counts failures in the database.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from core import access
from core.access import Actor
from core.accounts import users
from core.config import Settings
from core.context import AppContext
from core.errors import AppError
from core.models import User
from core.ui import email_links
from core.ui.feedback import user_errors
from core.ui.state import SESSION_KEY, get_ctx, hold_session

LOGIN_ERROR_KEY = "login_error"
FAILED_KEY = "failed_sign_ins"  # e-mail -> refused attempts in this browser session
STAUTH_KEYS = {"authentication_status", "username", "name", "email", "roles", "logout", "init"}
# Widget key of streamlit-authenticator's cookie-writing component; its value turns True once the browser wrote it.
# Widget state vanishes on a run that does not draw the widget, so the fact is copied to a key of our own.
COOKIE_COMPONENT_KEY = "set"
COOKIE_WRITTEN_KEY = "auth_cookie_written"


class UserDirectory(dict):
    """The `usernames` mapping streamlit-authenticator expects, filled lazily from the database."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self._ctx = ctx

    def _load(self, email: object) -> bool:
        if not isinstance(email, str) or not email:
            return False
        with self._ctx.db.read() as session:
            user = access.find_user(session, email)
            if user is None or user.disabled:
                return False
            super().__setitem__(email, _entry(user))
        return True

    def __contains__(self, email: object) -> bool:
        return super().__contains__(email) or self._load(email)

    def __missing__(self, email: str) -> dict[str, Any]:
        if self._load(email):
            return super().__getitem__(email)
        raise KeyError(email)


def _entry(user: User) -> dict[str, Any]:
    first, _, last = user.name.partition(" ")
    return {"email": user.email, "first_name": first, "last_name": last, "password": user.password_hash,
            "roles": [user.role]}


def attempts_left(settings: Settings, email: str) -> str:
    """From the second failure on, how many tries this browser has left for the e-mail before the lockout.

    Counted in the session, not read from the account, so it reads the same whether or not the e-mail has an
    account (the refusal itself must not tell); attempts made elsewhere are not in it.
    """
    failed = st.session_state.setdefault(FAILED_KEY, {})
    failed[email] = failed.get(email, 0) + 1
    left = settings.lockout_max_attempts - failed[email]
    if failed[email] < 2 or left < 0:
        return ""
    if left == 0:
        return f" If this e-mail has an account, it is now locked for {settings.lockout_minutes} minutes."
    return f" {left} attempt{'s' if left > 1 else ''} left before a {settings.lockout_minutes}-minute lockout."


def authenticator() -> stauth.Authenticate:
    """A fresh authenticator per run (cheap: it holds no users until one is looked up)."""
    ctx = get_ctx()
    settings = ctx.settings
    auth = stauth.Authenticate(
        {"usernames": {}},
        cookie_name=settings.auth_cookie_name,
        cookie_key=settings.cookie_key(),
        cookie_expiry_days=settings.auth_cookie_expiry_days,
        auto_hash=False,
        login_sleep_time=0,
    )
    model = auth.authentication_controller.authentication_model
    model.credentials["usernames"] = UserDirectory(ctx)

    def check_credentials(email: str, password: str) -> bool:
        try:
            actor = users.authenticate(ctx, email, password)
        except AppError as error:
            st.session_state[LOGIN_ERROR_KEY] = error.message + attempts_left(settings, email)
            return False
        st.session_state.pop(LOGIN_ERROR_KEY, None)
        st.session_state.pop(FAILED_KEY, None)
        hold_session(actor)
        return True

    model.check_credentials = check_credentials
    cookies = auth.cookie_controller
    read_signed = cookies.get_cookie  # checks the signature and expiry of the library's JWT
    cookies.get_cookie = lambda: _current_cookie(ctx, auth, read_signed())
    cookies.set_cookie = lambda: _write_cookie(auth)
    return auth


def _current_cookie(ctx: AppContext, auth: stauth.Authenticate, token: Any) -> Any:
    """The remember-me cookie's claims while its session is current; a stale, foreign or pre-version cookie
    (signed out, password changed or reset, disabled, deleted, re-registered) is cleared and ignored, so
    the sign-in form shows instead of the library's uncaught "User not authorized"."""
    if not token:
        return token
    user_id, version, email = token.get("uid"), token.get("sv"), token.get("username")
    valid = isinstance(user_id, int) and isinstance(version, int) and isinstance(email, str)
    actor = users.resume_session(ctx, user_id, email, version) if valid else None
    if actor is None:
        _forget_cookie(auth)
        return None
    hold_session(actor)
    return token


def _write_cookie(auth: stauth.Authenticate) -> None:
    """The library's JWT plus the user id and session version, so the cookie can be revoked; `Secure` when
    the app is served over HTTPS. (The cookie is written by a JavaScript component, so it cannot be HttpOnly.)"""
    model = auth.cookie_controller.cookie_model
    held = st.session_state.get(SESSION_KEY)
    if not held or not model.cookie_expiry_days:
        return
    expires = datetime.now() + timedelta(days=model.cookie_expiry_days)
    claims = {"username": st.session_state["username"], "uid": held[0], "sv": held[1], "exp_date": expires.timestamp()}
    token = jwt.encode(claims, model.cookie_key, algorithm="HS256")
    model.cookie_manager.set(model.cookie_name, token, expires_at=expires, secure=served_over_https())


def _forget_cookie(auth: stauth.Authenticate) -> None:
    model = auth.cookie_controller.cookie_model
    with suppress(KeyError):  # the component deletes it in the browser; its Python-side copy may not know it
        model.cookie_manager.delete(model.cookie_name)


def served_over_https() -> bool:
    """True behind a TLS-terminating proxy (X-Forwarded-Proto) or when the browser's URL is https."""
    forwarded = st.context.headers.get("X-Forwarded-Proto") or ""
    return forwarded.split(",")[0].strip().lower() == "https" or (st.context.url or "").startswith("https://")


def render_sign_in(auth: stauth.Authenticate) -> None:
    """The log-in form; emails are stored lower-case, so normalise what was typed."""
    original = auth.authentication_controller.login

    def login(username: str | None = None, password: str | None = None, *args: Any, **kwargs: Any) -> Any:
        email = access.normalise_email(username) if username else username
        return original(email, password, *args, **kwargs)

    auth.authentication_controller.login = login
    try:
        auth.login(
            location="main",
            fields={"Form name": "Sign in", "Username": "Email", "Password": "Password", "Login": "Sign in"},
            key="sign_in",
        )
    except LoginError:  # the cookie's user vanished between our check and the library's look-up
        _forget_cookie(auth)
        st.session_state.update(authentication_status=None, username=None)
    if st.session_state.get("authentication_status") is False:
        st.error(st.session_state.get(LOGIN_ERROR_KEY) or "Email or password is incorrect.")
    if st.session_state.get("authentication_status"):
        st.rerun()


def sign_in_session(actor: Actor) -> None:
    """Sign a just-registered user in, exactly as the log-in form would; `remember_sign_in` writes the cookie."""
    st.session_state.update(
        authentication_status=True, username=actor.email, name=actor.name, email=actor.email,
        roles=[str(actor.role)], logout=None,
    )
    hold_session(actor)


def keep_signed_in(actor: Actor) -> None:
    """After this session changed the password (which ended every session): hold the new session version and
    write a new remember-me cookie on the next run."""
    hold_session(actor)
    st.session_state.pop(COOKIE_WRITTEN_KEY, None)


def remember_sign_in(auth: stauth.Authenticate) -> None:
    """Write the remember-me cookie on signed-in runs until the browser reports it written.

    The sign-in run itself reruns at once (or the form would stay on screen), which can remove the browser-side
    component before it writes the cookie; an ordinary signed-in run lets it finish.
    """
    if st.session_state.get(COOKIE_COMPONENT_KEY):
        st.session_state[COOKIE_WRITTEN_KEY] = True
    if not st.session_state.get(COOKIE_WRITTEN_KEY):
        auth.cookie_controller.set_cookie()


def render_register(auth: stauth.Authenticate) -> None:
    with st.form("register", clear_on_submit=False):
        st.subheader("Create a student account")
        name = st.text_input("Full name", key="register_name")
        email = st.text_input("Email", key="register_email")
        password = st.text_input(
            "Password", type="password", key="register_password",
            help=f"At least {users.PASSWORD_MIN} characters with a letter and a digit.",
        )
        repeat = st.text_input("Repeat password", type="password", key="register_repeat")
        submitted = st.form_submit_button("Create account", type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error("The two passwords do not match.")
        return
    with user_errors():
        actor = users.create_user(get_ctx(), email=email, name=name, password=password)
        email_links.send_first_verification(actor)
        sign_in_session(actor)
        st.rerun()


def sign_out(auth: stauth.Authenticate) -> None:
    """Forget the user in this session and delete the cookie.

    Signing out ends the user's sessions everywhere (see `users.sign_out_everywhere`).
    No st.rerun() here: the cookie is deleted by a browser-side component that must render in this run.
    streamlit-authenticator's own `logout` flag stays set so the old cookie is not read again.
    """
    if (actor := st.session_state.get("actor")) is not None:
        users.sign_out_everywhere(get_ctx(), actor)  # a copied cookie stops working too
    auth.logout(location="unrendered")
    for key in [key for key in st.session_state if key not in STAUTH_KEYS]:
        del st.session_state[key]
