"""How a DOCX paragraph is set: a heading by its style (Heading 1, an outline level), or its runs' size and weight.

Word users mark section headings with a heading style, or make a short paragraph bold and larger; either
way the type says "heading" whatever the words are. These facts feed core.engine.heading_style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.engine.heading_style import StyledLine, body_style, heading_hints, line_key

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFF = ("0", "false", "off")


def _val(element: Any, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return None if found is None else found.get(_W + "val", "1")


@dataclass
class _Style:
    level: int | None = None  # outline level of a heading style (0 for Heading 1)
    title: bool = False
    size: float | None = None
    bold: bool | None = None
    based_on: str | None = None


@dataclass
class DocxHeadings:
    """Collects what each paragraph of a document looks like, then names the heading lines."""

    styles: dict[str, _Style]
    default_size: float
    styled_headings: list[tuple[int, str]] = field(default_factory=list)
    candidates: list[StyledLine] = field(default_factory=list)
    runs: list[tuple[int, float, bool]] = field(default_factory=list)

    @classmethod
    def of(cls, styles_element: Any) -> DocxHeadings:
        """The style table of a document (`document.styles.element`)."""
        styles: dict[str, _Style] = {}
        for style in styles_element.iterchildren(_W + "style"):
            name = (_val(style, _W + "name") or "").lower()
            outline = _level(_val(style, f"{_W}pPr/{_W}outlineLvl"))
            numbered = re.fullmatch(r"heading (\d)", name)
            size = _val(style, f"{_W}rPr/{_W}sz")
            bold = _val(style, f"{_W}rPr/{_W}b")
            styles[style.get(_W + "styleId", "")] = _Style(
                level=int(numbered.group(1)) - 1 if numbered else outline,
                title=name in ("title", "subtitle"),
                size=float(size) / 2 if size and size.isdigit() else None,
                bold=None if bold is None else bold not in _OFF,
                based_on=_val(style, _W + "basedOn"),
            )
        default = _val(styles_element, f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}sz")
        normal = styles.get("Normal", _Style()).size
        return cls(styles, normal or (float(default) / 2 if default and default.isdigit() else 11.0))

    def add(self, paragraph: Any, runs: list[Any], text: str) -> None:
        """Note one paragraph (`runs`: its own w:r elements, `text`: its single line, "" if it has several)."""
        style_id = _val(paragraph, f"{_W}pPr/{_W}pStyle")
        outline = _level(_val(paragraph, f"{_W}pPr/{_W}outlineLvl"))
        style = self._chain(style_id)
        sized = [(len(t), self._size(run, style), self._bold(run, style)) for run in runs if (t := _run_text(run))]
        self.runs += sized
        if not text or not sized or any(s.title for s in style):
            return
        level = outline if outline is not None else next((s.level for s in style if s.level is not None), None)
        if level is not None:
            self.styled_headings.append((level, line_key(text)))
        else:
            self.candidates.append(StyledLine(text, max(size for _, size, _ in sized), all(b for *_, b in sized)))

    def headings(self) -> tuple[str, ...]:
        """Paragraphs of the highest heading level that recurs (a name set as Heading 1 occurs once, entries
        may be Heading 3 under sections in Heading 2), else the lines in its heading type (heading_style)."""
        for level in sorted({level for level, _ in self.styled_headings}):
            texts = [text for at, text in self.styled_headings if at == level]
            if len(set(texts)) >= 2:
                return tuple(dict.fromkeys(texts))
        return heading_hints(self.candidates, *body_style(self.runs))

    def _chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        while style_id in self.styles and len(chain) < 10:
            chain.append(self.styles[style_id])
            style_id = chain[-1].based_on
        return chain

    def _size(self, run: Any, style: list[_Style]) -> float:
        size = _val(run, f"{_W}rPr/{_W}sz")
        if size and size.isdigit():
            return float(size) / 2
        return next((s.size for s in style if s.size is not None), self.default_size)

    def _bold(self, run: Any, style: list[_Style]) -> bool:
        bold = _val(run, f"{_W}rPr/{_W}b")
        if bold is not None:
            return bold not in _OFF
        return next((s.bold for s in style if s.bold is not None), False)


def _level(value: str | None) -> int | None:
    """An outline level 0-8 (9 is body text)."""
    return int(value) if value is not None and value.isdigit() and int(value) < 9 else None


def _run_text(run: Any) -> str:
    return "".join(node.text or "" for node in run.iterchildren(_W + "t")).strip()
