"""Cohorts: counselors create them and hand out invite codes; students join with consent and may leave.

Membership is the privacy switch: a counselor sees a student's data only while a `cohort_members` row with
member_role 'student' links them (see accounts.counsels). Leaving deletes that row, so access ends at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import audit
from core.access import Actor, Role, require_role
from core.accounts import email_links
from core.config import Settings
from core.context import AppContext
from core.db import rows_affected, utcnow
from core.errors import AppError, ErrorCode
from core.input_limits import LONG_TEXT_MAX, NAME_MAX, TERM_MAX, check_text
from core.models import Cohort, CohortMember, Job, User

# No 0/O/1/I/L: codes are read aloud in class and typed from slides. 31^8 ≈ 8.5e11 codes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
INVITE_PARAM = "join"  # ?join=CODE in an invite link
PENDING_INVITE = "pending_invite"  # session key holding that code until My cohorts shows it
NOT_FOUND = "We could not find that cohort."
CONSENT_TEXT = (
    "I agree to share my CV analyses, interview results and activity with this cohort's counselors "
    "while I am a member. I can leave the cohort at any time."
)


@dataclass(frozen=True)
class CohortInfo:
    id: int
    name: str
    term: str | None
    description: str | None
    invite_code: str
    target_roles: list[str]
    students: int
    counselors: list[str]
    created_at: datetime


@dataclass(frozen=True)
class Membership:
    """A student's view of a cohort they belong to: no invite code, no other students."""

    cohort_id: int
    name: str
    term: str | None
    counselors: list[str]
    joined_at: datetime
    consent_at: datetime | None


@dataclass(frozen=True)
class PublishedJob:
    id: int
    cohort_id: int
    title: str
    company: str | None
    text: str
    created_at: datetime


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str


def new_invite_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(code.split()).upper()


def invite_link(settings: Settings, code: str) -> str:
    """The app's root with the code: it works signed out too (app.py keeps the code through sign-in and opens
    My cohorts with it filled in), where a page path would show signed-out visitors "page not found"."""
    return f"{settings.public_base_url.rstrip('/')}/?{INVITE_PARAM}={code}"


# --- access -----------------------------------------------------------------------------------------


def coaches(session: Session, actor: Actor, cohort_id: int) -> bool:
    return bool(
        session.scalar(
            select(func.count(CohortMember.id)).where(
                CohortMember.cohort_id == cohort_id,
                CohortMember.user_id == actor.id,
                CohortMember.member_role == "counselor",
            )
        )
    )


def require_cohort_staff(session: Session, actor: Actor, cohort_id: int) -> Cohort:
    """The cohort, if the actor is an admin or one of its counselors; another counselor is told it does not
    exist, the same answer as for a missing id."""
    require_role(actor, Role.COUNSELOR, Role.ADMIN)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None or not (actor.is_admin or coaches(session, actor, cohort_id)):
        raise AppError(ErrorCode.NOT_FOUND, NOT_FOUND)
    return cohort


def _clean_roles(target_roles: Sequence[str] | str) -> list[str]:
    items = target_roles.split(",") if isinstance(target_roles, str) else target_roles
    roles: list[str] = []
    for item in items:
        role = " ".join(item.split())
        if role and role.lower() not in {r.lower() for r in roles}:
            roles.append(role[:100])
    return roles


# --- staff: create and list ---------------------------------------------------------------------------


def create_cohort(
    ctx: AppContext,
    actor: Actor,
    *,
    name: str,
    term: str = "",
    target_roles: Sequence[str] | str = (),
    description: str = "",
) -> CohortInfo:
    """A counselor (who becomes its first counselor) or an admin creates a cohort with a fresh invite code."""
    require_role(actor, Role.COUNSELOR, Role.ADMIN)
    name = check_text(" ".join(name.split()), label="The cohort name", limit=NAME_MAX)
    term = check_text(term.strip(), label="The term", limit=TERM_MAX)
    description = check_text(description.strip(), label="The description", limit=LONG_TEXT_MAX)
    if not name:
        raise AppError(ErrorCode.INVALID_INPUT, "Give the cohort a name.")
    for _ in range(5):  # a code collision is astronomically rare; retry rather than fail
        try:
            with ctx.db.session() as session:
                cohort = Cohort(
                    name=name,
                    term=term or None,
                    description=description or None,
                    invite_code=new_invite_code(),
                    target_roles=_clean_roles(target_roles),
                    created_by=actor.id,
                )
                session.add(cohort)
                session.flush()
                if actor.is_counselor:
                    session.add(CohortMember(cohort_id=cohort.id, user_id=actor.id, member_role="counselor"))
                audit.record(
                    session,
                    actor_id=actor.id,
                    action="cohort.create",
                    target_type="cohort",
                    target_id=cohort.id,
                    details={"name": cohort.name},
                )
                cohort_id = cohort.id
            return get_cohort(ctx, actor, cohort_id)
        except IntegrityError:
            continue
    raise AppError(ErrorCode.INVALID_INPUT, "Could not create the cohort right now. Please try again.")


