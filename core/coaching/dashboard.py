"""Cohort dashboard and the student drill-down header for counselors and admins.

Figures come from SQL aggregates: one grouped row per student (never every analysis), the latest analysis
per student for breakdown averages and missing skills, and one row per day for the weekly trend. At 500
students and 10,000 analyses a dashboard is a handful of indexed queries (benchmarks/cohort_scale.py).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, func, select, text
from sqlalchemy.orm import Session

from core import audit
from core.access import Actor, Role, require_role, require_student_access
from core.coaching.cohorts import CohortInfo, cohort_info
from core.context import AppContext
from core.db import utcnow
from core.engine.report import BREAKDOWN, json_path
from core.errors import AppError, ErrorCode
from core.models import CV, Analysis, Cohort, CohortMember, Flashcard, InterviewResult, User, Wallet
from core.untrusted_text import csv_cell

HISTOGRAM_BINS = tuple(range(0, 100, 10))  # 0-9, 10-19, ... 90-100
TOP_SKILLS = 15


@dataclass(frozen=True)
class StudentRow:
    user_id: int
    name: str
    email: str
    last_active_at: datetime | None
    analyses: int
    best_score: int | None
    first_score: int | None
    latest_score: int | None
    interviews: int
    cards_due: int
    credits: int

    @property
    def score_change(self) -> int | None:
        """Latest minus first ATS score; None until there are two analyses to compare."""
        if self.analyses < 2 or self.first_score is None or self.latest_score is None:
            return None
        return self.latest_score - self.first_score


@dataclass(frozen=True)
class Headline:
    students: int
    active_7d: int
    median_best: float | None
    interviews_done: int


@dataclass(frozen=True)
class WeekPoint:
    week_start: date
    analyses: int
    average_score: float | None
    interviews: int


@dataclass(frozen=True)
class CohortDashboard:
    cohort: CohortInfo
    generated_at: datetime
    headline: Headline
    students: list[StudentRow]
    histogram: list[tuple[str, int]]
    no_analysis_yet: int
    breakdown: dict[str, float | None]
    missing_skills: list[tuple[str, int]]
    weeks: list[WeekPoint]


# --- per-student aggregates ---------------------------------------------------------------------------


def _members(cohort_id: int):
    return select(CohortMember.user_id).where(
        CohortMember.cohort_id == cohort_id, CohortMember.member_role == "student"
    )


def _analysis_stats(cohort_id: int):
    """Per student: best, count, first and latest score and the latest analysis id, in one window pass."""
    rn = func.row_number().over(partition_by=Analysis.user_id, order_by=(Analysis.created_at, Analysis.id))
    n = func.count().over(partition_by=Analysis.user_id)
    ranked = (
        select(Analysis.id, Analysis.user_id, Analysis.overall_score, rn.label("rn"), n.label("n"))
        .where(Analysis.user_id.in_(_members(cohort_id)))
        .subquery("ranked")
    )
    return (
        select(
            ranked.c.user_id,
            func.count().label("analyses"),
            func.max(ranked.c.overall_score).label("best"),
            func.max(case((ranked.c.rn == 1, ranked.c.overall_score))).label("first"),
            func.max(case((ranked.c.rn == ranked.c.n, ranked.c.overall_score))).label("latest"),
            func.max(case((ranked.c.rn == ranked.c.n, ranked.c.id))).label("latest_id"),
        )
        .group_by(ranked.c.user_id)
        .subquery("stats")
    )


def _student_rows(session: Session, cohort_id: int, now: datetime) -> tuple[list[StudentRow], list[int]]:
    stats = _analysis_stats(cohort_id)
    interviews = (
        select(InterviewResult.user_id, func.count().label("done"))
        .where(InterviewResult.user_id.in_(_members(cohort_id)))
        .group_by(InterviewResult.user_id)
        .subquery("iv")
    )
    cards = (
        select(Flashcard.user_id, func.count().label("due"))
        .where(Flashcard.user_id.in_(_members(cohort_id)), Flashcard.suspended.is_(False), Flashcard.due <= now)
        .group_by(Flashcard.user_id)
        .subquery("cards")
    )
    query = (
        select(
            User.id,
            User.name,
            User.email,
            User.last_active_at,
            func.coalesce(stats.c.analyses, 0),
            stats.c.best,
            stats.c.first,
            stats.c.latest,
            func.coalesce(interviews.c.done, 0),
            func.coalesce(cards.c.due, 0),
            func.coalesce(Wallet.balance, 0),
            stats.c.latest_id,
        )
        .join(CohortMember, CohortMember.user_id == User.id)
        .outerjoin(stats, stats.c.user_id == User.id)
        .outerjoin(interviews, interviews.c.user_id == User.id)
        .outerjoin(cards, cards.c.user_id == User.id)
        .outerjoin(Wallet, Wallet.user_id == User.id)
        .where(CohortMember.cohort_id == cohort_id, CohortMember.member_role == "student")
    )
    rows, latest_ids = [], []
    for *values, latest_id in session.execute(query):
        rows.append(StudentRow(*values))
        if latest_id is not None:
            latest_ids.append(latest_id)
    return sort_weakest_first(rows), latest_ids


def sort_weakest_first(rows: Iterable[StudentRow]) -> list[StudentRow]:
    """No analysis yet first, then lowest best score, then longest inactive: who needs help comes first."""
    return sorted(
        rows,
        key=lambda r: (r.best_score is not None, r.best_score or 0, r.last_active_at or datetime.min, r.name.lower()),
    )


# --- cohort-level figures -----------------------------------------------------------------------------


def _breakdown(session: Session, latest_ids: list[int]) -> dict[str, float | None]:
    if not latest_ids:
        return dict.fromkeys(BREAKDOWN)
    columns = [func.avg(getattr(Analysis, name)) for name in BREAKDOWN]
    values = session.execute(select(*columns).where(Analysis.id.in_(latest_ids))).one()
    return {name: None if v is None else round(float(v), 1) for name, v in zip(BREAKDOWN, values, strict=True)}


# The path is checked against the report model, so renaming the field cannot silently empty this chart.
_MISSING = json_path("analysis", "missing_skills")
_PG_MISSING = "a.report -> " + " -> ".join(f"'{name}'" for name in _MISSING)
_SKILLS_SQL = {
    "postgresql": f"""
        SELECT s.skill, count(DISTINCT a.id) AS students
        FROM analyses a
        CROSS JOIN LATERAL json_array_elements_text(
            CASE WHEN json_typeof({_PG_MISSING}) = 'array'
                 THEN {_PG_MISSING} ELSE '[]'::json END) AS s(skill)
        WHERE a.id IN :ids
        GROUP BY s.skill ORDER BY students DESC, s.skill LIMIT :top""",
    "sqlite": f"""
        SELECT s.value AS skill, count(DISTINCT a.id) AS students
        FROM analyses a, json_each(a.report, '$.{".".join(_MISSING)}') AS s
        WHERE a.id IN :ids AND s.type = 'text'
        GROUP BY s.value ORDER BY students DESC, s.value LIMIT :top""",
}


def _missing_skills(session: Session, latest_ids: list[int], top: int = TOP_SKILLS) -> list[tuple[str, int]]:
    """The skills most students lack, counted over each student's latest analysis, unpacked inside the database."""
    if not latest_ids:
        return []
    sql = text(_SKILLS_SQL[session.get_bind().dialect.name]).bindparams(bindparam("ids", expanding=True))
    return [(skill, int(count)) for skill, count in session.execute(sql, {"ids": latest_ids, "top": top})]


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _weeks(session: Session, cohort_id: int, since: datetime) -> list[WeekPoint]:
    """Analyses (count, average score) and interviews per ISO week, grouped by day in SQL."""
    day = func.date(Analysis.created_at)
    analyses = session.execute(
        select(day, func.count(), func.sum(Analysis.overall_score))
        .where(Analysis.user_id.in_(_members(cohort_id)), Analysis.created_at >= since)
        .group_by(day)
    ).all()
    iday = func.date(InterviewResult.created_at)
    interviews = session.execute(
        select(iday, func.count())
        .where(InterviewResult.user_id.in_(_members(cohort_id)), InterviewResult.created_at >= since)
        .group_by(iday)
    ).all()
    buckets: dict[date, list[int]] = {}
    start = since.date() - timedelta(days=since.weekday())
    while start <= utcnow().date():
        buckets[start] = [0, 0, 0]
        start += timedelta(days=7)

    def bucket(value: Any) -> list[int]:
        d = _day(value)
        return buckets.setdefault(d - timedelta(days=d.weekday()), [0, 0, 0])

    for value, count, total in analyses:
        b = bucket(value)
        b[0] += int(count)
        b[1] += int(total or 0)
    for value, count in interviews:
        bucket(value)[2] += int(count)
    return [
        WeekPoint(week, n, round(total / n, 1) if n else None, iv) for week, (n, total, iv) in sorted(buckets.items())
    ]


