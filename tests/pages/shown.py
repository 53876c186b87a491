"""What a person reads on an AppTest page: element values with the Markdown escapes `core.ui.text.plain` adds
taken out again, so tests compare the text shown, not its encoding."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from core.ui.text import WORD_JOINER

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: str) -> str:
    return _ESCAPE.sub(r"\1", markdown).replace(WORD_JOINER, "")


def texts(at: AppTest, kind: str) -> list[str]:
    """The shown text of every element of one kind (`markdown`, `success`, `caption`, ...)."""
    return [shown(element.value) for element in getattr(at, kind)]