def _infos(session: Session, cohorts: list[Cohort]) -> list[CohortInfo]:
    ids = [c.id for c in cohorts]
    students = dict(
        session.execute(
            select(CohortMember.cohort_id, func.count(CohortMember.id))
            .where(CohortMember.cohort_id.in_(ids), CohortMember.member_role == "student")
            .group_by(CohortMember.cohort_id)
        ).all()
    )
    counselors = _counselor_names(session, ids)
    return [
        CohortInfo(
            c.id,
            c.name,
            c.term,
            c.description,
            c.invite_code,
            list(c.target_roles or []),
            students.get(c.id, 0),
            counselors.get(c.id, []),
            c.created_at,
        )
        for c in cohorts
    ]


def _counselor_names(session: Session, cohort_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = session.execute(
        select(CohortMember.cohort_id, User.name)
        .join(User, User.id == CohortMember.user_id)
        .where(CohortMember.cohort_id.in_(cohort_ids), CohortMember.member_role == "counselor")
        .order_by(User.name)
    )
    for cohort_id, name in rows:
        names.setdefault(cohort_id, []).append(name)
    return names


def list_cohorts(ctx: AppContext, actor: Actor) -> list[CohortInfo]:
    """Cohorts the actor coaches (admins: all cohorts)."""
    require_role(actor, Role.COUNSELOR, Role.ADMIN)
    query = select(Cohort).order_by(Cohort.name, Cohort.id)
    if not actor.is_admin:
        query = query.join(CohortMember, CohortMember.cohort_id == Cohort.id).where(
            CohortMember.user_id == actor.id, CohortMember.member_role == "counselor"
        )
    with ctx.db.read() as session:
        return _infos(session, list(session.scalars(query)))


def cohort_info(session: Session, actor: Actor, cohort_id: int) -> CohortInfo:
    """The cohort with its counts, for its staff, inside the caller's session."""
    return _infos(session, [require_cohort_staff(session, actor, cohort_id)])[0]


def get_cohort(ctx: AppContext, actor: Actor, cohort_id: int) -> CohortInfo:
    with ctx.db.read() as session:
        return cohort_info(session, actor, cohort_id)


def regenerate_code(ctx: AppContext, actor: Actor, cohort_id: int) -> str:
    """Replace a leaked invite code; members stay, the old code and link stop working."""
    with ctx.db.session() as session:
        cohort = require_cohort_staff(session, actor, cohort_id)
        cohort.invite_code = new_invite_code()
        audit.record(session, actor_id=actor.id, action="cohort.new_code", target_type="cohort", target_id=cohort_id)
        return cohort.invite_code


# --- students: join and leave -------------------------------------------------------------------------


def join_cohort(ctx: AppContext, actor: Actor, code: str, *, consent: bool) -> Membership:
    """A student joins with an invite code; joining requires explicit consent to share with the counselors."""
    require_role(actor, Role.STUDENT)
    if not consent:
        raise AppError(ErrorCode.INVALID_INPUT, "Tick the consent box to join: counselors need it to see your work.")
    code = normalise_code(code)
    with ctx.db.session() as session:
        if not email_links.is_verified(session, actor.id):
            raise AppError(ErrorCode.INVALID_INPUT, "Confirm your e-mail address first: open the link we sent you, "
                           "or send it again from the banner at the top of the page.")  # fmt: skip
        cohort = session.scalar(select(Cohort).where(Cohort.invite_code == code)) if code else None
        if cohort is None:
            raise AppError(ErrorCode.NOT_FOUND, "That invite code is not valid. Check it with your counselor.")
        existing = session.scalar(
            select(CohortMember).where(CohortMember.cohort_id == cohort.id, CohortMember.user_id == actor.id)
        )
        if existing is not None:
            raise AppError(ErrorCode.INVALID_INPUT, f"You are already a member of {cohort.name}.")
        session.add(CohortMember(cohort_id=cohort.id, user_id=actor.id, member_role="student", consent_at=utcnow()))
        audit.record(
            session,
            actor_id=actor.id,
            action="cohort.join",
            subject_user_id=actor.id,
            target_type="cohort",
            target_id=cohort.id,
            details={"consent": CONSENT_TEXT},
        )
        cohort_id = cohort.id
    return next(m for m in my_cohorts(ctx, actor) if m.cohort_id == cohort_id)


def leave_cohort(ctx: AppContext, actor: Actor, cohort_id: int) -> None:
    """The student leaves; the cohort's counselors lose access to their data immediately."""
    require_role(actor, Role.STUDENT)
    _remove_member(ctx, actor, cohort_id, actor.id, "student", action="cohort.leave",
                   not_member="You are not a member of that cohort.")  # fmt: skip


def _remove_member(
    ctx: AppContext, actor: Actor, cohort_id: int, user_id: int, member_role: str, *, action: str, not_member: str
) -> None:
    """Delete one membership and audit-log it in the same transaction; NOT_FOUND if there was none."""
    with ctx.db.session() as session:
        gone = rows_affected(
            session,
            delete(CohortMember).where(
                CohortMember.cohort_id == cohort_id,
                CohortMember.user_id == user_id,
                CohortMember.member_role == member_role,
            ),
        )
        if not gone:
            raise AppError(ErrorCode.NOT_FOUND, not_member)
        audit.record(
            session,
            actor_id=actor.id,
            action=action,
            subject_user_id=user_id,
            target_type="cohort",
            target_id=cohort_id,
        )


def my_cohorts(ctx: AppContext, actor: Actor) -> list[Membership]:
    """The student's own memberships, with who coaches each (never the other students)."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(Cohort.id, Cohort.name, Cohort.term, CohortMember.joined_at, CohortMember.consent_at)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == actor.id, CohortMember.member_role == "student")
            .order_by(Cohort.name)
        ).all()
        counselors = _counselor_names(session, [r[0] for r in rows])
    return [Membership(r[0], r[1], r[2], counselors.get(r[0], []), r[3], r[4]) for r in rows]


# --- admin: counselors and moves --------------------------------------------------------------------------


def list_counselors(ctx: AppContext, actor: Actor) -> list[Person]:
    require_role(actor, Role.ADMIN)
    with ctx.db.read() as session:
        rows = session.execute(
            select(User.id, User.name, User.email).where(User.role == "counselor").order_by(User.name)
        )
        return [Person(*row) for row in rows]


def list_students(ctx: AppContext, actor: Actor, cohort_id: int) -> list[Person]:
    """The cohort's current students (for the admin's move form and the counselor's student picker)."""
    with ctx.db.read() as session:
        require_cohort_staff(session, actor, cohort_id)
        rows = session.execute(
            select(User.id, User.name, User.email)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort_id, CohortMember.member_role == "student")
            .order_by(User.name, User.id)
        )
        return [Person(*row) for row in rows]


