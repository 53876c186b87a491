"""A student's CVs: upload once (validated, extracted, parsed, stored), list, download, default, delete.

The file and its row must never disagree: the file is stored before the row is written and removed again
if the row cannot be written; deleting removes the row and the file in one step that rolls back if the
file cannot be removed. Only the owner changes a CV; counselors and admins may read a student's CVs
through `core.access.readable_by`. Another student is told the CV does not exist.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.access import Actor, readable_by, require_student_access, view_session
from core.context import AppContext
from core.engine.documents import ExtractedDocument, parse_cv, read_cv, sanitize_filename
from core.errors import AppError, ErrorCode
from core.models import CV, User
from core.storage import new_key

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}
NOT_FOUND_MESSAGE = "We could not find that CV. It may have been deleted."


@dataclass(frozen=True)
class CVRecord:
    """A CV as pages and other services see it (no storage internals)."""

    id: int
    user_id: int
    filename: str
    file_type: str
    size_bytes: int
    sha256: str
    text: str
    parsed: dict[str, Any]
    is_default: bool
    created_at: datetime
    #: True when `upload_cv` found the same bytes already uploaded and returned that CV instead.
    reused: bool = False

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.file_type, "application/octet-stream")


def _record(cv: CV) -> CVRecord:
    return CVRecord(
        id=cv.id,
        user_id=cv.user_id,
        filename=cv.filename,
        file_type=cv.file_type,
        size_bytes=cv.size_bytes,
        sha256=cv.sha256,
        text=cv.text,
        parsed=dict(cv.parsed or {}),
        is_default=cv.is_default,
        created_at=cv.created_at,
    )


# --- upload -----------------------------------------------------------------------------------


def upload_cv(ctx: AppContext, actor: Actor, filename: str, data: bytes) -> CVRecord:
    """Validate, extract, parse and store a CV for the actor; the same bytes twice return the first CV."""
    filename = sanitize_filename(filename, default="cv")
    digest = hashlib.sha256(data).hexdigest()
    existing = _find_by_hash(ctx, actor.id, digest)
    if existing is not None:
        return existing
    document, parsed = _read(ctx, data, filename)  # in a worker, under the time limit
    key = new_key(actor.id, document.file_type)
    ctx.storage.put(key, data, CONTENT_TYPES[document.file_type])
    try:
        with ctx.db.session() as session:
            _lock_owner(session, actor.id)
            # Checked again under the lock: a concurrent upload of the same bytes may have won.
            duplicate = _by_hash(session, actor.id, digest)
            if duplicate is None:
                has_any = session.scalar(select(CV.id).where(CV.user_id == actor.id).limit(1)) is not None
                cv = CV(
                    user_id=actor.id,
                    filename=filename,
                    file_type=document.file_type,
                    size_bytes=len(data),
                    sha256=digest,
                    storage_key=key,
                    text=document.text,
                    parsed=parsed,
                    is_default=not has_any,
                )
                session.add(cv)
                session.flush()
                audit.record(
                    session,
                    actor_id=actor.id,
                    action="cv.upload",
                    subject_user_id=actor.id,
                    target_type="cv",
                    target_id=cv.id,
                    details={"filename": filename},
                )
                return _record(cv)
    except BaseException:
        _discard(ctx, key)
        raise
    _discard(ctx, key)
    return replace(_record(duplicate), reused=True)


def _read(ctx: AppContext, data: bytes, filename: str) -> tuple[ExtractedDocument, dict[str, Any]]:
    """Text of the file and the CV parsed from it; a scanned PDF goes through OCR when an OCR service is
    configured, and its text is then parsed in a worker too."""
    try:
        return read_cv(data, filename, ctx.settings)
    except AppError as error:
        if error.code != ErrorCode.NO_TEXT_LAYER:
            raise
        from core.ai.ocr import ocr_available, ocr_pdf

        if not ocr_available(ctx.settings):
            raise
        document = ExtractedDocument(text=ocr_pdf(ctx.settings, data), file_type="pdf")
        return document, parse_cv(document.text, ctx.settings)


def _find_by_hash(ctx: AppContext, user_id: int, digest: str) -> CVRecord | None:
    with ctx.db.read() as session:
        cv = _by_hash(session, user_id, digest)
        return None if cv is None else replace(_record(cv), reused=True)


def _by_hash(session: Session, user_id: int, digest: str) -> CV | None:
    return session.scalar(select(CV).where(CV.user_id == user_id, CV.sha256 == digest))


def _lock_owner(session: Session, user_id: int) -> None:
    """Serialise one user's CV writes (PostgreSQL row lock; SQLite already takes the write lock at BEGIN)."""
    session.scalar(select(User.id).where(User.id == user_id).with_for_update())


