"""Showing a résumé and its versions: the preview a student checks before downloading, and the read-only
history a counselor sees in the student drill-down."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from core.engine.resume_builder.checks import format_check
from core.engine.resume_builder.exports import FORMATS, export, filename
from core.engine.resume_builder.layout import blocks
from core.engine.resume_builder.model import Resume
from core.student.resumes import VersionRecord
from core.ui.text import plain


def preview(resume: Resume) -> None:
    """The résumé as its exports read (Markdown rendering of the same blocks) and its ATS format score."""
    score, evidence = format_check(resume)
    st.metric("ATS format score", f"{score} / 100", help="The format part of every job match, on this résumé.")
    for problem in evidence["failed"].values():
        st.caption(f":material/info: {plain(problem)}")
    with st.container(border=True):
        st.markdown(_markdown(resume))


_SHAPES = {"name": "### {}", "heading": "#### {}", "entry": "**{}**", "bullet": "- {}"}


def _markdown(resume: Resume) -> str:
    """The blocks every export renders, as Markdown for the page (text escaped, bullets kept together)."""
    parts: list[str] = []
    for block in blocks(resume):
        line = _SHAPES.get(block.kind, "{}").format(plain(block.text))
        if block.kind == "bullet" and parts and parts[-1].startswith("- "):
            parts[-1] += "\n" + line
        else:
            parts.append(line)
    return "\n\n".join(parts)


def downloads(resume: Resume, *, key: str) -> None:
    """One download button per export format; each file is built only when clicked."""
    with st.container(horizontal=True):
        for fmt_key, fmt in FORMATS.items():
            st.download_button(
                fmt.label, data=partial(_bytes, resume, fmt_key), file_name=filename(resume, fmt_key),
                mime=fmt.mime, key=f"{key}_{fmt_key}", icon=":material/download:", on_click="ignore",
            )  # fmt: skip


def _bytes(resume: Resume, fmt_key: str) -> bytes:
    return export(resume, fmt_key)[2]


def history(versions: list[VersionRecord], *, key: str, on_load: Callable[[int], None] | None = None) -> None:
    """Versions newest first with what changed; `on_load` adds a button that loads one into the editor."""
    for version in versions:
        with st.container(border=True):
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.markdown(f"**{plain(version.label)}**" + ("" if version.cv_id else " · its CV was deleted"))
            left.caption(plain("; ".join(version.changes)))
            if on_load is not None:
                right.button("Load", key=f"{key}_load_{version.id}", on_click=on_load, args=(version.id,))
