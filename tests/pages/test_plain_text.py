"""`plain` makes what a person typed inert Markdown: parsed by a CommonMark parser it yields only text, the same
characters back, and none of the bare addresses GitHub-flavoured Markdown would turn into links."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from core.ui.text import WORD_JOINER, plain

HOSTILE = [
    "![pixel](http://127.0.0.1:9/p.png)",
    "[click me](https://evil.example/x) and <https://evil.example/y>",
    "<img src='http://127.0.0.1:9/h.png'> <script>alert(1)</script>",
    "visit https://evil.example or www.evil.example, mail eve@evil.example",
    ":red[red text] :material/home: $x^2$ **bold** _it_ `code` ~~gone~~",
    "# Heading\n    indented code \\*escaped\\*\n- list\n1. one\n> quote\n| a | b |\n|---|---|",
    "Back\\slash at the end\\",
]
# The literal autolinks of GFM (www., scheme://, e-mail addresses), as its autolink-literal extension finds them.
GFM_AUTOLINK = re.compile(r"(https?|ftp)://|www\.|[-.\w+]+@[-\w]+(\.[-\w]+)+", re.IGNORECASE)
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def inline_tokens(markdown: str) -> list:
    return [child for token in MD.parse(markdown) if token.children for child in token.children]


@pytest.mark.parametrize("text", HOSTILE)
def test_user_text_parses_to_the_same_characters_and_nothing_else(text: str) -> None:
    rendered = plain(text)
    blocks = {token.type for token in MD.parse(rendered)}
    assert blocks <= {"paragraph_open", "paragraph_close", "inline"}  # no heading, list, code, quote or table
    kinds = {token.type for token in inline_tokens(rendered)}
    assert kinds <= {"text", "hardbreak"}  # no link, image, HTML, emphasis or code span
    shown = "\n".join(t.content for t in inline_tokens(rendered) if t.type == "text").replace(WORD_JOINER, "")
    assert shown == "\n".join(line.strip() for line in text.splitlines())


@pytest.mark.parametrize("text", HOSTILE)
def test_no_bare_address_is_left_for_gfm_to_link(text: str) -> None:
    shown = "".join(t.content for t in inline_tokens(plain(text)) if t.type == "text")
    assert not GFM_AUTOLINK.search(shown)


def test_ordinary_text_reads_unchanged() -> None:
    shown = "".join(t.content for t in inline_tokens(plain("Priya Nair, data analyst (2021-2024)")))
    assert shown == "Priya Nair, data analyst (2021-2024)"