def _discard(ctx: AppContext, key: str) -> None:
    """Remove a stored file whose row was not written; a failure here only leaves an orphan, logged."""
    try:
        ctx.storage.delete(key)
    except AppError:
        log.warning("could not remove orphaned upload %s", key)


# --- reading ----------------------------------------------------------------------------------


def list_cvs(ctx: AppContext, actor: Actor, student_id: int | None = None) -> list[CVRecord]:
    """The student's CVs, default first, then newest first."""
    owner = actor.id if student_id is None else student_id
    with view_session(ctx.db, actor) as session:
        require_student_access(session, actor, owner, purpose="cvs")
        rows = session.scalars(
            select(CV).where(CV.user_id == owner).order_by(CV.is_default.desc(), CV.created_at.desc(), CV.id.desc())
        )
        return [_record(cv) for cv in rows]


def get_cv(ctx: AppContext, actor: Actor, cv_id: int) -> CVRecord:
    with view_session(ctx.db, actor) as session:
        return _record(_readable(session, actor, cv_id))


def default_cv(ctx: AppContext, actor: Actor) -> CVRecord | None:
    """The actor's default CV, which analyses and interviews use unless another is chosen."""
    with ctx.db.read() as session:
        cv = session.scalar(select(CV).where(CV.user_id == actor.id, CV.is_default.is_(True)))
        return None if cv is None else _record(cv)


def download_cv(ctx: AppContext, actor: Actor, cv_id: int) -> tuple[str, bytes]:
    """The original file name and bytes, exactly as uploaded."""
    with view_session(ctx.db, actor) as session:
        cv = _readable(session, actor, cv_id)
        filename, key = cv.filename, cv.storage_key
    return filename, ctx.storage.get(key)


def _readable(session: Session, actor: Actor, cv_id: int) -> CV:
    return readable_by(session, actor, session.get(CV, cv_id), purpose="cv", not_found=NOT_FOUND_MESSAGE)


def _owned(session: Session, actor: Actor, cv_id: int) -> CV:
    """A CV the actor may change: only its owner may."""
    _lock_owner(session, actor.id)
    cv = session.get(CV, cv_id)
    if cv is None or cv.user_id != actor.id:
        raise AppError(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE)
    return cv


# --- changing ---------------------------------------------------------------------------------


def set_default(ctx: AppContext, actor: Actor, cv_id: int) -> CVRecord:
    with ctx.db.session() as session:
        chosen = _owned(session, actor, cv_id)
        for cv in session.scalars(select(CV).where(CV.user_id == actor.id)):
            cv.is_default = cv.id == chosen.id
        return _record(chosen)


def delete_cv(ctx: AppContext, actor: Actor, cv_id: int) -> None:
    """Remove the row and the stored file; analyses and interviews keep their reports (cv_id becomes NULL).

    If the deleted CV was the default, the newest remaining one becomes the default.
    """
    with ctx.db.session() as session:
        cv = _owned(session, actor, cv_id)
        key, was_default = cv.storage_key, cv.is_default
        session.delete(cv)
        session.flush()
        if was_default:
            successor = session.scalar(
                select(CV).where(CV.user_id == actor.id).order_by(CV.created_at.desc(), CV.id.desc()).limit(1)
            )
            if successor is not None:
                successor.is_default = True
        audit.record(
            session,
            actor_id=actor.id,
            action="cv.delete",
            subject_user_id=actor.id,
            target_type="cv",
            target_id=cv_id,
            details={"filename": cv.filename},
        )
        # Last, inside the transaction: if the file cannot be removed the row comes back.
        ctx.storage.delete(key)
