"""Small shared widgets."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

METRIC_WIDTH = 170  # px: two metrics side by side on a 390 px phone, a row of four on a laptop


def coming_soon(title: str, what: str) -> None:
    """A clearly marked placeholder for a screen a later issue delivers."""
    st.title(title)
    st.info(f"Coming soon: {what}", icon=":material/construction:")


def metrics(items: Sequence[tuple[str, object]]) -> None:
    """(label, value) metrics in a row that wraps two to a line on a phone; st.columns would stack them one per
    line and push the page's content below the fold."""
    with st.container(horizontal=True, horizontal_alignment="distribute"):
        for label, value in items:
            st.metric(label, value, width=METRIC_WIDTH)
