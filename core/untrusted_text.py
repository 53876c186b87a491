"""User text made inert for the files it leaves the app in: spreadsheet cells and Markdown.

A CSV opened in Excel or LibreOffice runs a cell that starts like a formula (`=cmd|' -c calc'!A0`), and a
Markdown file shown by a viewer renders raw HTML, images (tracking pixels) and links. Every CSV writer and
the Markdown export pass user text through here; nothing in this module knows where the text came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters that make inline Markdown structure: emphasis, code, links and images ([ ]), raw HTML and
# autolinks (< >), table cells (|), strikethrough (~), and the escape character itself.
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# A line that starts like a block (heading, list, quote, setext underline, ordered list) stays a paragraph.
_BLOCK_START = re.compile(r"^(\s*)(\d*)([#>+=.)-])")


def csv_cell(value: object) -> object:
    """A spreadsheet cell that is shown, never evaluated: text that starts like a formula gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values: Iterable[object]) -> list[object]:
    """Every cell of a row through `csv_cell` (numbers pass unchanged)."""
    return [csv_cell(value) for value in values]


def markdown_text(text: object) -> str:
    """One line of literal text for a Markdown document: no HTML, image, link, emphasis or block survives."""
    line = " ".join(str(text).split("\n")).replace("\r", " ")
    line = _INLINE.sub(r"\\\1", line)
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}{m.group(2)}\\{m.group(3)}", line)
