"""Small shared widgets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

MetricValue = int | float | str | None  # what st.metric shows
METRIC_WIDTH = 170  # px: two metrics side by side on a 390 px phone, a row of four on a laptop


def metrics(items: Sequence[tuple[str, MetricValue]]) -> None:
    """(label, value) metrics in a row that wraps two to a line on a phone; st.columns would stack them one per
    line and push the page's content below the fold."""
    with st.container(horizontal=True, horizontal_alignment="distribute"):
        for label, value in items:
            st.metric(label, value, width=METRIC_WIDTH)


def history_row(
    text: str, score_label: str, score: MetricValue, *, button: str, key: str, on_click: Callable[..., Any],
    args: tuple[Any, ...], disabled: bool,
) -> None:  # fmt: skip
    """One past item in a history list: its description, its score and a button that opens it."""
    with st.container(border=True):
        text_column, score_column, action = st.columns([5, 1, 1], vertical_alignment="center")
        text_column.markdown(text)
        score_column.metric(score_label, score, label_visibility="collapsed")
        action.button(button, key=key, on_click=on_click, args=args, disabled=disabled)
