"""An AppTest session signed in as a user, with the state a real sign-in leaves (for tests and benchmarks)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.access import Actor
from core.ui.state import SESSION_KEY


def sign_in(at: AppTest, actor: Actor) -> AppTest:
    """What streamlit-authenticator and `core.ui.state.hold_session` keep after a sign-in."""
    at.session_state["authentication_status"] = True
    at.session_state["username"] = actor.email
    at.session_state[SESSION_KEY] = (actor.id, actor.session_version)
    return at
