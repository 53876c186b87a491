"""An ATS-friendly one-column PDF: embedded DejaVu Sans (shipped in matplotlib's data, so names such as "Zoë"
print and no system font is needed), a real text layer, no tables, no images, no columns. Byte-for-byte
deterministic for a given résumé (fixed creation date), so saving an unchanged résumé stores nothing new."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from fpdf import FPDF

from core.engine.resume_builder.layout import SEPARATOR, blocks
from core.engine.resume_builder.model import Resume

FONT = "DejaVu"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)  # ~60 INFO lines per PDF otherwise


def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@cache
def _printable() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(font_dir() / "DejaVuSans.ttf"), lazy=True) as font:
        return frozenset(font.getBestCmap())


def unprintable(text: str) -> list[str]:
    """Characters of `text` the embedded font has no glyph for (e.g. Chinese or Japanese script), which the PDF
    would leave out."""
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in _printable()})


def new_pdf(title: str) -> FPDF:
    """An A4 FPDF with DejaVu Sans regular and bold embedded (subset), used by every PDF the app writes."""
    fonts = font_dir()
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_creation_date(_EPOCH)
    return pdf


# kind -> (style, size, line height, space before)
_STYLE = {
    "name": ("B", 18, 9, 0), "title": ("", 11.5, 6, 0), "contact": ("", 9.5, 5, 1), "heading": ("B", 12, 7, 4),
    "entry": ("B", 10.5, 5.5, 2), "bullet": ("", 10, 5, 0.5), "paragraph": ("", 10, 5, 1),
}  # fmt: skip


def to_pdf(resume: Resume) -> bytes:
    pdf = new_pdf(f"{resume.contact.name or 'Résumé'} — résumé")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    for block in blocks(resume):
        style, size, height, before = _STYLE[block.kind]
        pdf.set_font(FONT, style, size)
        pdf.set_y(pdf.get_y() + before)
        if block.kind == "bullet":
            pdf.cell(5, height, "•")
            pdf.multi_cell(0, height, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            continue
        text = _split_at_separators(pdf, block.text) if block.kind in ("contact", "entry") else block.text
        pdf.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")
        if block.kind == "heading":
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
            pdf.set_y(pdf.get_y() + 1)
    return bytes(pdf.output())


def _split_at_separators(pdf: FPDF, text: str) -> str:
    """A "a | b | c" line too wide for the page, broken between its parts rather than inside one, so a phone
    number, an e-mail address or a date range is never split over two lines."""
    width = pdf.epw - 2 * pdf.c_margin - 0.5  # what multi_cell fills before it wraps
    lines: list[str] = []
    for part in text.split(SEPARATOR):
        joined = f"{lines[-1]}{SEPARATOR}{part}" if lines else part
        if lines and pdf.get_string_width(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(part)
    return "\n".join(lines)
