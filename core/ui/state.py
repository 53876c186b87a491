"""Per-process context and per-session signed-in user."""

from __future__ import annotations

import os

import streamlit as st

from core.access import Actor
from core.accounts import users
from core.config import Settings
from core.context import AppContext


def mirror_secrets_into_env() -> None:
    """Let operators put settings in .streamlit/secrets.toml: top-level keys become env vars."""
    try:
        items = dict(st.secrets)
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return
    for key, value in items.items():
        if isinstance(value, str | int | float | bool):
            os.environ.setdefault(key.upper(), str(value))


def mirror_server_port_into_env() -> None:
    """PORT is the port Streamlit serves on (however it was started), so PUBLIC_BASE_URL's default follows it."""
    os.environ["PORT"] = str(st.get_option("server.port"))


def _release(ctx: AppContext) -> None:
    ctx.db.dispose()


# A server has one configuration; more arise only where settings change within a process (tests), and an evicted
# context closes its pooled connections rather than holding them until the process ends.
@st.cache_resource(show_spinner=False, max_entries=4, on_release=_release)
def _context(settings_json: str) -> AppContext:
    """One context (and so one engine) per process and configuration; migrated on first use."""
    ctx = AppContext(Settings.model_validate_json(settings_json))
    ctx.settings.check_production_ready()
    ctx.db.upgrade()
    return ctx


# The environment the settings were last read from, and those settings as JSON (the context cache's key).
_read_settings: tuple[dict[str, str], str] = ({}, "")


def _settings_json() -> str:
    """Settings read from the environment (their only source: env_file=None) only when it changed since the last
    read. Reading them costs ~3.5 ms and a page run asks for the context a dozen times; a server's environment
    never changes, a test's does, and comparing it costs ~0.05 ms."""
    global _read_settings
    environment = dict(os.environ)
    seen, settings_json = _read_settings
    if environment != seen or not settings_json:
        settings_json = Settings().model_dump_json()
        _read_settings = (environment, settings_json)  # one assignment: a concurrent run sees old or new, whole
    return settings_json


def get_ctx() -> AppContext:
    return _context(_settings_json())


ACTIVE_RECORDED_KEY = "last_active_recorded"
# (user id, session version) this session signed in with, by password, remember-me cookie or SSO.
SESSION_KEY = "signed_in_session"


def hold_session(actor: Actor) -> None:
    """Remember which user and session version this browser session signed in as (checked on every run)."""
    st.session_state[SESSION_KEY] = (actor.id, actor.session_version)


def signed_in_actor() -> Actor | None:
    """The signed-in user, re-read from the database so role changes and deletions apply at once.

    None as well when the session is no longer current: the user signed out elsewhere, changed or had their
    password reset, was disabled, or was deleted (a re-registered e-mail is another user id).

    The first signed-in run of a session records the user as active, whatever the way in (password,
    remember-me cookie, SSO): the cohort dashboard's "last active" must not depend on typing a password.
    """
    if not st.session_state.get("authentication_status"):
        return None
    email, held = st.session_state.get("username"), st.session_state.get(SESSION_KEY)
    actor = users.resume_session(get_ctx(), held[0], email, held[1]) if email and held else None
    st.session_state["actor"] = actor
    if actor is not None and st.session_state.get(ACTIVE_RECORDED_KEY) != actor.id:
        users.touch(get_ctx(), actor)
        st.session_state[ACTIVE_RECORDED_KEY] = actor.id
    return actor


def current_actor() -> Actor:
    """For pages: the signed-in user (app.py only routes signed-in users to them)."""
    actor = st.session_state.get("actor")
    if actor is None:
        st.error("Please sign in.")
        st.stop()
    return actor
