"""Buttons that are safe to double-click, and one-shot messages that survive a rerun.

A click carries a request key fixed when the button was drawn (bound through `on_click` args), and the key
changes only after the action succeeded. A double click therefore sends the same key twice, and the service
treats the second request as a replay instead of buying or granting twice.
"""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st

from core.ui.text import plain


def _key_name(name: str) -> str:
    return f"_request_key:{name}"


def _clicked_name(name: str) -> str:
    return f"_request_clicked:{name}"


def _remember(name: str, request_key: str, payload: object) -> None:
    st.session_state[_clicked_name(name)] = (request_key, payload)


def once_button(label: str, *, name: str, payload: object = None, form: bool = False, **kwargs: Any) -> None:
    """Draw a button whose click is collected by `clicked(name)` with the key current when it was drawn."""
    request_key = st.session_state.setdefault(_key_name(name), uuid.uuid4().hex)
    button = st.form_submit_button if form else st.button
    button(label, on_click=_remember, args=(name, request_key, payload), **kwargs)


def clicked(name: str) -> tuple[str, Any] | None:
    """(request key, payload) on the run a `name` button was clicked, else None."""
    return st.session_state.pop(_clicked_name(name), None)


def done(name: str) -> None:
    """The action behind `name` succeeded: the next click is a new request."""
    st.session_state[_key_name(name)] = uuid.uuid4().hex


def flash(message: str, *, kind: str = "success") -> None:
    """Show `message` on the next run (call st.rerun() after), so the sidebar balance updates first."""
    st.session_state.setdefault("_flash", []).append((kind, message))


def show_flashes() -> None:
    for kind, message in st.session_state.pop("_flash", []):
        getattr(st, kind)(plain(message))
