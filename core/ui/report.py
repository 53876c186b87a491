"""Render a stored ATS report: gauge, breakdown, skill chips, fit, keywords, insights, flashcards, evidence.

Shared by the Job match page and the counselor's student drill-down (`render_report(record, key=...)`).
Only reads the stored JSON, so reopening a report is free and fast; the PDF is built on click.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import streamlit as st

from core.engine.explain import COLUMNS, PART_LABELS, explain, with_cover
from core.engine.report import BREAKDOWN, FAIR_SCORE, GOOD_SCORE
from core.student import report_export
from core.student.analyses import AnalysisRecord, provider_label
from core.student.report_export import score_colour
from core.ui.charts import PLOT_CONFIG
from core.ui.clock import when
from core.ui.text import plain

CHART_HEIGHT = 260
PRIORITIES = (("high", "red"), ("medium", "orange"), ("low", "blue"))


# The two charts depend on the scores only, and building a Plotly figure costs ~4 ms of CPU on every run that shows
# a report: they are built once per process and scores, and shared (st.plotly_chart copies a figure, never alters it).
@st.cache_resource(show_spinner=False, max_entries=256)
def gauge(score: int) -> go.Figure:
    figure = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=score,
            number={"suffix": " / 100"},
            title={"text": "Overall ATS score"},
            gauge={
                "axis": {"range": [0, 100]},
                "bar": {"color": score_colour(score)},
                "steps": [
                    {"range": [0, FAIR_SCORE], "color": "#fdecea"},
                    {"range": [FAIR_SCORE, GOOD_SCORE], "color": "#fff8e1"},
                    {"range": [GOOD_SCORE, 100], "color": "#e8f5e9"},
                ],
            },
        )
    )
    figure.update_layout(height=CHART_HEIGHT, margin={"l": 35, "r": 35, "t": 50, "b": 10})  # room for the "100" tick
    return figure


@st.cache_resource(show_spinner=False, max_entries=256)
def breakdown_bars(breakdown: dict[str, int]) -> go.Figure:
    parts = list(BREAKDOWN)[::-1]
    values = [breakdown[p] for p in parts]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=[PART_LABELS[p] for p in parts],
            orientation="h",
            marker_color=[score_colour(v) for v in values],
            text=values,
            textposition="outside",
        )
    )
    figure.update_layout(
        title="Score breakdown", height=CHART_HEIGHT, xaxis={"range": [0, 110]},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )  # fmt: skip
    return figure


def chips(skills: list[str], colour: str, empty: str = "none") -> str:
    """Skills as coloured Markdown badges on one line (job phrases among them, so shown as plain text)."""
    return " ".join(f":{colour}-badge[{plain(s)}]" for s in skills) if skills else f"_{empty}_"


def _bullets(items: list[str]) -> None:
    if items:
        st.markdown("\n".join(f"- {plain(item)}" for item in items))
    else:
        st.caption("Nothing to add here.")


def render_report(record: AnalysisRecord, *, key: str = "report", downloads: bool = True) -> None:
    report = record.report
    analysis, evidence = report.analysis, report.ats_score.evidence
    skills = evidence.skills_match if evidence else None
    meta = record.meta

    st.subheader(plain(record.job_title))
    st.caption(
        f"CV: {plain(record.cv_label)} · {when(record.created_at)} · "
        f"wording by {provider_label(record.provider)}"
    )
    for note in meta.notes:
        st.info(plain(note), icon=":material/info:")

    left, right = st.columns(2)
    left.plotly_chart(gauge(record.overall_score), key=f"{key}_gauge", config=PLOT_CONFIG)
    right.plotly_chart(breakdown_bars(record.breakdown), key=f"{key}_bars", config=PLOT_CONFIG)
    compat = analysis.role_compatibility
    st.markdown(f"**Role compatibility {compat.score} / 100.** {plain(compat.reasoning)}")

    st.markdown("#### Skills")
    required_hit = with_cover(skills.required_matched, skills.covered_by) if skills else []
    preferred_hit = with_cover(skills.preferred_matched, skills.covered_by) if skills else []
    st.markdown("**Required** — on your CV: " + chips(required_hit, "green"))
    st.markdown("**Required** — missing: " + chips(skills.required_missing if skills else [], "red"))
    st.markdown("**Preferred** — on your CV: " + chips(preferred_hit, "green"))
    st.markdown("**Preferred** — missing: " + chips(skills.preferred_missing if skills else [], "orange"))

    exp, edu = analysis.experience_match, analysis.education_match
    years, degree, keywords = st.columns(3)
    years.metric("Experience", f"{exp.candidate_years:g} years")
    years.caption(
        f"The job asks for {exp.required_years:g}+ years: {exp.match_percentage}% covered."
        if exp.required_years
        else "The job states no minimum."
    )
    degree.metric("Education", (edu.candidate or "none").replace("_", " "))
    asked = (edu.required or "").replace("_", " ")
    degree.caption(
        (f"Meets the {asked} requirement." if edu.match else f"Below the {asked} requirement.")
        if asked
        else "The job states no degree."
    )
    keywords.metric("Keywords found", f"{len(analysis.matching_keywords)} of "
                    f"{len(analysis.matching_keywords) + len(analysis.missing_keywords)}")  # fmt: skip
    st.markdown("**Keywords** — found: " + chips(analysis.matching_keywords, "green")
                + "  \nmissing: " + chips(analysis.missing_keywords, "gray"))  # fmt: skip

    insights = report.insights
    st.markdown("#### What to do next")
    priorities = insights.recommendations.by_level()
    for level, colour in PRIORITIES:
        items = priorities[level]
        if items:
            st.markdown(f":{colour}-badge[{level.title()} priority]")
            _bullets(items)
    strengths, improvements = st.columns(2)
    with strengths:
        st.markdown("**Strengths**")
        _bullets(insights.strengths)
    with improvements:
        st.markdown("**Improvements**")
        _bullets(insights.improvements)

    cards = report.flashcards
    added = meta.flashcards_added
    st.markdown("#### Flashcards")
    if added is not None:
        st.caption(f"{added} new cards were added to your deck ({len(cards) - added} you already had).")
    with st.expander(f"The {len(cards)} interview flashcards from this report"):
        for card in cards:
            st.markdown(f"**{plain(card.front)}**  \n{plain(card.back)}")

    st.markdown("#### Why these scores")
    for part in explain(report):
        with st.expander(f"{part.label}: {part.score} / 100 · {part.share:.0%} of the overall score"):
            st.markdown(plain(part.sentence))
            if part.rows:
                st.table([dict(zip(COLUMNS, map(plain, (r.what, r.counted, r.missing, r.weight)), strict=True))
                          for r in part.rows])  # fmt: skip

    if downloads:
        report_downloads(record, key=key)


def report_downloads(record: AnalysisRecord, *, key: str) -> None:
    """The files are made when their button is clicked, not on every run that shows the report."""
    stem = report_export.file_stem(record)
    pdf, markdown, raw = st.columns(3)
    pdf.download_button(
        "Download PDF", data=lambda: report_export.to_pdf(record), file_name=f"{stem}.pdf",
        mime="application/pdf", icon=":material/picture_as_pdf:", key=f"{key}_pdf", on_click="ignore",
    )  # fmt: skip
    markdown.download_button(
        "Download Markdown", data=lambda: report_export.to_markdown(record), file_name=f"{stem}.md",
        mime="text/markdown", icon=":material/description:", key=f"{key}_md", on_click="ignore",
    )  # fmt: skip
    raw.download_button(
        "Download JSON", data=lambda: json.dumps(record.report.to_json(), ensure_ascii=False, indent=2),
        file_name=f"{stem}.json",
        mime="application/json", icon=":material/data_object:", key=f"{key}_json", on_click="ignore",
    )  # fmt: skip
