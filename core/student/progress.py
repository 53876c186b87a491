"""A student's progress over time: scores per job, skills gained, interview scores, activity.

Everything here reads one student's rows through `require_student_access`, so the same functions serve the
student's own Progress page and a counselor's read-only drill-down (which is audit-logged).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from core.access import Actor, require_student_access, view_session
from core.context import AppContext
from core.engine.report import BREAKDOWN, load_report
from core.models import CV, Analysis, Interview, InterviewResult, Review, Transaction, Wallet

ACTIVITY_KINDS = ("purchase", "grant", "refund")


@dataclass(frozen=True)
class ScorePoint:
    analysis_id: int
    created_at: datetime
    job_title: str
    overall: int
    breakdown: dict[str, int]
    cv_id: int | None = None  # None: the CV was deleted since
    cv_filename: str = ""
    job_id: int | None = None

    @property
    def cv_label(self) -> str:
        return f"{self.cv_filename} (deleted)" if self.cv_id is None else self.cv_filename

    @property
    def line(self) -> tuple[object, object]:
        """Which trend line the point belongs to: one CV version against one job. A score only compares with
        scores of the same CV on the same job; another CV is another line, not a rise or a fall."""
        return (self.job_id or self.job_title, self.cv_id or self.cv_filename)

    @property
    def line_label(self) -> str:
        return f"{self.job_title} · {self.cv_label}"


@dataclass(frozen=True)
class SkillGain:
    job_title: str
    skill: str


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    text: str


@dataclass(frozen=True)
class Summary:
    balance: int
    latest_score: int | None
    latest_job: str | None
    score_change: int | None
    analyses: int
    interviews: int
    cvs: int


def score_history(ctx: AppContext, actor: Actor, student_id: int, limit: int = 1000) -> list[ScorePoint]:
    """Overall and breakdown scores of every analysis, oldest first (one line per CV version and job)."""
    columns = [getattr(Analysis, name) for name in BREAKDOWN]
    query = (
        select(Analysis.id, Analysis.created_at, Analysis.job_title, Analysis.overall_score, Analysis.cv_id,
               Analysis.cv_filename, Analysis.job_id, *columns)
        .where(Analysis.user_id == student_id)
        .order_by(Analysis.created_at.desc(), Analysis.id.desc())
        .limit(limit)
    )
    with view_session(ctx.db, actor) as session:
        require_student_access(session, actor, student_id, purpose="progress")
        rows = session.execute(query).all()
    return [
        ScorePoint(row[0], row[1], row[2] or "Untitled job", row[3], dict(zip(BREAKDOWN, row[7:], strict=True)),
                   cv_id=row[4], cv_filename=row[5] or "CV", job_id=row[6])
        for row in reversed(rows)
    ]


def skill_gains(ctx: AppContext, actor: Actor, student_id: int) -> list[SkillGain]:
    """Skills missing in the first analysis for a job and matched in the latest one (CV versions improving)."""
    bounds = (
        select(Analysis.job_title, func.min(Analysis.id).label("first"), func.max(Analysis.id).label("last"))
        .where(Analysis.user_id == student_id)
        .group_by(Analysis.job_title)
        .having(func.count(Analysis.id) > 1)
        .subquery()
    )
    with view_session(ctx.db, actor) as session:
        require_student_access(session, actor, student_id, purpose="progress")
        pairs = session.execute(select(bounds.c.job_title, bounds.c.first, bounds.c.last)).all()
        ids = [i for _, first, last in pairs for i in (first, last)]
        query = select(Analysis.id, Analysis.report).where(Analysis.id.in_(ids))
        reports = {row[0]: row[1] for row in session.execute(query)} if ids else {}
    gains = []
    for job_title, first, last in sorted(pairs, key=lambda p: p[0] or ""):
        missing = set(load_report(reports[first]).analysis.missing_skills)
        matched = load_report(reports[last]).analysis.matching_skills
        gains += [SkillGain(job_title, skill) for skill in sorted(matched) if skill in missing]
    return gains


def interview_history(ctx: AppContext, actor: Actor, student_id: int) -> list[dict[str, Any]]:
    """Completed interviews' scores and, when answers were spoken, pace and filler rate; oldest first."""
    query = (
        select(Interview.id, Interview.completed_at, Interview.mode, Interview.job_title, InterviewResult.overall,
               InterviewResult.technical, InterviewResult.communication, InterviewResult.job_match,
               InterviewResult.words_per_minute, InterviewResult.fillers_per_minute)
        .join(InterviewResult, InterviewResult.interview_id == Interview.id)
        .where(Interview.user_id == student_id)
        .order_by(Interview.completed_at, Interview.id)
    )
    keys = ("interview_id", "completed_at", "mode", "job_title", "overall", "technical", "communication", "job_match",
            "words_per_minute", "fillers_per_minute")
    with view_session(ctx.db, actor) as session:
        require_student_access(session, actor, student_id, purpose="progress")
        return [dict(zip(keys, row, strict=True)) for row in session.execute(query)]


