"""Admin credit grants: to one user or to a whole cohort, audit-logged, idempotent on a key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from core import audit
from core.access import Actor, Role, find_user, require_role
from core.billing.ledger import GRANT, LedgerEntry, by_key, check_credits, entry, move_credits, once
from core.errors import AppError, ErrorCode
from core.input_limits import check_text
from core.models import Cohort, CohortMember, Transaction, User

if TYPE_CHECKING:
    from core.context import AppContext

MAX_GRANT = 10_000
REASON_MAX = 300  # transactions.reason


@dataclass(frozen=True)
class GrantEntry:
    created_at: datetime
    email: str
    credits: int
    reason: str
    granted_by: str | None


@dataclass(frozen=True)
class CohortChoice:
    id: int
    name: str
    students: int


def _check_grant(actor: Actor, credits: int, reason: str) -> str:
    require_role(actor, Role.ADMIN)
    check_credits(credits, limit=MAX_GRANT)
    reason = check_text(reason.strip(), label="The reason", limit=REASON_MAX)
    if not reason:
        raise AppError(ErrorCode.INVALID_INPUT, "Say why you are granting these credits.")
    return reason


def grant(
    ctx: AppContext,
    actor: Actor,
    *,
    email: str,
    credits: int,
    reason: str,
    idempotency_key: str | None = None,
) -> LedgerEntry:
    """Admin: give a user credits (ledger kind grant, audit-logged). Repeating a key repeats nothing."""
    reason = _check_grant(actor, credits, reason)

    def work(session: Session) -> Transaction:
        user = find_user(session, email)
        if user is None:
            raise AppError(ErrorCode.NOT_FOUND, "There is no account with this email.")
        row = move_credits(
            session, user.id, credits, kind=GRANT, reason=reason, actor_id=actor.id, idempotency_key=idempotency_key
        )
        audit.record(
            session,
            actor_id=actor.id,
            action="credits.grant",
            subject_user_id=user.id,
            target_type="transaction",
            target_id=row.id,
            details={"credits": credits, "reason": reason},
        )
        return row

    return entry(once(ctx, work, lambda session: by_key(session, idempotency_key)))


def grant_cohort(
    ctx: AppContext,
    actor: Actor,
    *,
    cohort_id: int,
    credits: int,
    reason: str,
    idempotency_key: str | None = None,
) -> int:
    """Admin: give every student of a cohort credits in one transaction; returns how many students got them."""
    reason = _check_grant(actor, credits, reason)

    def replay(session: Session) -> int | None:
        if idempotency_key is None:
            return None
        done = session.scalar(
            select(func.count(Transaction.id)).where(Transaction.idempotency_key.startswith(f"{idempotency_key}:"))
        )
        return done or None

    def work(session: Session) -> int:
        cohort = session.get(Cohort, cohort_id)
        if cohort is None:
            raise AppError(ErrorCode.NOT_FOUND, "We could not find that cohort.")
        students = session.scalars(
            select(CohortMember.user_id)
            .where(CohortMember.cohort_id == cohort_id, CohortMember.member_role == "student")
            .order_by(CohortMember.user_id)  # one lock order for every multi-wallet transaction
        ).all()
        if not students:
            raise AppError(ErrorCode.INVALID_INPUT, "This cohort has no students yet.")
        for user_id in students:
            move_credits(
                session,
                user_id,
                credits,
                kind=GRANT,
                reason=reason,
                actor_id=actor.id,
                ref_type="cohort",
                ref_id=cohort_id,
                idempotency_key=f"{idempotency_key}:{user_id}" if idempotency_key else None,
            )
        audit.record(
            session,
            actor_id=actor.id,
            action="credits.grant_cohort",
            target_type="cohort",
            target_id=cohort_id,
            details={"credits": credits, "reason": reason, "students": len(students)},
        )
        return len(students)

    return once(ctx, work, replay)


def recent_grants(ctx: AppContext, actor: Actor, *, limit: int = 50) -> list[GrantEntry]:
    require_role(actor, Role.ADMIN)
    granter = aliased(User)
    query = (
        select(Transaction.created_at, User.email, Transaction.amount, Transaction.reason, granter.email)
        .join(User, User.id == Transaction.user_id)
        .outerjoin(granter, granter.id == Transaction.actor_id)
        .where(Transaction.kind == GRANT)
        .order_by(Transaction.created_at.desc(), Transaction.id.desc())
        .limit(limit)
    )
    with ctx.db.read() as session:
        return [GrantEntry(*row) for row in session.execute(query)]


def cohort_choices(ctx: AppContext, actor: Actor) -> list[CohortChoice]:
    """Admin: cohorts with their student counts, for the grant form."""
    require_role(actor, Role.ADMIN)
    students = func.count(CohortMember.id).filter(CohortMember.member_role == "student")
    query = (
        select(Cohort.id, Cohort.name, students)
        .outerjoin(CohortMember, CohortMember.cohort_id == Cohort.id)
        .group_by(Cohort.id, Cohort.name)
        .order_by(Cohort.name)
    )
    with ctx.db.read() as session:
        return [CohortChoice(*row) for row in session.execute(query)]
