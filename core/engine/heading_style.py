"""Which lines a document sets apart as headings by their type, whatever words they use.

A person sees a heading before reading it: a short line on its own, larger than the body text, or bold
where the body is regular. A name or a headline is set apart too, but only once; job titles are often
bold as well, but smaller than the headings. So the candidates are grouped by style (size, weight,
capitals) and the most prominent style that recurs is taken as the headings' style. The parser still
checks each hinted line (core.engine.resume) and falls back to its keyword list for lines without a hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SIZE_MARGIN = 1.12  # a heading is at least this much larger than the body, unless bold on a regular body
MAX_WORDS = 6
MAX_CHARS = 45


@dataclass(frozen=True)
class StyledLine:
    """A line as it stands on the page: its text, font size (points; 0 when unknown) and weight."""

    text: str
    size: float
    bold: bool


def line_key(text: str) -> str:
    """How a hinted line is matched with a line of the extracted text: whitespace folded."""
    return " ".join(text.split())


def heading_hints(lines: Iterable[StyledLine], body_size: float, body_bold: bool) -> tuple[str, ...]:
    """The texts of the lines in the document's heading style, or () when no style recurs."""
    groups: dict[tuple[float, bool, bool], list[str]] = {}
    for line in lines:
        text = line_key(line.text)
        if not _short(text):
            continue
        size = line.size or body_size
        larger = body_size > 0 and size >= body_size * SIZE_MARGIN
        if not (larger or (line.bold and not body_bold)):
            continue
        key = (round(size * 2) / 2, line.bold, text.isupper())
        groups.setdefault(key, []).append(text)
    recurring = [key for key, texts in groups.items() if len(set(texts)) >= 2]
    if not recurring:
        return ()
    return tuple(dict.fromkeys(groups[max(recurring)]))  # larger, then bold, then capitals


def _short(text: str) -> bool:
    """Short enough to be a heading, with letters, without digits or an address."""
    return (
        0 < len(text) <= MAX_CHARS
        and len(text.split()) <= MAX_WORDS
        and bool(re.search(r"[^\W\d_]", text))
        and not re.search(r"[\d@]", text)
    )


def body_style(sized: Iterable[tuple[int, float, bool]]) -> tuple[float, bool]:
    """(median font size, whether most text is bold) of the body, from (characters, size, bold) runs."""
    runs = sorted((size, chars, bold) for chars, size, bold in sized if chars > 0 and size > 0)
    total = sum(chars for _, chars, _ in runs)
    if not total:
        return 0.0, False
    seen, median = 0, runs[-1][0]
    for size, chars, _ in runs:
        seen += chars
        if seen * 2 >= total:
            median = size
            break
    bold_chars = sum(chars for _, chars, bold in runs if bold)
    return median, bold_chars * 2 > total