def assign_counselor(ctx: AppContext, actor: Actor, cohort_id: int, counselor_id: int) -> None:
    require_role(actor, Role.ADMIN)
    with ctx.db.session() as session:
        if session.get(Cohort, cohort_id) is None:
            raise AppError(ErrorCode.NOT_FOUND, NOT_FOUND)
        user = session.get(User, counselor_id)
        if user is None or user.role != "counselor":
            raise AppError(ErrorCode.INVALID_INPUT, "Only counselor accounts can coach a cohort.")
        if session.scalar(
            select(CohortMember.id).where(CohortMember.cohort_id == cohort_id, CohortMember.user_id == counselor_id)
        ):
            raise AppError(ErrorCode.INVALID_INPUT, f"{user.name} is already in this cohort.")
        session.add(CohortMember(cohort_id=cohort_id, user_id=counselor_id, member_role="counselor"))
        audit.record(
            session,
            actor_id=actor.id,
            action="cohort.assign_counselor",
            subject_user_id=counselor_id,
            target_type="cohort",
            target_id=cohort_id,
        )


def remove_counselor(ctx: AppContext, actor: Actor, cohort_id: int, counselor_id: int) -> None:
    require_role(actor, Role.ADMIN)
    _remove_member(ctx, actor, cohort_id, counselor_id, "counselor", action="cohort.remove_counselor",
                   not_member="That counselor does not coach this cohort.")  # fmt: skip


