"""A user's own data: export everything (JSON + stored files, as a zip) and erase the account.

Spoken practice answers are part of it: the recording is a stored file, and its transcript and delivery
figures sit in the answer's entry of the interviews row, so both are exported and erased with the rest.

Erasure deletes the users row; foreign keys cascade to every row the user owns (wallet, ledger, payments,
CVs, jobs, analyses, flashcards, reviews, interviews, results, notes about them, memberships). Stored files
(CV uploads and practice-answer recordings) are removed after the transaction commits, so a storage hiccup
never leaves a half-deleted account; a file that cannot be removed is logged for the operator. The audit log
keeps the bare user id of the erasure.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from core import audit
from core.access import Actor, normalise_email
from core.context import AppContext
from core.db import rows_affected, utcnow
from core.errors import AppError, ErrorCode
from core.models import (
    CV,
    Analysis,
    ApiToken,
    AuditLog,
    Base,
    Cohort,
    CohortMember,
    EmailToken,
    Flashcard,
    Interview,
    InterviewResult,
    Job,
    Note,
    Payment,
    ResumeVersion,
    Review,
    SsoIdentity,
    Transaction,
    User,
    Wallet,
)

log = logging.getLogger(__name__)

# Tables exported, each with the column that names the owner.
OWNED: tuple[tuple[str, type[Base], Any], ...] = (
    ("wallet", Wallet, Wallet.user_id),
    ("transactions", Transaction, Transaction.user_id),
    ("payments", Payment, Payment.user_id),
    ("cvs", CV, CV.user_id),
    ("jobs", Job, Job.owner_id),
    ("analyses", Analysis, Analysis.user_id),
    ("flashcards", Flashcard, Flashcard.user_id),
    ("reviews", Review, Review.user_id),
    ("interviews", Interview, Interview.user_id),
    ("interview_results", InterviewResult, InterviewResult.user_id),
    ("notes_from_counselors", Note, Note.student_id),
    ("sso_identities", SsoIdentity, SsoIdentity.user_id),
    ("api_tokens", ApiToken, ApiToken.user_id),
    ("email_links", EmailToken, EmailToken.user_id),
    ("resume_versions", ResumeVersion, ResumeVersion.user_id),
)
HIDDEN_COLUMNS = {"password_hash", "token_hash"}  # secrets (hashed) stay out of the export


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def _row(obj: Base) -> dict[str, Any]:
    return {c.key: _json(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in HIDDEN_COLUMNS}


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)[:100] or "file"


def _stored_files(session: Session, user_id: int) -> list[tuple[str, str]]:
    """(name inside the export, storage key) of every file the user stored: CV uploads and answer recordings."""
    files = [
        (f"{cv_id}_{_safe_name(filename)}", key)
        for cv_id, filename, key in session.execute(
            select(CV.id, CV.filename, CV.storage_key).where(CV.user_id == user_id).order_by(CV.id)
        )
    ]
    for interview_id, answers in session.execute(
        select(Interview.id, Interview.answers).where(Interview.user_id == user_id).order_by(Interview.id)
    ):
        for answer in answers or []:
            audio = answer.get("audio") if isinstance(answer, dict) else None
            if isinstance(audio, dict) and audio.get("key"):
                question = _safe_name(str(answer.get("question_id")))
                files.append((f"interview_{interview_id}_{question}.{audio['key'].rsplit('.', 1)[-1]}", audio["key"]))
    return files


def export_user_data(ctx: AppContext, actor: Actor) -> bytes:
    """A zip with data.json (every row the actor owns) and files/ (their uploaded CVs and answer recordings)."""
    with ctx.db.session() as session:
        user = session.get(User, actor.id)
        if user is None:
            raise AppError(ErrorCode.NOT_FOUND, "We could not find your account.")
        data: dict[str, Any] = {"exported_at": utcnow().isoformat(), "user": _row(user)}
        data["cohorts"] = [
            {
                "cohort": name,
                "term": term,
                "member_role": role,
                "joined_at": _json(joined),
                "consent_at": _json(consent),
            }
            for name, term, role, joined, consent in session.execute(
                select(
                    Cohort.name, Cohort.term, CohortMember.member_role, CohortMember.joined_at, CohortMember.consent_at
                )
                .join(CohortMember, CohortMember.cohort_id == Cohort.id)
                .where(CohortMember.user_id == actor.id)
            )
        ]
        for name, model, owner in OWNED:
            data[name] = [_row(obj) for obj in session.scalars(select(model).where(owner == actor.id))]
        files = _stored_files(session, actor.id)
        audit.record(session, actor_id=actor.id, action="privacy.export", subject_user_id=actor.id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, default=str))
        for name, key in files:
            try:
                archive.writestr(f"files/{name}", ctx.storage.get(key))
            except AppError as error:
                if error.code != ErrorCode.NOT_FOUND:
                    raise
                archive.writestr(f"files/{name}.missing.txt", "The stored file was missing.")
    return buffer.getvalue()


# Audit details that name no one: roles, providers, how an account was linked. Every other text (file names,
# e-mails, job and cohort titles, grant reasons) is dropped from an erased user's audit rows; numbers stay.
IMPERSONAL_AUDIT_KEYS = frozenset({"role", "from", "to", "provider", "account", "by_self"})


def erase_user(session: Session, user_id: int, *, by: Actor) -> list[str]:
    """Delete the user and (by cascade) everything they own, except the books: ledger and payment rows stay,
    pseudonymised under the user's never-reused id, and audit rows about the user lose their personal details.
    Returns the storage keys to remove after commit."""
    keys = [key for _, key in _stored_files(session, user_id)]
    _scrub_audit(session, user_id)  # before the delete sets actor_id to NULL on the rows the user made
    if not rows_affected(session, delete(User).where(User.id == user_id)):
        raise AppError(ErrorCode.NOT_FOUND, "We could not find that account.")
    _pseudonymise_books(session, user_id)
    audit.record(
        session,
        actor_id=None if by.id == user_id else by.id,
        action="user.delete",
        subject_user_id=user_id,
        details={"by_self": by.id == user_id, "files": len(keys)},
    )
    return keys


def _pseudonymise_books(session: Session, user_id: int) -> None:
    """Amounts, kinds, dates, balances and references stay; reasons (which quote job titles and grant notes)
    become the kind alone, and checkout links (which may carry the buyer's e-mail) go."""
    session.execute(
        update(Transaction).where(Transaction.user_id == user_id).values(reason=Transaction.kind + " (erased account)")
    )
    session.execute(update(Payment).where(Payment.user_id == user_id).values(checkout_url=None))


def _scrub_audit(session: Session, user_id: int) -> None:
    rows = session.scalars(
        select(AuditLog).where(or_(AuditLog.subject_user_id == user_id, AuditLog.actor_id == user_id))
    )
    for row in rows:
        row.details = {key: value for key, value in (row.details or {}).items()
                       if key in IMPERSONAL_AUDIT_KEYS or isinstance(value, int | float | bool)}  # fmt: skip


def remove_files(ctx: AppContext, keys: list[str]) -> None:
    for key in keys:
        try:
            ctx.storage.delete(key)
        except AppError:
            log.exception("could not remove stored file %s of a deleted account; remove it by hand", key)


def delete_account(ctx: AppContext, actor: Actor, *, confirm_email: str) -> None:
    """The user erases their own account; typing their email is the confirmation.

    Admins are refused here so the last admin cannot vanish; another admin deletes an admin account.
    """
    if actor.is_admin:
        raise AppError(ErrorCode.PERMISSION_DENIED, "Admin accounts are deleted by another admin on the Users page.")
    if normalise_email(confirm_email) != normalise_email(actor.email):
        raise AppError(ErrorCode.INVALID_INPUT, "Type your email address exactly to confirm.")
    with ctx.db.session() as session:
        keys = erase_user(session, actor.id, by=actor)
    remove_files(ctx, keys)
