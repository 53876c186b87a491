"""Plotly figures for the cohort dashboard. Pure builders over core.dashboard results; pages call st.plotly_chart."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from core.coaching.dashboard import WeekPoint
from core.engine.explain import PART_LABELS
from core.ui.charts import LAYOUT, SCORE_AXIS, count_axis, spread_time_axis


def best_score_histogram(bins: Sequence[tuple[str, int]]) -> go.Figure:
    figure = go.Figure(go.Bar(x=[label for label, _ in bins], y=[n for _, n in bins], marker_color="#4c78a8"))
    figure.update_layout(title="Best ATS score per student", xaxis={"title": "score"},
                         yaxis=count_axis([n for _, n in bins], title="students"), **LAYOUT)  # fmt: skip
    return figure


def breakdown_averages(breakdown: dict[str, float | None]) -> go.Figure:
    parts = [p for p in breakdown if breakdown[p] is not None]
    figure = go.Figure(go.Bar(x=[breakdown[p] for p in parts], y=[PART_LABELS.get(p, p) for p in parts],
                              orientation="h", text=[breakdown[p] for p in parts], textposition="outside"))  # fmt: skip
    figure.update_layout(title="Average breakdown (latest analysis)", xaxis={**SCORE_AXIS, "range": [0, 110]}, **LAYOUT)
    return figure


def missing_skills(skills: Sequence[tuple[str, int]]) -> go.Figure:
    ordered = list(skills)[::-1]  # largest on top
    figure = go.Figure(go.Bar(x=[n for _, n in ordered], y=[s for s, _ in ordered], orientation="h",
                              marker_color="#e45756"))  # fmt: skip
    axis = count_axis([n for _, n in ordered], title="students missing it")
    figure.update_layout(title="Most common missing skills", xaxis=axis,
                         **{**LAYOUT, "height": max(320, 26 * len(ordered) + 80)})  # fmt: skip
    return figure


def weekly_progress(weeks: Sequence[WeekPoint]) -> go.Figure:
    figure = go.Figure()
    x = [w.week_start for w in weeks]
    figure.add_bar(x=x, y=[w.analyses for w in weeks], name="Analyses", marker_color="#9ecae9")
    figure.add_bar(x=x, y=[w.interviews for w in weeks], name="Interviews", marker_color="#72b7b2")
    figure.add_scatter(x=x, y=[w.average_score for w in weeks], name="Average ATS score", yaxis="y2",
                       mode="lines+markers", connectgaps=True)  # fmt: skip
    counts = [w.analyses for w in weeks] + [w.interviews for w in weeks]
    figure.update_layout(title="Progress by week", barmode="group", yaxis=count_axis(counts, title="count"),
                         yaxis2={**SCORE_AXIS, "overlaying": "y", "side": "right", "title": "score"},
                         **LAYOUT)  # fmt: skip
    return spread_time_axis(figure, x)