def activity(ctx: AppContext, actor: Actor, student_id: int, limit: int = 20) -> list[Event]:
    """The latest analyses, interviews, purchases and review sessions, newest first."""
    with view_session(ctx.db, actor) as session:
        require_student_access(session, actor, student_id, purpose="activity")
        events = [
            Event(at, "analysis", f"Job match for {title or 'a job'}: ATS score {score}")
            for at, title, score in session.execute(
                select(Analysis.created_at, Analysis.job_title, Analysis.overall_score)
                .where(Analysis.user_id == student_id).order_by(Analysis.created_at.desc()).limit(limit)
            )
        ]
        events += [
            Event(at, "interview", f"{mode.title()} interview for {title or 'a job'}: {status.replace('_', ' ')}")
            for at, mode, title, status in session.execute(
                select(Interview.created_at, Interview.mode, Interview.job_title, Interview.status)
                .where(Interview.user_id == student_id).order_by(Interview.created_at.desc()).limit(limit)
            )
        ]
        events += [
            Event(at, kind, f"{kind.title()}: {amount:+d} credits ({reason})")
            for at, kind, amount, reason in session.execute(
                select(Transaction.created_at, Transaction.kind, Transaction.amount, Transaction.reason)
                .where(Transaction.user_id == student_id, Transaction.kind.in_(ACTIVITY_KINDS))
                .order_by(Transaction.created_at.desc()).limit(limit)
            )
        ]
        day = func.date(Review.reviewed_at)
        events += [
            Event(last, "reviews", f"Reviewed {count} flashcard{'s' if count != 1 else ''}")
            for _, count, last in session.execute(
                select(day, func.count(Review.id), func.max(Review.reviewed_at))
                .where(Review.user_id == student_id).group_by(day).order_by(day.desc()).limit(limit)
            )
        ]
    return sorted(events, key=lambda e: e.at, reverse=True)[:limit]


def summary(ctx: AppContext, actor: Actor, student_id: int) -> Summary:
    """Dashboard headline: balance, the latest score and its change against the previous one for that job."""
    with view_session(ctx.db, actor) as session:
        require_student_access(session, actor, student_id, purpose="summary")
        wallet = session.get(Wallet, student_id)
        latest = session.execute(
            select(Analysis.job_title, Analysis.overall_score, Analysis.id)
            .where(Analysis.user_id == student_id).order_by(Analysis.created_at.desc(), Analysis.id.desc()).limit(1)
        ).first()
        change = None
        if latest:
            previous = session.scalar(
                select(Analysis.overall_score)
                .where(Analysis.user_id == student_id, Analysis.job_title == latest[0], Analysis.id != latest[2])
                .order_by(Analysis.created_at.desc(), Analysis.id.desc()).limit(1)
            )
            change = None if previous is None else latest[1] - previous

        def count(model: Any) -> int:
            return session.scalar(select(func.count(model.id)).where(model.user_id == student_id)) or 0

        return Summary(
            balance=wallet.balance if wallet else 0,
            latest_score=latest[1] if latest else None,
            latest_job=latest[0] if latest else None,
            score_change=change,
            analyses=count(Analysis),
            interviews=count(Interview),
            cvs=count(CV),
        )


def suggest_next(summary: Summary, cards_due: int) -> tuple[str, str]:
    """The one thing a student should do next, as (key, sentence); the page turns the key into a link."""
    if summary.cvs == 0:
        return "cvs", "Upload your CV: everything else builds on it."
    if summary.analyses == 0:
        return "job_match", "Match your CV against a job you want to see your ATS score."
    if cards_due:
        return "flashcards", f"Review your {cards_due} due flashcard{'s' if cards_due != 1 else ''}."
    if summary.latest_score is not None and summary.latest_score < 60:
        return "job_match", "Work on the high-priority improvements in your latest report, then match again."
    if summary.interviews == 0:
        return "interviews", "Take a practice interview to rehearse your answers."
    return "progress", "Keep going: check your progress and pick the next job to target."
