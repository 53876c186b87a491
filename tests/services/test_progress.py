"""Progress on SQLite and PostgreSQL: history, skills gained, summary, activity, privacy; and the pages."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.access import Role
from core.errors import AppError, ErrorCode
from core.models import Analysis, Cohort, CohortMember, Interview, InterviewResult
from core.student import deck, progress
from core.student.deck import Grade
from tests import cohort_data

START = datetime(2026, 10, 1, 12, 0)


def add_analysis(session, user_id: int, job: str, overall: int, day: int, matched=(), missing=()) -> None:
    session.add(Analysis(
        user_id=user_id, job_title=job, overall_score=overall, keyword_density=overall - 5, skills_match=overall,
        experience_relevance=70, education_match=100, format_optimization=80, created_at=START + timedelta(days=day),
        report=_report(overall, list(matched), list(missing)),
    ))


def _report(overall: int, matched: list[str], missing: list[str]) -> dict:
    report = cohort_data.report(overall, missing)
    report["analysis"]["matching_skills"] = matched
    return report


@pytest.fixture
def history(ctx, make_user):
    student = make_user()
    with ctx.db.session() as s:
        add_analysis(s, student.id, "Data Analyst", 48, 0, ["sql"], ["tableau", "python"])
        add_analysis(s, student.id, "Data Analyst", 61, 7, ["sql", "tableau"], ["python"])
        add_analysis(s, student.id, "Data Analyst", 74, 14, ["sql", "tableau", "python"], [])
        add_analysis(s, student.id, "Backend Engineer", 35, 10, ["python"], ["docker"])
        interview = Interview(user_id=student.id, mode="practice", status="completed", job_title="Data Analyst",
                              created_at=START + timedelta(days=15), completed_at=START + timedelta(days=15))
        s.add(interview)
        s.flush()
        s.add(InterviewResult(interview_id=interview.id, user_id=student.id, technical=60, communication=70,
                              job_match=65, overall=66))
    return student


def test_score_history_and_skill_gains(ctx, history):
    points = progress.score_history(ctx, history, history.id)
    assert [p.overall for p in points] == [48, 61, 35, 74]
    assert points[0].breakdown["keyword_density"] == 43
    gains = progress.skill_gains(ctx, history, history.id)
    assert [(g.job_title, g.skill) for g in gains] == [("Data Analyst", "python"), ("Data Analyst", "tableau")]


def test_summary_shows_latest_score_change_for_the_same_job(ctx, history):
    summary = progress.summary(ctx, history, history.id)
    assert (summary.latest_job, summary.latest_score, summary.score_change) == ("Data Analyst", 74, 13)
    assert (summary.analyses, summary.interviews, summary.balance) == (4, 1, ctx.settings.welcome_credits)
    assert progress.suggest_next(summary, cards_due=0)[0] == "cvs"


def test_interview_history_and_activity(ctx, history):
    [row] = progress.interview_history(ctx, history, history.id)
    assert (row["overall"], row["mode"]) == (66, "practice")
    kinds = [e.kind for e in progress.activity(ctx, history, history.id)]
    assert kinds[:2] == ["interview", "analysis"] and kinds.count("analysis") == 4


def test_suggestions_follow_the_student_journey():
    base = progress.Summary(balance=10, latest_score=None, latest_job=None, score_change=None, analyses=0,
                            interviews=0, cvs=0)
    assert progress.suggest_next(base, 0)[0] == "cvs"
    with_cv = progress.Summary(**{**base.__dict__, "cvs": 1})
    assert progress.suggest_next(with_cv, 0)[0] == "job_match"
    analysed = progress.Summary(**{**with_cv.__dict__, "analyses": 1, "latest_score": 80})
    assert progress.suggest_next(analysed, 3) == ("flashcards", "Review your 3 due flashcards.")
    assert progress.suggest_next(analysed, 0)[0] == "interviews"
    weak = progress.Summary(**{**analysed.__dict__, "latest_score": 40})
    assert progress.suggest_next(weak, 0)[0] == "job_match"


def test_others_cannot_read_a_students_progress(ctx, history, make_user):
    other, counselor = make_user(), make_user(Role.COUNSELOR)
    for actor in (other, counselor):
        for read in (progress.score_history, progress.skill_gains, progress.interview_history, progress.activity,
                     progress.summary):
            with pytest.raises(AppError) as denied:
                read(ctx, actor, history.id)
            assert denied.value.code == ErrorCode.NOT_FOUND
    with ctx.db.session() as s:
        cohort = Cohort(name="C", invite_code="PROG01")
        s.add(cohort)
        s.flush()
        s.add_all([CohortMember(cohort_id=cohort.id, user_id=counselor.id, member_role="counselor"),
                   CohortMember(cohort_id=cohort.id, user_id=history.id, member_role="student")])
    assert len(progress.score_history(ctx, counselor, history.id)) == 4


def test_progress_page_empty_state_and_with_data(open_app, make_user, history, ctx):
    empty = open_app(make_user(), page="app_pages/progress.py")
    assert not empty.exception
    assert "No history yet" in empty.info[0].value
    at = open_app(history, page="app_pages/progress.py")
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 3  # scores by job, breakdown, interview scores
    assert any("python" in m.value for m in at.markdown)


def test_flashcards_page_review_flow(open_app, make_user, ctx):
    student = make_user()
    with ctx.db.session() as s:
        deck.add_generated(s, student.id, [{"front": "What is a JOIN?", "back": "Combines rows.", "skill": "sql"}],
                           job_title="Data Analyst")
    at = open_app(student, page="app_pages/flashcards.py")
    assert not at.exception
    assert at.metric[0].value == "1"
    at.button(key="fc_reveal").click().run()
    assert "Combines rows." in [m.value for m in at.markdown]
    at.button(key=f"fc_grade_{Grade.GOOD.name}").click().run()
    assert not at.exception
    assert at.metric[0].value == "0"
    assert "Nothing is due" in at.info[0].value
    assert deck.list_cards(ctx, student)[0].reviews == 1


def test_flashcards_page_empty_deck(open_app, make_user):
    at = open_app(make_user(), page="app_pages/flashcards.py")
    assert not at.exception
    assert any("Nothing is due" in i.value for i in at.info)


def test_dashboard_shows_balance_score_and_next_step(open_app, history):
    at = open_app(history)
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["Credits"] == "10" and values["Latest ATS score · Data Analyst"] == "74"
    assert any("Upload your CV" in m.value for m in at.markdown)
