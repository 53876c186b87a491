"""Job descriptions a student analyses against: their own (saved or pasted), catalogue copies, cohort JDs.

Who sees a job: its owner, the members (students and counselors) of the cohort it was published to, a
counselor of the owner's cohort, and admins. Anyone else is told it does not exist. Only the owner changes
or deletes their jobs; cohort JDs are published and withdrawn through core.cohorts. Target roles live on the
user's profile and rank the catalogue suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.access import Actor, counsels
from core.context import AppContext
from core.engine import catalogue
from core.engine.catalogue import CatalogueJob
from core.errors import AppError, ErrorCode
from core.input_limits import LONG_TEXT_MAX, check_optional, check_text
from core.models import CohortMember, Job, User

NOT_FOUND_MESSAGE = "We could not find that job description. It may have been deleted."
TITLE_MAX, TEXT_MAX, FIELD_MAX = 200, 50_000, 200
MAX_TARGET_ROLES, ROLE_MAX = 10, 80
OWN_SOURCES = ("saved", "catalogue", "pasted")


@dataclass(frozen=True)
class JobRecord:
    id: int
    title: str
    company: str | None
    location: str | None
    text: str
    source: str  # saved | catalogue | pasted | cohort
    cohort_id: int | None
    owner_id: int | None
    created_at: datetime

    @property
    def label(self) -> str:
        return f"{self.title} — {self.company}" if self.company else self.title


def _record(job: Job) -> JobRecord:
    return JobRecord(
        id=job.id,
        title=job.title,
        company=job.company,
        location=job.location,
        text=job.text,
        source=job.source,
        cohort_id=job.cohort_id,
        owner_id=job.owner_id,
        created_at=job.created_at,
    )


def _clean(title: str, text: str, company: str | None, location: str | None) -> tuple[str, str, str | None, str | None]:
    text = check_text((text or "").strip(), label="This job description", limit=TEXT_MAX)
    if not text:
        raise AppError(ErrorCode.MISSING_JOB_DESCRIPTION, "Paste the job description text first.")
    for label, value in (("The job title", title), ("The company", company), ("The location", location)):
        check_optional(value, label=label, limit=LONG_TEXT_MAX)  # over-long ones are shortened below
    title = " ".join((title or "").split())[:TITLE_MAX] or _first_line(text)

    def optional(value: str | None) -> str | None:
        return " ".join((value or "").split())[:FIELD_MAX] or None

    return title, text, optional(company), optional(location)


def _first_line(text: str) -> str:
    """A title for an untitled JD: its first line, which is the job title in nearly every posting."""
    return " ".join(text.strip().splitlines()[0].split())[:TITLE_MAX] or "Untitled job"


# --- reading ----------------------------------------------------------------------------------------------


def member_of(session: Session, user_id: int, cohort_id: int) -> bool:
    return (
        session.scalar(
            select(CohortMember.id).where(CohortMember.cohort_id == cohort_id, CohortMember.user_id == user_id)
        )
        is not None
    )


def readable(session: Session, actor: Actor, job_id: int) -> Job:
    """The job row if the actor may see it, else NOT_FOUND (never revealing that it exists)."""
    job = session.get(Job, job_id)
    if job is None:
        raise AppError(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE)
    if actor.is_admin or job.owner_id == actor.id:
        return job
    if job.cohort_id is not None and member_of(session, actor.id, job.cohort_id):
        return job
    if job.owner_id is not None and actor.is_counselor and counsels(session, actor.id, job.owner_id):
        return job
    raise AppError(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE)


def get_job(ctx: AppContext, actor: Actor, job_id: int) -> JobRecord:
    with ctx.db.read() as session:
        return _record(readable(session, actor, job_id))


def list_jobs(ctx: AppContext, actor: Actor) -> list[JobRecord]:
    """The actor's own jobs and the JDs published to their cohorts, newest first."""
    cohorts = select(CohortMember.cohort_id).where(CohortMember.user_id == actor.id)
    query = (
        select(Job)
        .where(or_(Job.owner_id == actor.id, Job.cohort_id.in_(cohorts)))
        .order_by(Job.created_at.desc(), Job.id.desc())
    )
    with ctx.db.read() as session:
        return [_record(job) for job in session.scalars(query)]


# --- changing ---------------------------------------------------------------------------------------------


