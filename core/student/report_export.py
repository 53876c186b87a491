"""A stored report as Markdown or as a PDF with its charts.

Both formats render one outline (`outline`), so they never disagree about what a report says. The PDF
charts are drawn with matplotlib's Agg backend (no browser, unlike Plotly's kaleido) and the text uses
DejaVu Sans from matplotlib's own data, so names like "Zoë" and amounts like "₹" print correctly.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fpdf import FPDF

from core.engine.explain import COLUMNS, PART_LABELS, explain
from core.engine.report import BREAKDOWN, Report, band
from core.student.analyses import AnalysisRecord, provider_label
from core.untrusted_text import markdown_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BAND_COLOURS = {"good": "#2e7d32", "fair": "#f9a825", "poor": "#c62828"}
# fpdf2 subsets the fonts with fontTools, which logs some 60 INFO lines per PDF: keep them out of the app log.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


def score_colour(score: int) -> str:
    return BAND_COLOURS[band(score)]


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)
    table: list[tuple[str, ...]] = field(default_factory=list)  # first tuple is the header


def _join(items: list[str]) -> str:
    return ", ".join(items) if items else "none"


def _years(value: Any) -> str:
    return "not stated" if value is None else f"{value:g}"


def outline(record: AnalysisRecord) -> list[Section]:
    """The report as headed sections, in reading order."""
    report = record.report
    analysis, ats = report.analysis, report.ats_score
    skills = ats.evidence.skills_match if ats.evidence else None
    exp, edu = analysis.experience_match, analysis.education_match
    insights, recs = report.insights, report.insights.recommendations
    meta = record.meta
    sections = [
        Section(
            "Summary",
            rows=[
                ("Job", record.job_title),
                ("CV", record.cv_label),
                ("Date", f"{record.created_at:%d %b %Y %H:%M} UTC"),
                ("Overall ATS score", f"{ats.overall_score} / 100"),
                ("Role compatibility", f"{analysis.role_compatibility.score} / 100"),
            ],
            paragraphs=[analysis.role_compatibility.reasoning],
        ),
        Section("Score breakdown", rows=[(PART_LABELS[p], f"{record.breakdown[p]} / 100") for p in BREAKDOWN]),
        Section(
            "Skills",
            rows=[
                ("Required, on your CV", _join(skills.required_matched if skills else [])),
                ("Required, missing", _join(skills.required_missing if skills else [])),
                ("Preferred, on your CV", _join(skills.preferred_matched if skills else [])),
                ("Preferred, missing", _join(skills.preferred_missing if skills else [])),
            ],
        ),
        Section(
            "Experience and education",
            rows=[
                ("Years asked", _years(exp.required_years)),
                ("Years on your CV", _years(exp.candidate_years)),
                ("Experience match", f"{exp.match_percentage}%"),
                ("Degree asked", (edu.required or "not stated").replace("_", " ")),
                ("Your degree", (edu.candidate or "none").replace("_", " ")),
                ("Education met", "yes" if edu.match else "no"),
            ],
        ),
        Section(
            "Keywords",
            rows=[("Found", _join(analysis.matching_keywords)), ("Missing", _join(analysis.missing_keywords))],
        ),
        *_why_sections(report),
        Section("Strengths", bullets=list(insights.strengths)),
        Section("Improvements", bullets=list(insights.improvements)),
        Section(
            "Recommendations",
            bullets=[f"{level.title()}: {text}" for level, items in recs.by_level().items() for text in items],
        ),
        Section(
            "Flashcards",
            paragraphs=[f"{meta.flashcards_added or 0} new cards were added to your deck."],
            bullets=[f"{card.front} — {card.back}" for card in report.flashcards],
        ),
        Section(
            "How this report was made",
            paragraphs=[
                "Scores come from the built-in engine and are reproducible. Insights written by "
                f"{provider_label(meta.sources.get('insights', 'local'))}; flashcards by "
                f"{provider_label(meta.sources.get('flashcards', 'local'))}.",
                *meta.notes,
            ],
        ),
    ]
    return [s for s in sections if s.paragraphs or s.bullets or s.rows or s.table]


def _why_sections(report: Report) -> list[Section]:
    """ "Why these scores": per sub-score the sentence and the table the report page shows."""
    return [
        Section(
            f"Why these scores — {part.label}: {part.score} / 100 ({part.share:.0%} of the overall score)",
            paragraphs=[part.sentence],
            table=[COLUMNS, *((r.what, r.counted, r.missing, r.weight) for r in part.rows)] if part.rows else [],
        )
        for part in explain(report)
    ]


# --- Markdown ---------------------------------------------------------------------------------------------


def to_markdown(record: AnalysisRecord) -> str:
    lines = [f"# ATS report: {markdown_text(record.job_title)}", ""]
    for section in outline(record):
        lines += [f"## {markdown_text(section.heading)}", ""]
        if section.rows:
            rows = (f"| {markdown_text(k)} | {markdown_text(v)} |" for k, v in section.rows)
            lines += ["| | |", "|---|---|", *rows, ""]
        lines += [*(f"{markdown_text(p)}\n" for p in section.paragraphs)]
        if section.table:
            header, *body = section.table
            lines += [
                "| " + " | ".join(markdown_text(c) for c in header) + " |",
                "|" + "---|" * len(header),
                *("| " + " | ".join(markdown_text(c) for c in row) + " |" for row in body),
                "",
            ]
        if section.bullets:
            lines += [*(f"- {markdown_text(b)}" for b in section.bullets), ""]
    return "\n".join(lines).rstrip() + "\n"


# --- charts (matplotlib, PNG) -----------------------------------------------------------------------------


# matplotlib is imported only when a PDF is built: rendering a report page never pays for it.


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _png(figure: Figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=140)
    return out.getvalue()


def gauge_png(score: int) -> bytes:
    """A half-ring gauge: the score's share coloured by band, the rest grey, the number in the middle."""
    from matplotlib.patches import Wedge

    figure = _figure(3.2, 1.9)
    axes = figure.add_subplot()
    turn = 180 - 1.8 * score
    axes.add_patch(Wedge((0, 0), 1, turn, 180, width=0.32, color=score_colour(score)))
    axes.add_patch(Wedge((0, 0), 1, 0, turn, width=0.32, color="#e0e0e0"))
    axes.text(0, 0.2, str(score), ha="center", va="center", fontsize=26, fontweight="bold")
    axes.text(0, -0.08, "overall ATS score", ha="center", va="center", fontsize=8, color="#555555")
    axes.set_xlim(-1.05, 1.05)
    axes.set_ylim(-0.15, 1.05)
    axes.set_aspect("equal")
    axes.axis("off")
    return _png(figure)


