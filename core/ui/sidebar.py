"""The sidebar every signed-in page shares: who you are and, for students, credits and cards due."""

from __future__ import annotations

import streamlit as st

from core.access import Actor, Role
from core.billing import ledger
from core.student import deck
from core.ui import email_links
from core.ui.state import get_ctx
from core.ui.text import plain


def render_sidebar(actor: Actor) -> None:
    with st.sidebar:
        st.markdown(f"**{plain(actor.name)}**  \n{actor.role.title()} · {plain(actor.email)}")
        email_links.unverified_banner(actor)
        if actor.role == Role.STUDENT:
            ctx = get_ctx()
            credits, due = st.columns(2)
            credits.metric("Credits", ledger.balance(ctx, actor))
            due.metric("Cards due", deck.due_count(ctx, actor))
