"""Plotly figures shared by pages (progress, drill-down, reports). Pure builders: pages call st.plotly_chart."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import date, timedelta

import plotly.graph_objects as go

from core.engine.explain import PART_LABELS
from core.engine.practice.tuning import PACE_RANGE
from core.engine.report import BREAKDOWN
from core.student.deck import ReviewDay
from core.student.progress import ScorePoint

# Plotly's toolbar stays on screen on touch devices, over the chart's title; Streamlit's own toolbar has fullscreen.
PLOT_CONFIG = {"displayModeBar": False}
LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "height": 320, "legend": {"orientation": "h", "y": -0.2}}
SCORE_AXIS = {"range": [0, 100], "tick0": 0, "dtick": 20}  # 0, 20, … 100: never 31.7 or 63.3


def count_axis(values: Sequence[float | int | None], **more: object) -> dict[str, object]:
    """An axis of counts (reviews, students): whole-number ticks from zero, about five of them."""
    top = max((v for v in values if v is not None), default=0)
    return {"rangemode": "tozero", "tick0": 0, "dtick": max(1, math.ceil(top / 5)), "tickformat": "d", **more}


def spread_time_axis(figure: go.Figure, moments: Sequence[date]) -> go.Figure:
    """With a single distinct date Plotly zooms its time axis to milliseconds: show the week around it instead."""
    if len(set(moments)) == 1 and isinstance(moments[0], date):
        figure.update_xaxes(range=[moments[0] - timedelta(days=3), moments[0] + timedelta(days=3)])
    return figure


def label(text: str) -> str:
    """User text (job titles, file names) as Plotly shows it: its HTML subset (links, bold) stays inert."""
    return html.escape(text, quote=False)


def score_lines(points: Sequence[ScorePoint]) -> dict[str, list[ScorePoint]]:
    """The points grouped by trend line (one CV version against one job), named "job · CV", in a stable order."""
    lines: dict[tuple[object, object], list[ScorePoint]] = {}
    for point in points:
        lines.setdefault(point.line, []).append(point)
    named: dict[str, list[ScorePoint]] = {}
    for mine in sorted(lines.values(), key=lambda ps: (ps[0].line_label, ps[0].created_at)):
        name = mine[0].line_label
        while name in named:  # two CVs with one file name, or two jobs with one title
            name += " (another)"
        named[name] = mine
    return named


def scores_by_cv_and_job(points: Sequence[ScorePoint]) -> go.Figure:
    figure = go.Figure()
    for name, mine in score_lines(points).items():
        figure.add_scatter(x=[p.created_at for p in mine], y=[p.overall for p in mine], mode="lines+markers",
                           name=label(name), hovertemplate="%{y} / 100 · %{x|%d %b %Y}<extra>%{fullData.name}</extra>")
    figure.update_layout(title="ATS score over time, per CV and job", yaxis={**SCORE_AXIS, "title": "score"},
                         **LAYOUT)  # fmt: skip
    return spread_time_axis(figure, [p.created_at for p in points])


def breakdown_over_time(points: Sequence[ScorePoint], name: str) -> go.Figure:
    """The five sub-scores along one trend line (`name`: its "job · CV" label)."""
    figure = go.Figure()
    for part in BREAKDOWN:
        figure.add_scatter(x=[p.created_at for p in points], y=[p.breakdown[part] for p in points],
                           mode="lines+markers", name=PART_LABELS[part])
    figure.update_layout(title=f"Score breakdown: {label(name)}", yaxis=SCORE_AXIS, **LAYOUT)
    return spread_time_axis(figure, [p.created_at for p in points])


def interview_scores(rows: Sequence[dict]) -> go.Figure:
    figure = go.Figure()
    for key in ("overall", "technical", "communication", "job_match"):
        figure.add_scatter(x=[r["completed_at"] for r in rows], y=[r[key] for r in rows], mode="lines+markers",
                           name=key.replace("_", " ").title())
    figure.update_layout(title="Interview scores", yaxis=SCORE_AXIS, **LAYOUT)
    return spread_time_axis(figure, [r["completed_at"] for r in rows])


def delivery_over_time(rows: Sequence[dict]) -> go.Figure | None:
    """Pace and filler rate of the interviews with spoken answers, with the pace target as a band; None if none."""
    spoken = [r for r in rows if r.get("words_per_minute") is not None]
    if not spoken:
        return None
    when = [r["completed_at"] for r in spoken]
    figure = go.Figure()
    figure.add_hrect(y0=PACE_RANGE[0], y1=PACE_RANGE[1], fillcolor="green", opacity=0.08, line_width=0)
    figure.add_scatter(x=when, y=[r["words_per_minute"] for r in spoken], mode="lines+markers", name="Words a minute")
    figure.add_scatter(x=when, y=[r["fillers_per_minute"] for r in spoken], mode="lines+markers",
                       name="Filler words a minute", yaxis="y2")  # fmt: skip
    fillers_axis = {"overlaying": "y", "side": "right", "rangemode": "tozero", "title": "fillers a minute"}
    figure.update_layout(title="Spoken answers: pace and filler words", yaxis={"title": "words a minute"},
                         yaxis2=fillers_axis, **LAYOUT)  # fmt: skip
    return spread_time_axis(figure, when)


def reviews_per_day(days: Sequence[ReviewDay]) -> go.Figure:
    figure = go.Figure()
    figure.add_bar(x=[d.day for d in days], y=[d.reviews for d in days], name="Reviews")
    figure.add_scatter(x=[d.day for d in days], y=[round(100 * d.retention) for d in days], name="Recalled %",
                       yaxis="y2", mode="lines+markers")
    reviews = count_axis([d.reviews for d in days], title="reviews")
    figure.update_layout(title="Flashcard reviews per day", yaxis=reviews,
                         yaxis2={**SCORE_AXIS, "overlaying": "y", "side": "right", "title": "% recalled"},
                         **LAYOUT)
    return spread_time_axis(figure, [d.day for d in days])
