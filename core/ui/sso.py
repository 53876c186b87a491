"""Single sign-on in the app: a button per configured provider, and turning `st.user` into our signed-in user.

Streamlit's st.login runs the OIDC flow in the browser and keeps the provider's identity in its own cookie
(`st.user`); nobody is signed in here until `core.accounts.sso` accepts that identity. A refused identity stays
in Streamlit's cookie, so the sign-in page shows the reason and offers to sign out of the provider.

A sign-in cancelled at the provider comes back to "/" with nothing to say so: the trace it leaves is Authlib's
unfinished `_state_<provider>_<code>` entry in Streamlit's signed session cookie, reported once per attempt.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import streamlit as st
from itsdangerous import BadSignature, TimestampSigner

from core.accounts import sso
from core.errors import AppError, ErrorCode
from core.ui import auth
from core.ui.state import get_ctx

ERROR_KEY = "sso_error"
PROVIDER_KEY = "sso_provider"  # the provider this session signed in with
CHECKED_KEY = "sso_checked"  # the identity (or the absence of one) already looked at in this session
SESSION_COOKIE = "_streamlit_session"  # Streamlit's Starlette session, where Authlib keeps each attempt's state


def configured_providers() -> list[sso.Provider]:
    """The providers of `[auth]` in .streamlit/secrets.toml that st.login can use (none without secrets)."""
    try:
        section = st.secrets.get("auth")
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return []
    return sso.providers(section)


def complete_sign_in() -> None:
    """Nobody signed in here yet: sign in the identity st.user came back with, or keep why it was refused."""
    providers = configured_providers()
    if st.session_state.get("authentication_status") or not providers:
        return
    claims = _identity()
    seen = f"{claims.get('iss')}|{claims.get('sub')}"
    if st.session_state.get(CHECKED_KEY) == seen:  # once per session: reruns keep the outcome
        return
    st.session_state[CHECKED_KEY] = seen
    if not claims:
        names = _abandoned_attempts()
        if abandoned := next((p for name in names if (p := sso.find_provider(providers, name))), None):
            st.session_state[ERROR_KEY] = sso.not_finished(abandoned).message
        return
    provider = sso.find_provider(providers, claims.get("provider"))
    try:
        if provider is None:
            raise AppError(ErrorCode.SSO_REFUSED, "Signing in with that provider is no longer offered. "
                                                  "Choose another way to sign in.")  # fmt: skip
        actor = sso.sign_in(get_ctx(), provider, sso.identity_of(claims, provider.verified_claim))
    except AppError as error:
        st.session_state[ERROR_KEY] = error.message
        return
    _abandoned_attempts()  # older attempts this browser left unfinished are no news after a sign-in
    st.session_state.pop(ERROR_KEY, None)
    auth.sign_in_session(actor)
    st.session_state[PROVIDER_KEY] = provider.name


def signed_in_with_sso() -> bool:
    return bool(st.session_state.get(PROVIDER_KEY))


def end_provider_session() -> None:
    """On sign-out: also end the provider's session (st.logout), so signing in again asks the provider again."""
    if _identity():
        st.logout()


def _identity() -> dict[str, Any]:
    """The provider's claims in st.user, or {} (st.user has no is_logged_in at all without an [auth] section)."""
    return dict(st.user.to_dict()) if st.user.get("is_logged_in") else {}


def _start(provider: sso.Provider) -> None:
    """Button callback: go to the provider, unless its discovery document does not answer."""
    st.session_state.pop(ERROR_KEY, None)
    if sso.discovery_problem(provider):
        st.session_state[ERROR_KEY] = sso.unavailable(provider).message
        return
    st.login(provider.name)


def render_sign_in_options() -> None:
    """The sign-in page's single sign-on part: the last problem in a sentence, then one button per provider."""
    providers = configured_providers()
    if not providers:
        return
    if message := st.session_state.get(ERROR_KEY):
        st.error(message)
    if refused_identity := _identity():  # an identity we refused: let the person switch account at the provider
        refused = sso.find_provider(providers, refused_identity.get("provider"))
        label = refused.label if refused else "the provider"
        st.button(f"Sign out of {label}", key="sso_sign_out", on_click=st.logout, icon=":material/logout:")
    for provider in providers:
        st.button(f"Continue with {provider.label}", key=f"sso_{provider.name}", on_click=_start, args=(provider,),
                  icon=":material/key:", width="stretch")  # fmt: skip
    st.caption("Or use your e-mail and password:")


def _abandoned_attempts() -> list[str]:
    """Providers of this browser's OIDC attempts that never came back; each attempt is returned only once."""
    raw = st.context.cookies.get(SESSION_COOKIE)
    secret = str((st.secrets.get("auth") or {}).get("cookie_secret") or "")
    if not raw or not secret:
        return []
    try:
        session = json.loads(base64.b64decode(TimestampSigner(secret).unsign(raw.encode())))
    except (BadSignature, ValueError):
        return []
    reported, now = _reported(), time.time()
    found = []
    for key, value in session.items() if isinstance(session, dict) else ():
        prefix, _, rest = key.partition("_state_")
        provider, _, code = rest.partition("_")
        if prefix or not code or code in reported or not isinstance(value, dict) or value.get("exp", 0) < now:
            continue
        reported.add(code)
        found.append(provider)
    return found


@st.cache_resource(show_spinner=False)
def _reported() -> set[str]:
    """State codes of abandoned attempts already reported (process-wide: a refresh must not report one again)."""
    return set()
