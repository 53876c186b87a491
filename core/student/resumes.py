"""A student's structured résumé and its saved versions.

Saving validates the résumé, renders its PDF and stores that file through `cvs.upload_cv`, the path every
upload takes, so each version is a CV in the CV list whose stored text and parse are what our reader gets from
the PDF (what an employer's ATS gets), not a copy of the builder's fields. Job matches and interviews then use
and record it like any upload: the CV's file name names the version ("…-resume-v3.pdf"). Only the owner saves;
counselors of the student's cohorts and admins read versions through `core.access`, audit-logged; another
student is told a version does not exist.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from core import audit
from core.access import Actor, readable_by, require_student_access, view_session
from core.ai.base import LOCAL, enrich
from core.ai.schemas import FieldWording
from core.context import AppContext
from core.engine import catalogue
from core.engine.documents import check_text_bounds
from core.engine.resume_builder import assistant, changes, imports
from core.engine.resume_builder.exports import export, file_stem
from core.engine.resume_builder.from_cv import from_parse
from core.engine.resume_builder.layout import to_text
from core.engine.resume_builder.model import Path, Resume, get_field, validate
from core.errors import AppError, ErrorCode
from core.models import CV, ResumeVersion, User
from core.student import cvs, jobs

log = logging.getLogger(__name__)

NOT_FOUND_MESSAGE = "We could not find that résumé version."
SOURCES = ("cv", "json", "blank", "edit", "tailored")


@dataclass(frozen=True)
class VersionRecord:
    id: int
    user_id: int
    number: int
    resume: Resume
    source: str
    changes: list[str]
    job_title: str | None
    cv_id: int | None  # None once the student deleted the CV the version was saved as
    created_at: datetime

    @property
    def label(self) -> str:
        tailored = f", tailored to {self.job_title}" if self.job_title else ""
        return f"Version {self.number} · {self.created_at:%d %b %Y %H:%M}{tailored}"


def _record(row: ResumeVersion) -> VersionRecord:
    return VersionRecord(
        id=row.id, user_id=row.user_id, number=row.number, resume=validate(row.data), source=row.source,
        changes=list(row.changes or []), job_title=row.job_title, cv_id=row.cv_id, created_at=row.created_at,
    )  # fmt: skip


# --- starting points ----------------------------------------------------------------------------------------


def from_cv(ctx: AppContext, actor: Actor, cv_id: int) -> Resume:
    """A draft from one of the actor's stored CVs (its parse and text)."""
    with ctx.db.read() as session:
        cv = session.get(CV, cv_id)
        if cv is None or cv.user_id != actor.id:
            raise AppError(ErrorCode.NOT_FOUND, cvs.NOT_FOUND_MESSAGE)
        return from_parse(dict(cv.parsed or {}), cv.text)


def from_json(data: bytes) -> tuple[Resume, list[str]]:
    """A draft from an uploaded JSON Resume or builder-seed file, and notes on what was not imported."""
    return imports.read_json(data)


# --- reading ------------------------------------------------------------------------------------------------


def list_versions(ctx: AppContext, actor: Actor, student_id: int | None = None) -> list[VersionRecord]:
    """The student's versions, newest first (the actor's own, or a student they may see)."""
    owner = actor.id if student_id is None else student_id
    with view_session(ctx.db, actor) as session:
        require_student_access(session, actor, owner, purpose="resumes")
        rows = session.scalars(
            select(ResumeVersion).where(ResumeVersion.user_id == owner).order_by(ResumeVersion.number.desc())
        )
        return [_record(row) for row in rows]


def get_version(ctx: AppContext, actor: Actor, version_id: int) -> VersionRecord:
    with view_session(ctx.db, actor) as session:
        row = session.get(ResumeVersion, version_id)
        return _record(readable_by(session, actor, row, purpose="resume", not_found=NOT_FOUND_MESSAGE))


def latest_version(ctx: AppContext, actor: Actor) -> VersionRecord | None:
    with ctx.db.read() as session:
        row = session.scalar(
            select(ResumeVersion).where(ResumeVersion.user_id == actor.id).order_by(ResumeVersion.number.desc())
        )
        return None if row is None else _record(row)


