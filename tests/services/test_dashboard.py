"""Cohort dashboard figures (from SQL aggregates), filters and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from core.access import Role
from core.coaching import cohorts, dashboard
from core.db import utcnow
from core.models import Wallet
from core.student import analyses, interviews
from tests.cohort_data import add_analysis, add_cards, add_interview, set_last_active


@pytest.fixture
def cohort(ctx, make_user):
    """Three students: Ana improving (40→70), Ben stuck at 30 and inactive, Cy with no analysis yet."""
    counselor = make_user(Role.COUNSELOR)
    info = cohorts.create_cohort(ctx, counselor, name="CS")
    ana, ben, cy = make_user(name="Ana"), make_user(name="=Ben"), make_user(name="Cy")
    outsider = make_user(name="Outsider")
    for s in (ana, ben, cy):
        cohorts.join_cohort(ctx, s, info.invite_code, consent=True)
    now = utcnow()
    add_analysis(ctx, ana, 40, ["sql", "tableau"], at=now - timedelta(days=20))
    add_analysis(ctx, ana, 70, ["tableau"], at=now - timedelta(days=2))
    add_analysis(ctx, ben, 30, ["sql", "tableau", "python"], at=now - timedelta(days=30))
    add_analysis(ctx, outsider, 99, ["sql"], at=now)
    add_interview(ctx, ana, 75)
    add_interview(ctx, ana, 80)
    add_cards(ctx, ben, due=3, later=2)
    set_last_active(ctx, ana, now - timedelta(days=1))
    set_last_active(ctx, ben, now - timedelta(days=20))
    set_last_active(ctx, cy, None)
    with ctx.db.session() as s:
        s.get(Wallet, ana.id).balance = 7
    return {"counselor": counselor, "info": info, "ana": ana, "ben": ben, "cy": cy}


def test_headline_histogram_breakdown_skills_and_table(ctx, cohort):
    board = dashboard.cohort_dashboard(ctx, cohort["counselor"], cohort["info"].id)
    assert board.headline == dashboard.Headline(students=3, active_7d=1, median_best=50.0, interviews_done=2)
    assert [r.name for r in board.students] == ["Cy", "=Ben", "Ana"]  # weakest first
    cy, ben, ana = board.students
    assert (ana.analyses, ana.best_score, ana.first_score, ana.latest_score, ana.score_change) == (2, 70, 40, 70, 30)
    assert (ana.interviews, ana.cards_due, ana.credits) == (2, 0, 7)
    assert (ben.best_score, ben.score_change, ben.cards_due, ben.credits) == (30, None, 3, 10)
    assert (cy.analyses, cy.best_score, cy.interviews) == (0, None, 0)
    assert dict(board.histogram)["30–39"] == 1 and dict(board.histogram)["70–79"] == 1
    assert sum(n for _, n in board.histogram) == 2 and board.no_analysis_yet == 1
    # averages over each student's latest analysis: Ana 70, Ben 30 (the outsider's 99 is not in the cohort)
    assert board.breakdown["keyword_density"] == 50.0
    assert board.breakdown["education_match"] == 100.0
    assert board.missing_skills == [("tableau", 2), ("python", 1), ("sql", 1)]
    weeks = [w for w in board.weeks if w.analyses]
    assert sum(w.analyses for w in weeks) == 3 and sum(w.interviews for w in board.weeks) == 2
    assert board.weeks == sorted(board.weeks, key=lambda w: w.week_start)
    assert all(w.week_start.weekday() == 0 for w in board.weeks)


def test_empty_cohort_dashboard(ctx, make_user):
    counselor = make_user(Role.COUNSELOR)
    info = cohorts.create_cohort(ctx, counselor, name="Empty")
    board = dashboard.cohort_dashboard(ctx, counselor, info.id)
    assert board.headline == dashboard.Headline(0, 0, None, 0)
    assert board.missing_skills == [] and board.breakdown["skills_match"] is None


def test_filters_inactive_and_low_score(ctx, cohort):
    rows = dashboard.cohort_dashboard(ctx, cohort["counselor"], cohort["info"].id).students
    assert [r.name for r in dashboard.filter_students(rows, inactive_days=14)] == ["Cy", "=Ben"]
    assert [r.name for r in dashboard.filter_students(rows, best_below=50)] == ["Cy", "=Ben"]
    assert [r.name for r in dashboard.filter_students(rows, best_below=71)] == ["Cy", "=Ben", "Ana"]
    assert [r.name for r in dashboard.filter_students(rows, inactive_days=14, best_below=20)] == ["Cy"]


def test_csv_has_every_student_and_neutralises_formulas(ctx, cohort):
    rows = dashboard.cohort_dashboard(ctx, cohort["counselor"], cohort["info"].id).students
    parsed = list(csv.DictReader(io.StringIO(dashboard.students_csv(rows))))
    assert list(parsed[0].keys()) == list(dashboard.CSV_COLUMNS)
    by_email = {r["email"]: r for r in parsed}
    ana = by_email[cohort["ana"].email]
    assert (
        ana["name"],
        ana["analyses"],
        ana["best_score"],
        ana["latest_score"],
        ana["score_change"],
        ana["interviews"],
        ana["cards_due"],
        ana["credits"],
    ) == ("Ana", "2", "70", "70", "30", "2", "0", "7")
    assert by_email[cohort["ben"].email]["name"] == "'=Ben"
    cy = by_email[cohort["cy"].email]
    assert (cy["best_score"], cy["last_active_utc"], cy["score_change"]) == ("", "", "")


def test_the_drill_down_reads_the_student_services(ctx, cohort):
    counselor, ana = cohort["counselor"], cohort["ana"]
    overview = dashboard.student_overview(ctx, counselor, ana.id)
    assert (overview.name, overview.cohorts) == ("Ana", ["CS"])
    reports = analyses.list_analyses(ctx, counselor, student_id=ana.id)
    assert [a.overall_score for a in reports] == [70, 40]
    assert analyses.get_analysis(ctx, counselor, reports[0].id).breakdown["keyword_density"] == 70
    sessions = interviews.list_interviews(ctx, counselor, student_id=ana.id)
    assert len(sessions) == 2 and sessions[0].overall in (75, 80)
    assert interviews.get_interview(ctx, counselor, sessions[0].id).answers[0]["text"].startswith("I built")