def add_job(
    session: Session,
    actor: Actor,
    *,
    title: str,
    text: str,
    company: str | None = None,
    location: str | None = None,
    source: str = "saved",
    catalogue_key: str | None = None,
) -> Job:
    """Insert a job owned by the actor inside the caller's transaction; a pasted JD seen before is reused."""
    if source not in OWN_SOURCES:
        raise AppError(ErrorCode.INVALID_INPUT, "Cohort job descriptions are published from the Cohorts page.")
    title, text, company, location = _clean(title, text, company, location)
    if source == "pasted":
        same = session.scalar(
            select(Job).where(Job.owner_id == actor.id, Job.source == "pasted", Job.text == text).limit(1)
        )
        if same is not None:
            return same
    job = Job(owner_id=actor.id, source=source, catalogue_key=catalogue_key, title=title, company=company,
              location=location, text=text)  # fmt: skip
    session.add(job)
    session.flush()
    return job


def save_job(
    ctx: AppContext,
    actor: Actor,
    *,
    title: str,
    text: str,
    company: str | None = None,
    location: str | None = None,
    source: str = "saved",
) -> JobRecord:
    with ctx.db.session() as session:
        return _record(add_job(session, actor, title=title, text=text, company=company, location=location,
                               source=source))  # fmt: skip


def _owned(session: Session, actor: Actor, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None or job.owner_id != actor.id:
        raise AppError(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE)
    return job


def update_job(
    ctx: AppContext,
    actor: Actor,
    job_id: int,
    *,
    title: str,
    text: str,
    company: str | None = None,
    location: str | None = None,
) -> JobRecord:
    """Edit one of the actor's own jobs; past reports keep the wording they were made from."""
    with ctx.db.session() as session:
        job = _owned(session, actor, job_id)
        job.title, job.text, job.company, job.location = _clean(title, text, company, location)
        return _record(job)


def delete_job(ctx: AppContext, actor: Actor, job_id: int) -> None:
    """Delete one of the actor's own jobs; reports made against it keep their job title."""
    with ctx.db.session() as session:
        session.delete(_owned(session, actor, job_id))


# --- catalogue --------------------------------------------------------------------------------------------


def search_catalogue(query: str = "", location: str | None = None) -> list[CatalogueJob]:
    """The mock job search: catalogue postings by title, skill and location."""
    return catalogue.search(query, location)


def from_catalogue(ctx: AppContext, actor: Actor, key: str) -> JobRecord:
    """The actor's copy of a catalogue posting, made on first use so reports and flashcards can point at it."""
    posting = catalogue.get(key)
    if posting is None:
        raise AppError(ErrorCode.NOT_FOUND, "That catalogue job is no longer offered.")
    with ctx.db.session() as session:
        session.scalar(select(User.id).where(User.id == actor.id).with_for_update())  # one copy under races
        copy = session.scalar(
            select(Job).where(Job.owner_id == actor.id, Job.catalogue_key == key, Job.source == "catalogue").limit(1)
        )
        if copy is None:
            copy = add_job(session, actor, title=posting.title, text=posting.text, company=posting.company,
                           location=posting.location, source="catalogue", catalogue_key=key)  # fmt: skip
        return _record(copy)


def suggested_catalogue(ctx: AppContext, actor: Actor, *, limit: int = 5) -> list[CatalogueJob]:
    """Catalogue postings closest to the actor's target roles."""
    return catalogue.suggest(target_roles(ctx, actor), limit=limit)


# --- target roles -----------------------------------------------------------------------------------------


def target_roles(ctx: AppContext, actor: Actor) -> list[str]:
    with ctx.db.read() as session:
        user = session.get(User, actor.id)
        return list(user.target_roles or []) if user else []


def set_target_roles(ctx: AppContext, actor: Actor, roles: list[str]) -> list[str]:
    """Store the roles the student aims for (trimmed, duplicates dropped, at most ten)."""
    cleaned: list[str] = []
    for role in roles:
        role = " ".join((role or "").split())[:ROLE_MAX]
        if role and role.lower() not in {r.lower() for r in cleaned}:
            cleaned.append(role)
    if len(cleaned) > MAX_TARGET_ROLES:
        raise AppError(ErrorCode.INVALID_INPUT, f"Choose at most {MAX_TARGET_ROLES} target roles.")
    with ctx.db.session() as session:
        user = session.get(User, actor.id)
        if user is None:
            raise AppError(ErrorCode.NOT_FOUND, "We could not find your account.")
        user.target_roles = cleaned
    return cleaned