# --- saving -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    version: VersionRecord
    created: bool  # False: nothing changed since the latest version, so nothing was stored
    cv: cvs.CVRecord | None


def save_version(ctx: AppContext, actor: Actor, resume: Resume, *, source: str, job_title: str | None = None) -> Saved:
    """Validate, store the PDF as a CV, then the version row; nothing is stored if any step refuses."""
    if source not in SOURCES:
        raise AppError(ErrorCode.INVALID_INPUT, "Unknown résumé source.")
    resume = validate(resume)
    check_text_bounds(to_text(resume))
    previous = latest_version(ctx, actor)
    if previous is not None and previous.resume == resume and (job_title or None) == previous.job_title:
        return Saved(previous, created=False, cv=None)
    number = (previous.number if previous else 0) + 1
    filename, _, data = export(resume, "pdf", stem=f"{file_stem(resume)}-v{number}")
    cv = cvs.upload_cv(ctx, actor, filename, data)
    try:
        with ctx.db.session() as session:
            session.scalar(select(User.id).where(User.id == actor.id).with_for_update())  # one save at a time
            latest = session.scalar(select(func.max(ResumeVersion.number)).where(ResumeVersion.user_id == actor.id))
            row = ResumeVersion(
                user_id=actor.id, number=(latest or 0) + 1, data=resume.model_dump(), source=source,
                changes=changes.describe(previous.resume if previous else None, resume),
                job_title=(job_title or "")[:200] or None, cv_id=cv.id,
            )  # fmt: skip
            session.add(row)
            session.flush()
            audit.record(session, actor_id=actor.id, action="resume.save", subject_user_id=actor.id,
                         target_type="resume_version", target_id=row.id, details={"number": row.number})  # fmt: skip
            return Saved(_record(row), created=True, cv=cv)
    except BaseException:
        if not cv.reused:
            cvs.delete_cv(ctx, actor, cv.id)
        raise


# --- tailoring: the job to tailor to ------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetJob:
    title: str
    text: str


def target_job(
    ctx: AppContext, actor: Actor, *, job_id: int | None = None, catalogue_key: str | None = None,
    pasted: str | None = None,
) -> TargetJob:  # fmt: skip
    """A saved job the actor may see, a catalogue posting, or pasted text."""
    if job_id is not None:
        job = jobs.get_job(ctx, actor, job_id)
        return TargetJob(job.label, job.text)
    if catalogue_key is not None:
        posting = catalogue.get(catalogue_key)
        if posting is None:
            raise AppError(ErrorCode.NOT_FOUND, jobs.NOT_FOUND_MESSAGE)
        return TargetJob(f"{posting.title} — {posting.company}", posting.text)
    text = (pasted or "").strip()
    if not text:
        raise AppError(ErrorCode.MISSING_JOB_DESCRIPTION, "Pick a job or paste a job description first.")
    if len(text) > jobs.TEXT_MAX:
        raise AppError(
            ErrorCode.INVALID_INPUT, f"This job description is too long (over {jobs.TEXT_MAX:,} characters)."
        )
    return TargetJob(text.splitlines()[0][: jobs.TITLE_MAX], text)


# --- the wording assistant ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    text: str | None  # wording for the student to accept or reject; None when there is none to offer
    source: str  # the provider's key, or "local"
    refused: list[str]  # why the model's wording was refused by the guard
    note: str | None = None


def propose(ctx: AppContext, resume: Resume, path: Path, issue: str) -> Proposal:
    """The configured model's wording for one field, checked by the guard; without a model, no proposal (the
    page asks the check's own question instead)."""
    current = str(get_field(resume, path) or "")
    result = enrich(
        ctx.ai, "resume_field", assistant.variables(resume, path, issue), FieldWording,
        local=lambda: FieldWording(text=current or "-"),
    )  # fmt: skip
    if result.source == LOCAL:
        return Proposal(None, LOCAL, [], result.note)
    refused = assistant.problems(resume, path, result.value.text)
    if refused:
        log.info("assistant proposal refused for %s: %s", path, refused)
        return Proposal(None, result.source, refused)
    return Proposal(result.value.text, result.source, [])
