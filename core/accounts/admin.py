"""Admin tools: find users, change roles, lock/unlock, set a temporary password, delete accounts; read the audit log.

Admins cannot change, lock or delete their own account here, so the last admin can never lock everyone out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, aliased

from core import audit
from core.access import Actor, Role, normalise_email, require_role
from core.accounts import privacy
from core.accounts.users import end_sessions, hash_password, password_problems
from core.context import AppContext
from core.db import rows_affected, utcnow
from core.errors import AppError, ErrorCode
from core.input_limits import EMAIL_MAX, check_text
from core.integrations import mail
from core.models import Analysis, AuditLog, CohortMember, Interview, User

SEARCH_LIMIT = 50
AUDIT_LIMIT = 500


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    name: str
    role: Role
    disabled: bool
    locked_until: datetime | None
    failed_attempts: int
    created_at: datetime
    last_active_at: datetime | None

    @property
    def status(self) -> str:
        if self.disabled:
            return "locked by admin"
        if self.locked_until and self.locked_until > utcnow():
            return "locked (failed sign-ins)"
        return "active"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str | None
    action: str
    subject: str | None
    target_type: str | None
    target_id: str | None
    details: dict[str, Any]


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def search_users(
    ctx: AppContext, actor: Actor, query: str = "", *, role: Role | None = None, limit: int = SEARCH_LIMIT
) -> list[UserRow]:
    """Users whose email or name contains `query` (case-insensitive), newest first."""
    require_role(actor, Role.ADMIN)
    stmt = select(User).order_by(User.created_at.desc(), User.id.desc()).limit(limit)
    query = check_text(query.strip(), label="The search", limit=EMAIL_MAX)
    if query:
        pattern = _like(query)
        stmt = stmt.where(or_(User.email.like(pattern, escape="\\"), User.name.ilike(pattern, escape="\\")))
    if role is not None:
        stmt = stmt.where(User.role == str(role))
    with ctx.db.read() as session:
        return [
            UserRow(
                u.id,
                u.email,
                u.name,
                Role(u.role),
                u.disabled,
                u.locked_until,
                u.failed_attempts,
                u.created_at,
                u.last_active_at,
            )
            for u in session.scalars(stmt)
        ]


def _other_user(session: Session, actor: Actor, user_id: int) -> User:
    require_role(actor, Role.ADMIN)
    if user_id == actor.id:
        raise AppError(ErrorCode.INVALID_INPUT, "You cannot do this to your own account; ask another admin.")
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise AppError(ErrorCode.NOT_FOUND, "We could not find that account.")
    return user


def set_role(ctx: AppContext, actor: Actor, user_id: int, role: Role) -> None:
    """Change a role; cohort memberships that no longer fit the new role are removed with it."""
    with ctx.db.session() as session:
        user = _other_user(session, actor, user_id)
        old = user.role
        if old == str(role):
            return
        user.role = str(role)
        fitting = {Role.STUDENT: "student", Role.COUNSELOR: "counselor"}.get(role)
        stale = delete(CohortMember).where(CohortMember.user_id == user_id)
        if fitting:
            stale = stale.where(CohortMember.member_role != fitting)
        removed = rows_affected(session, stale)
        audit.record(
            session,
            actor_id=actor.id,
            action="user.role",
            subject_user_id=user_id,
            details={"from": old, "to": str(role), "memberships_removed": removed},
        )


def set_locked(ctx: AppContext, actor: Actor, user_id: int, locked: bool) -> None:
    """Lock (the user is signed out on their next click and cannot sign in) or unlock (also clears a lockout)."""
    with ctx.db.session() as session:
        user = _other_user(session, actor, user_id)
        user.disabled = locked
        if locked:
            end_sessions(user)
        else:
            user.failed_attempts, user.locked_until = 0, None
        audit.record(
            session, actor_id=actor.id, action="user.lock" if locked else "user.unlock", subject_user_id=user_id
        )


def reset_password(ctx: AppContext, actor: Actor, user_id: int, temporary: str) -> None:
    """Set a temporary password the admin passes on; it also clears a failed-sign-in lockout."""
    problems = password_problems(temporary)
    if problems:
        raise AppError(ErrorCode.INVALID_INPUT, "The temporary password needs " + ", ".join(problems) + ".")
    password_hash = hash_password(temporary, ctx.settings.bcrypt_rounds)
    with ctx.db.session() as session:
        user = _other_user(session, actor, user_id)
        user.password_hash, user.password_changed_at = password_hash, utcnow()
        user.failed_attempts, user.locked_until = 0, None
        end_sessions(user)  # whoever holds the account's old sessions or cookies is signed out
        audit.record(session, actor_id=actor.id, action="user.password_reset", subject_user_id=user_id)


def delete_user(ctx: AppContext, actor: Actor, user_id: int, *, confirm_email: str) -> None:
    """Erase another account with all its rows and stored files; the admin retypes its email to confirm."""
    with ctx.db.session() as session:
        user = _other_user(session, actor, user_id)
        if normalise_email(confirm_email) != normalise_email(user.email):
            raise AppError(ErrorCode.INVALID_INPUT, "Type the account's email address exactly to confirm.")
        keys = privacy.erase_user(session, user_id, by=actor)
    privacy.remove_files(ctx, keys)


def audit_log(
    ctx: AppContext,
    actor: Actor,
    *,
    action: str = "",
    actor_email: str = "",
    subject_email: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = AUDIT_LIMIT,
) -> list[AuditEntry]:
    """Audit entries, newest first; `action` matches a prefix ("view." finds every view of a student's data)."""
    require_role(actor, Role.ADMIN)
    who, whom = aliased(User), aliased(User)
    stmt = (
        select(AuditLog, who.email, whom.email)
        .outerjoin(who, who.id == AuditLog.actor_id)
        .outerjoin(whom, whom.id == AuditLog.subject_user_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    )
    if action.strip():
        stmt = stmt.where(AuditLog.action.startswith(action.strip(), autoescape=True))
    if actor_email.strip():
        stmt = stmt.where(who.email.like(_like(actor_email.strip()), escape="\\"))
    if subject_email.strip():
        stmt = stmt.where(whom.email.like(_like(subject_email.strip()), escape="\\"))
    if since is not None:
        stmt = stmt.where(AuditLog.at >= since)
    if until is not None:
        stmt = stmt.where(AuditLog.at < until)
    with ctx.db.read() as session:
        return [
            AuditEntry(
                e.id,
                e.at,
                actor_mail,
                e.action,
                subject_mail or (f"deleted user #{e.subject_user_id}" if e.subject_user_id else None),
                e.target_type,
                e.target_id,
                dict(e.details or {}),
            )
            for e, actor_mail, subject_mail in session.execute(stmt)
        ]


def outbox(ctx: AppContext, actor: Actor) -> list[mail.OutboxMessage]:
    """The mails written to the local outbox (no SMTP configured): they hold reset links, so admins only."""
    require_role(actor, Role.ADMIN)
    return mail.read_outbox(ctx.settings)


# --- the admin's home ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdminOverview:
    users_by_role: dict[str, int]
    locked: int  # locked by an admin, or for now after failed sign-ins
    active_today: int
    joined_today: int
    analyses_today: int
    interviews_today: int


def overview(ctx: AppContext, actor: Actor) -> AdminOverview:
    """Head counts for the admin's home; "today" is the UTC day so far."""
    require_role(actor, Role.ADMIN)
    now = utcnow()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    with ctx.db.read() as session:
        counts = session.execute(select(User.role, func.count()).group_by(User.role))
        by_role = {str(role): int(n) for role, n in counts}
        locked = session.scalar(select(func.count()).where(or_(User.disabled.is_(True), User.locked_until > now)))
        active = session.scalar(select(func.count()).where(User.last_active_at >= today))
        joined = session.scalar(select(func.count()).where(User.created_at >= today))
        analyses = session.scalar(select(func.count(Analysis.id)).where(Analysis.created_at >= today))
        interviews = session.scalar(select(func.count(Interview.id)).where(Interview.created_at >= today))
    return AdminOverview({str(role): by_role.get(str(role), 0) for role in Role}, int(locked or 0),
                         int(active or 0), int(joined or 0), int(analyses or 0), int(interviews or 0))  # fmt: skip
