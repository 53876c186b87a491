"""Small shared widgets."""

from __future__ import annotations

import streamlit as st


def coming_soon(title: str, what: str) -> None:
    """A clearly marked placeholder for a screen a later issue delivers."""
    st.title(title)
    st.info(f"Coming soon: {what}", icon=":material/construction:")
