"""Counselor notes: feedback on a student or on one of their reports, which the student reads.

Writing or reading notes about someone else goes through accounts.require_student_access, so only the
student's current counselors (and admins) can, and every such read is audit-logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from core import audit
from core.access import Actor, Role, require_role, require_student_access
from core.context import AppContext
from core.errors import AppError, ErrorCode
from core.input_limits import check_text
from core.models import Analysis, Interview, Note, User

MAX_NOTE_CHARS = 5000


@dataclass(frozen=True)
class NoteView:
    id: int
    author_id: int | None
    author: str
    student_id: int
    body: str
    created_at: datetime
    analysis_id: int | None
    interview_id: int | None
    about: str  # "General", "Report: Data Analyst", "Interview: Data Analyst"


def add_note(
    ctx: AppContext,
    actor: Actor,
    student_id: int,
    body: str,
    *,
    analysis_id: int | None = None,
    interview_id: int | None = None,
) -> NoteView:
    """A counselor of the student (or an admin) leaves feedback, optionally on one analysis or interview."""
    require_role(actor, Role.COUNSELOR, Role.ADMIN)
    body = check_text(body.strip(), label="The note", limit=MAX_NOTE_CHARS)
    if not body:
        raise AppError(ErrorCode.INVALID_INPUT, "Write something before saving the note.")
    if len(body) > MAX_NOTE_CHARS:
        raise AppError(ErrorCode.INVALID_INPUT, f"Keep notes under {MAX_NOTE_CHARS} characters.")
    with ctx.db.session() as session:
        require_student_access(session, actor, student_id, purpose="notes")
        targets: list[Analysis | Interview | None] = []
        if analysis_id is not None:
            targets.append(session.get(Analysis, analysis_id))
        if interview_id is not None:
            targets.append(session.get(Interview, interview_id))
        if any(target is None or target.user_id != student_id for target in targets):
            raise AppError(ErrorCode.NOT_FOUND, "That report does not belong to this student.")
        note = Note(
            author_id=actor.id, student_id=student_id, analysis_id=analysis_id, interview_id=interview_id, body=body
        )
        session.add(note)
        session.flush()
        audit.record(
            session,
            actor_id=actor.id,
            action="note.add",
            subject_user_id=student_id,
            target_type="note",
            target_id=note.id,
        )
        return _views(session, [note.id])[0]


def notes_about(ctx: AppContext, actor: Actor, student_id: int) -> list[NoteView]:
    """Notes on a student, for the drill-down page."""
    with ctx.db.session() as session:
        require_student_access(session, actor, student_id, purpose="notes")
        return _views(session, student_id=student_id)


def notes_for_student(ctx: AppContext, actor: Actor) -> list[NoteView]:
    """The signed-in student's own notes from their counselors, newest first."""
    with ctx.db.read() as session:
        return _views(session, student_id=actor.id)


def delete_note(ctx: AppContext, actor: Actor, note_id: int) -> None:
    """The author (or an admin) withdraws a note."""
    with ctx.db.session() as session:
        note = session.get(Note, note_id)
        if note is None or not (actor.is_admin or note.author_id == actor.id):
            raise AppError(ErrorCode.NOT_FOUND, "We could not find that note.")
        session.delete(note)
        audit.record(
            session,
            actor_id=actor.id,
            action="note.delete",
            subject_user_id=note.student_id,
            target_type="note",
            target_id=note_id,
        )


def _views(session: Session, ids: list[int] | None = None, *, student_id: int | None = None) -> list[NoteView]:
    author = aliased(User)
    query = (
        select(Note, author.name, Analysis.job_title, Interview.job_title)
        .outerjoin(author, author.id == Note.author_id)
        .outerjoin(Analysis, Analysis.id == Note.analysis_id)
        .outerjoin(Interview, Interview.id == Note.interview_id)
        .order_by(Note.created_at.desc(), Note.id.desc())
    )
    query = query.where(Note.id.in_(ids)) if ids is not None else query.where(Note.student_id == student_id)
    views = []
    for note, author_name, analysis_title, interview_title in session.execute(query):
        if note.analysis_id is not None:
            about = f"Report: {analysis_title or 'analysis'}"
        elif note.interview_id is not None:
            about = f"Interview: {interview_title or 'practice'}"
        else:
            about = "General"
        views.append(
            NoteView(
                note.id,
                note.author_id,
                author_name or "A former counselor",
                note.student_id,
                note.body,
                note.created_at,
                note.analysis_id,
                note.interview_id,
                about,
            )
        )
    return views