def histogram(rows: Sequence[StudentRow]) -> list[tuple[str, int]]:
    counts = dict.fromkeys(HISTOGRAM_BINS, 0)
    for row in rows:
        if row.best_score is not None:
            counts[min(row.best_score // 10 * 10, 90)] += 1
    return [(f"{low}–{low + 9 if low < 90 else 100}", n) for low, n in counts.items()]


def cohort_dashboard(ctx: AppContext, actor: Actor, cohort_id: int, *, weeks: int = 12) -> CohortDashboard:
    """Everything the cohort page shows, for a counselor of the cohort or an admin; the view is audit-logged."""
    now = utcnow()
    with ctx.db.session() as session:
        cohort = cohort_info(session, actor, cohort_id)
        rows, latest_ids = _student_rows(session, cohort_id, now)
        breakdown = _breakdown(session, latest_ids)
        skills = _missing_skills(session, latest_ids)
        trend = _weeks(session, cohort_id, now - timedelta(weeks=weeks))
        audit.record(
            session,
            actor_id=actor.id,
            action="view.cohort_dashboard",
            target_type="cohort",
            target_id=cohort_id,
            details={"students": len(rows)},
        )
    bests = [r.best_score for r in rows if r.best_score is not None]
    headline = Headline(
        students=len(rows),
        active_7d=sum(1 for r in rows if r.last_active_at and r.last_active_at >= now - timedelta(days=7)),
        median_best=float(statistics.median(bests)) if bests else None,
        interviews_done=sum(r.interviews for r in rows),
    )
    return CohortDashboard(
        cohort, now, headline, rows, histogram(rows), len(rows) - len(bests), breakdown, skills, trend
    )


# --- table filters and CSV ---------------------------------------------------------------------------


def filter_students(
    rows: Iterable[StudentRow],
    *,
    inactive_days: int | None = None,
    best_below: int | None = None,
    now: datetime | None = None,
) -> list[StudentRow]:
    """ "Inactive N days" (never active counts as inactive) and "best score below X" (no analysis counts too)."""
    now = now or utcnow()
    out = []
    for row in rows:
        if (
            inactive_days is not None
            and row.last_active_at
            and row.last_active_at > now - timedelta(days=inactive_days)
        ):
            continue
        if best_below is not None and row.best_score is not None and row.best_score >= best_below:
            continue
        out.append(row)
    return out


CSV_COLUMNS = (
    "name",
    "email",
    "last_active_utc",
    "analyses",
    "best_score",
    "latest_score",
    "score_change",
    "interviews",
    "cards_due",
    "credits",
)


def students_csv(rows: Iterable[StudentRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        active = r.last_active_at.isoformat(sep=" ", timespec="minutes") if r.last_active_at else ""
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    r.name,
                    r.email,
                    active,
                    r.analyses,
                    r.best_score,
                    r.latest_score,
                    r.score_change,
                    r.interviews,
                    r.cards_due,
                    r.credits,
                )
            ]
        )
    return out.getvalue()


# --- student drill-down ---------------------------------------------------------------------------------
# The header of the counselor's student view; the reports and interviews under it come from the student
# services (analyses.list_analyses / interviews.list_interviews with student_id=), like the student's own pages.


@dataclass(frozen=True)
class StudentOverview:
    user_id: int
    name: str
    email: str
    last_active_at: datetime | None
    cohorts: list[str]
    cards_due: int


def student_overview(ctx: AppContext, actor: Actor, student_id: int) -> StudentOverview:
    """Who the student is, their cohorts and how many flashcards are due; audit-logged for staff."""
    now = utcnow()
    with ctx.db.session() as session:
        require_student_access(session, actor, student_id, purpose="student_overview")
        user = session.get(User, student_id)
        if user is None:
            raise AppError(ErrorCode.NOT_FOUND, "We could not find that student.")
        cohorts = list(
            session.scalars(
                select(Cohort.name)
                .join(CohortMember, CohortMember.cohort_id == Cohort.id)
                .where(CohortMember.user_id == student_id, CohortMember.member_role == "student")
                .order_by(Cohort.name)
            )
        )
        due = session.scalar(
            select(func.count(Flashcard.id)).where(
                Flashcard.user_id == student_id, Flashcard.suspended.is_(False), Flashcard.due <= now
            )
        )
        return StudentOverview(user.id, user.name, user.email, user.last_active_at, cohorts, int(due or 0))


# --- the counselor's home: who needs attention across their cohorts ----------------------------------------

INACTIVE_DAYS = 14


@dataclass(frozen=True)
class Attention:
    user_id: int
    name: str
    email: str
    cohorts: list[str]
    reasons: list[str]


def _falling(session: Session, student_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per student whose latest score fell: (previous, latest) on the same CV and job (the same trend line)."""
    query = (
        select(Analysis.user_id, Analysis.cv_id, Analysis.job_id, Analysis.overall_score)
        .where(Analysis.user_id.in_(student_ids), Analysis.cv_id.is_not(None))
        .order_by(Analysis.user_id, Analysis.created_at, Analysis.id)
    )
    lines: dict[tuple[int, int | None, int | None], list[int]] = {}
    latest: dict[int, tuple[int, int | None, int | None]] = {}
    for user_id, cv_id, job_id, score in session.execute(query):
        lines.setdefault((user_id, cv_id, job_id), []).append(score)
        latest[user_id] = (user_id, cv_id, job_id)
    falls = {}
    for user_id, line in latest.items():
        scores = lines[line]
        if len(scores) > 1 and scores[-1] < scores[-2]:
            falls[user_id] = (scores[-2], scores[-1])
    return falls


def needs_attention(ctx: AppContext, actor: Actor, *, inactive_days: int = INACTIVE_DAYS) -> list[Attention]:
    """Students of the actor's cohorts (admins: all) who have no CV, have not been active for `inactive_days`,
    or whose latest score fell against the one before it on the same CV and job; most reasons first."""
    require_role(actor, Role.COUNSELOR, Role.ADMIN)
    now = utcnow()
    mine = select(CohortMember.cohort_id).where(CohortMember.user_id == actor.id,
                                                 CohortMember.member_role == "counselor")  # fmt: skip
    members = select(CohortMember.user_id, Cohort.name).join(Cohort, Cohort.id == CohortMember.cohort_id).where(
        CohortMember.member_role == "student")  # fmt: skip
    if not actor.is_admin:
        members = members.where(CohortMember.cohort_id.in_(mine))
    with ctx.db.read() as session:
        cohorts_of: dict[int, list[str]] = {}
        for user_id, cohort in session.execute(members):
            cohorts_of.setdefault(user_id, []).append(cohort)
        ids = list(cohorts_of)
        if not ids:
            return []
        people = session.execute(select(User.id, User.name, User.email, User.last_active_at).where(User.id.in_(ids)))
        with_cv = set(session.scalars(select(CV.user_id).where(CV.user_id.in_(ids)).distinct()))
        falls = _falling(session, ids)
        found = []
        for user_id, name, email, last_active in people:
            reasons = []
            if user_id not in with_cv:
                reasons.append("no CV yet")
            if last_active is None:
                reasons.append("never active")
            elif (idle := (now - last_active).days) >= inactive_days:
                reasons.append(f"inactive for {idle} days")
            if user_id in falls:
                before, after = falls[user_id]
                reasons.append(f"score fell from {before} to {after}")
            if reasons:
                found.append(Attention(user_id, name, email, sorted(cohorts_of[user_id]), reasons))
    return sorted(found, key=lambda a: (-len(a.reasons), a.name.lower()))
