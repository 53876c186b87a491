"""Show what a person typed as text, never as Markdown.

Streamlit renders Markdown (GitHub-flavoured, with directives and LaTeX) in `st.markdown`, captions, headers,
alerts, expander and tab labels and table cells. A student's name, a job text, a CV bullet, an answer or a
counselor's note put there could load a tracking image or show a link to any site in another user's
browser. `plain` is the one place that makes such text inert; every page passes user text through it.
"""

from __future__ import annotations

import re

# The characters that open Markdown, GFM or Streamlit syntax (links, images, HTML, emphasis, code, headings, lists,
# tables, directives and badges, icons, LaTeX, entities); escaped, each stands for itself. Other punctuation is
# left alone so the text stays readable where it is logged or compared.
_ESCAPES = str.maketrans({char: "\\" + char for char in "\\`*_{}[]<>#+-=!|$~:&"})
_LIST_NUMBER = re.compile(r"^(\d+)([.)])", re.MULTILINE)  # "1. " or "1) " would start an ordered list
WORD_JOINER = "\u2060"
# GFM turns bare addresses into links after parsing, so escapes do not stop them; an invisible word joiner does.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)(?=\w)", re.IGNORECASE)


def plain(text: object) -> str:
    """`text` as Markdown that renders exactly these characters: no images, links, formatting or HTML.

    Line breaks are kept (as Markdown hard breaks), so a note reads as it was written."""
    lines = (line.strip() for line in _AUTOLINK.sub(WORD_JOINER, str(text)).translate(_ESCAPES).splitlines())
    return "  \n".join(_LIST_NUMBER.sub(r"\1\\\2", line) for line in lines)