def move_student(ctx: AppContext, actor: Actor, student_id: int, from_cohort_id: int, to_cohort_id: int) -> None:
    """Admin: move a student between cohorts, keeping the date they gave consent (recorded in the audit log)."""
    require_role(actor, Role.ADMIN)
    if from_cohort_id == to_cohort_id:
        raise AppError(ErrorCode.INVALID_INPUT, "Choose a different cohort to move the student to.")
    with ctx.db.session() as session:
        member = session.scalar(
            select(CohortMember).where(
                CohortMember.cohort_id == from_cohort_id,
                CohortMember.user_id == student_id,
                CohortMember.member_role == "student",
            )
        )
        if member is None:
            raise AppError(ErrorCode.NOT_FOUND, "That student is not in the cohort you are moving them from.")
        if session.get(Cohort, to_cohort_id) is None:
            raise AppError(ErrorCode.NOT_FOUND, NOT_FOUND)
        if session.scalar(
            select(CohortMember.id).where(CohortMember.cohort_id == to_cohort_id, CohortMember.user_id == student_id)
        ):
            raise AppError(ErrorCode.INVALID_INPUT, "The student is already in that cohort.")
        member.cohort_id = to_cohort_id
        audit.record(
            session,
            actor_id=actor.id,
            action="cohort.move_student",
            subject_user_id=student_id,
            target_type="cohort",
            target_id=to_cohort_id,
            details={"from": from_cohort_id},
        )


# --- job descriptions published to a cohort ---------------------------------------------------------------


def publish_job(ctx: AppContext, actor: Actor, cohort_id: int, title: str, company: str, text: str) -> int:
    """A counselor of the cohort (or an admin) publishes a JD its students can analyse against; returns the job id."""
    title = check_text(" ".join(title.split()), label="The job title", limit=NAME_MAX)
    company = check_text(company.strip(), label="The company", limit=NAME_MAX)
    text = check_text(text.strip(), label="The job description", limit=LONG_TEXT_MAX)
    if not title:
        raise AppError(ErrorCode.INVALID_INPUT, "Give the job a title.")
    if not text:
        raise AppError(ErrorCode.MISSING_JOB_DESCRIPTION, "Paste the job description text.")
    with ctx.db.session() as session:
        require_cohort_staff(session, actor, cohort_id)
        job = Job(
            owner_id=None,
            cohort_id=cohort_id,
            source="cohort",
            title=title,
            company=company or None,
            text=text,
        )
        session.add(job)
        session.flush()
        audit.record(
            session,
            actor_id=actor.id,
            action="cohort.publish_job",
            target_type="job",
            target_id=job.id,
            details={"cohort_id": cohort_id, "title": job.title},
        )
        return job.id


def cohort_jobs(ctx: AppContext, actor: Actor, cohort_id: int | None = None) -> list[PublishedJob]:
    """JDs published to a cohort (staff), or to every cohort the student belongs to (cohort_id None)."""
    query = select(Job).where(Job.source == "cohort").order_by(Job.created_at.desc(), Job.id.desc())
    with ctx.db.read() as session:
        if actor.role == Role.STUDENT:
            mine = select(CohortMember.cohort_id).where(
                CohortMember.user_id == actor.id, CohortMember.member_role == "student"
            )
            query = query.where(Job.cohort_id.in_(mine))
            if cohort_id is not None:
                query = query.where(Job.cohort_id == cohort_id)
        else:
            if cohort_id is None:
                raise AppError(ErrorCode.INVALID_INPUT, "Choose a cohort.")
            require_cohort_staff(session, actor, cohort_id)
            query = query.where(Job.cohort_id == cohort_id)
        return [
            PublishedJob(j.id, j.cohort_id, j.title, j.company, j.text, j.created_at)
            for j in session.scalars(query)
            if j.cohort_id is not None  # the query keeps cohort jobs only; the column is nullable for own jobs
        ]


def unpublish_job(ctx: AppContext, actor: Actor, job_id: int) -> None:
    with ctx.db.session() as session:
        job = session.get(Job, job_id)
        if job is None or job.source != "cohort" or job.cohort_id is None:
            raise AppError(ErrorCode.NOT_FOUND, "We could not find that job description.")
        require_cohort_staff(session, actor, job.cohort_id)
        session.delete(job)
        audit.record(session, actor_id=actor.id, action="cohort.unpublish_job", target_type="job", target_id=job_id)
