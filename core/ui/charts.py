"""Plotly figures shared by pages (progress, drill-down, reports). Pure builders: pages call st.plotly_chart."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from core.deck import ReviewDay
from core.progress import BREAKDOWN, ScorePoint

LABELS = {
    "keyword_density": "Keywords",
    "skills_match": "Skills",
    "experience_relevance": "Experience",
    "education_match": "Education",
    "format_optimization": "Format",
}
LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "height": 320, "legend": {"orientation": "h", "y": -0.2}}


def scores_by_job(points: Sequence[ScorePoint]) -> go.Figure:
    figure = go.Figure()
    for job in sorted({p.job_title for p in points}):
        mine = [p for p in points if p.job_title == job]
        figure.add_scatter(x=[p.created_at for p in mine], y=[p.overall for p in mine], mode="lines+markers", name=job)
    figure.update_layout(title="ATS score over time", yaxis={"range": [0, 100], "title": "score"}, **LAYOUT)
    return figure


def breakdown_over_time(points: Sequence[ScorePoint]) -> go.Figure:
    figure = go.Figure()
    for part in BREAKDOWN:
        figure.add_scatter(x=[p.created_at for p in points], y=[p.breakdown[part] for p in points],
                           mode="lines+markers", name=LABELS[part])
    figure.update_layout(title="Score breakdown over time", yaxis={"range": [0, 100]}, **LAYOUT)
    return figure


def interview_scores(rows: Sequence[dict]) -> go.Figure:
    figure = go.Figure()
    for key in ("overall", "technical", "communication", "job_match"):
        figure.add_scatter(x=[r["completed_at"] for r in rows], y=[r[key] for r in rows], mode="lines+markers",
                           name=key.replace("_", " ").title())
    figure.update_layout(title="Interview scores", yaxis={"range": [0, 100]}, **LAYOUT)
    return figure


def reviews_per_day(days: Sequence[ReviewDay]) -> go.Figure:
    figure = go.Figure()
    figure.add_bar(x=[d.day for d in days], y=[d.reviews for d in days], name="Reviews")
    figure.add_scatter(x=[d.day for d in days], y=[round(100 * d.retention) for d in days], name="Recalled %",
                       yaxis="y2", mode="lines+markers")
    figure.update_layout(title="Flashcard reviews per day", yaxis={"title": "reviews"},
                         yaxis2={"overlaying": "y", "side": "right", "range": [0, 100], "title": "% recalled"},
                         **LAYOUT)
    return figure
