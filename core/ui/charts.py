"""Plotly figures shared by pages (progress, drill-down, reports). Pure builders: pages call st.plotly_chart."""

from __future__ import annotations

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


def spread_time_axis(figure: go.Figure, moments: Sequence[date]) -> go.Figure:
    """With a single distinct date Plotly zooms its time axis to milliseconds: show the week around it instead."""
    if len(set(moments)) == 1 and isinstance(moments[0], date):
        figure.update_xaxes(range=[moments[0] - timedelta(days=3), moments[0] + timedelta(days=3)])
    return figure


def scores_by_job(points: Sequence[ScorePoint]) -> go.Figure:
    figure = go.Figure()
    for job in sorted({p.job_title for p in points}):
        mine = [p for p in points if p.job_title == job]
        figure.add_scatter(x=[p.created_at for p in mine], y=[p.overall for p in mine], mode="lines+markers", name=job)
    figure.update_layout(title="ATS score over time", yaxis={"range": [0, 100], "title": "score"}, **LAYOUT)
    return spread_time_axis(figure, [p.created_at for p in points])


def breakdown_over_time(points: Sequence[ScorePoint]) -> go.Figure:
    figure = go.Figure()
    for part in BREAKDOWN:
        figure.add_scatter(x=[p.created_at for p in points], y=[p.breakdown[part] for p in points],
                           mode="lines+markers", name=PART_LABELS[part])
    figure.update_layout(title="Score breakdown over time", yaxis={"range": [0, 100]}, **LAYOUT)
    return spread_time_axis(figure, [p.created_at for p in points])


def interview_scores(rows: Sequence[dict]) -> go.Figure:
    figure = go.Figure()
    for key in ("overall", "technical", "communication", "job_match"):
        figure.add_scatter(x=[r["completed_at"] for r in rows], y=[r[key] for r in rows], mode="lines+markers",
                           name=key.replace("_", " ").title())
    figure.update_layout(title="Interview scores", yaxis={"range": [0, 100]}, **LAYOUT)
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
    figure.update_layout(title="Flashcard reviews per day", yaxis={"title": "reviews"},
                         yaxis2={"overlaying": "y", "side": "right", "range": [0, 100], "title": "% recalled"},
                         **LAYOUT)
    return spread_time_axis(figure, [d.day for d in days])