def breakdown_png(breakdown: dict[str, int]) -> bytes:
    figure = _figure(5.2, 2.4)
    axes = figure.add_subplot()
    labels = [PART_LABELS[p] for p in BREAKDOWN][::-1]
    values = [breakdown[p] for p in BREAKDOWN][::-1]
    bars = axes.barh(labels, values, color=[score_colour(v) for v in values])
    axes.bar_label(bars, padding=3, fontsize=8)
    axes.set_xlim(0, 105)
    axes.set_title("Score breakdown", fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)
    return _png(figure)


# --- PDF --------------------------------------------------------------------------------------------------


class _ReportPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(120)
        self.cell(0, 5, f"InterviewPrep ATS report · page {self.page_no()}", align="C")


def to_pdf(record: AnalysisRecord) -> bytes:
    import matplotlib

    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = _ReportPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"ATS report: {record.job_title}")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, f"ATS report: {record.job_title}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    top = pdf.get_y()
    pdf.image(io.BytesIO(gauge_png(record.overall_score)), x=pdf.l_margin, y=top, w=62)
    pdf.image(io.BytesIO(breakdown_png(record.breakdown)), x=pdf.l_margin + 70, y=top, w=105)
    pdf.set_y(top + 56)
    width = pdf.epw
    for section in outline(record):
        pdf.set_font("DejaVu", "B", 12)
        pdf.ln(2)
        pdf.multi_cell(width, 7, section.heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9.5)
        for key, value in section.rows:
            pdf.set_font("DejaVu", "B", 9.5)
            pdf.cell(48, 5.5, key)
            pdf.set_font("DejaVu", "", 9.5)
            pdf.multi_cell(width - 48, 5.5, value, new_x="LMARGIN", new_y="NEXT")
        for paragraph in section.paragraphs:
            pdf.multi_cell(width, 5.5, paragraph, new_x="LMARGIN", new_y="NEXT")
        if section.table:
            _pdf_table(pdf, section.table)
        for bullet in section.bullets:
            pdf.cell(5, 5.5, "•")
            pdf.multi_cell(width - 5, 5.5, bullet, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _pdf_table(pdf: FPDF, rows: list[tuple[str, ...]]) -> None:
    pdf.set_font("DejaVu", "", 8.5)
    with pdf.table(
        col_widths=(32, 30, 26, 12), line_height=4.5, first_row_as_headings=True, text_align="LEFT"
    ) as table:
        for row in rows:
            cells = table.row()
            for value in row:
                cells.cell(value or "—")
    pdf.set_font("DejaVu", "", 9.5)


def file_stem(record: AnalysisRecord) -> str:
    """A safe download name: ats-report-<job>-<date>."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in record.job_title.lower()).strip("-")
    slug = "-".join(part for part in slug.split("-") if part)[:50] or "job"
    return f"ats-report-{slug}-{record.created_at:%Y%m%d}"
