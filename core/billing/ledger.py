"""Credit wallets, the ledger and paid actions: the one writer of balances.

Invariants, held by the database and by this module being the only writer of balances:
- a wallet never goes below zero (CHECK constraint, and a conditional UPDATE that refuses to overdraw);
- every change of balance is exactly one ledger row, written in the same transaction as the change and
  carrying the balance after it, so the balance always equals the ledger sum;
- a charge is refunded at most once (unique refund_of_id) and a payment is credited at most once (payment row
  lock, plus a unique idempotency key on its ledger row);
- a paid action's charge is pending (settled_at NULL) while the action runs: settled when it succeeds, refunded
  when it fails, refunded by `refund_abandoned` when the process died first (the sweep) or is stopping
  (`drain`). Claiming a pending charge is a conditional UPDATE, so it is settled or refunded exactly once
  however many replicas sweep.
"""

from __future__ import annotations

import csv
import io
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from core import audit
from core.access import Actor, require_student_access, view_session
from core.db import utcnow
from core.errors import AppError, ErrorCode
from core.input_limits import MAX_CREDITS
from core.models import Transaction, Wallet
from core.untrusted_text import csv_row

if TYPE_CHECKING:
    from core.context import AppContext

log = logging.getLogger(__name__)
T = TypeVar("T")

PURCHASE, GRANT, WELCOME, CHARGE, REFUND = "purchase", "grant", "welcome", "charge", "refund"
KINDS = (PURCHASE, GRANT, WELCOME, CHARGE, REFUND)
MAX_ATTEMPTS = 8
# PostgreSQL serialization_failure and deadlock_detected: safe to run the whole transaction again.
RETRY_SQLSTATES = {"40001", "40P01"}


@dataclass(frozen=True)
class Charge:
    """A charge that went through; `id` is its ledger row (None for a free action)."""

    id: int | None
    user_id: int
    amount: int
    balance_after: int


@dataclass(frozen=True)
class LedgerEntry:
    id: int
    user_id: int
    created_at: datetime
    kind: str
    amount: int
    balance_after: int
    reason: str
    ref_type: str | None
    ref_id: str | None
    refund_of_id: int | None
    is_demo: bool


# --- transactions -------------------------------------------------------------------------------


def _retryable(error: OperationalError) -> bool:
    if getattr(error.orig, "sqlstate", None) in RETRY_SQLSTATES:
        return True
    return "database is locked" in str(error.orig)


def write(ctx: AppContext, work: Callable[[Session], T]) -> T:
    """Run `work` in one transaction; a serialization failure or deadlock reruns it, so none reaches a user."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with ctx.db.session() as session:
                return work(session)
        except OperationalError as error:
            if not _retryable(error) or attempt == MAX_ATTEMPTS:
                raise
            log.info("retrying a billing transaction after %s (attempt %d)", type(error.orig).__name__, attempt)
            time.sleep(random.uniform(0, 0.005 * 2**attempt))
    raise AssertionError("unreachable")


def once(ctx: AppContext, work: Callable[[Session], T], replay: Callable[[Session], T | None]) -> T:
    """Run `work` unless `replay` finds it already done; a unique-key race loser returns the winner's result."""

    def attempt(session: Session) -> T:
        done = replay(session)
        return work(session) if done is None else done

    try:
        return write(ctx, attempt)
    except IntegrityError:
        with ctx.db.session() as session:
            done = replay(session)
        if done is None:
            raise
        return done


def move_credits(
    session: Session,
    user_id: int,
    amount: int,
    *,
    kind: str,
    reason: str,
    actor_id: int | None,
    ref_type: str | None = None,
    ref_id: object = None,
    refund_of_id: int | None = None,
    idempotency_key: str | None = None,
    is_demo: bool = False,
    pending: bool = False,
) -> Transaction:
    """Move `amount` (signed) credits and write its ledger row, inside the caller's transaction.

    The conditional UPDATE is the concurrency story: PostgreSQL re-checks `balance + amount >= 0` on the row
    version it locks and SQLite's BEGIN IMMEDIATE serialises writers, so two charges can never both spend the
    last credit, and RETURNING gives exactly the balance this row produced.
    """
    new_balance = session.execute(
        update(Wallet)
        .where(Wallet.user_id == user_id, Wallet.balance + amount >= 0)
        .values(balance=Wallet.balance + amount, updated_at=utcnow())
        .returning(Wallet.balance)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if new_balance is None:
        current = session.scalar(select(Wallet.balance).where(Wallet.user_id == user_id))
        if current is None:
            raise AppError(ErrorCode.NOT_FOUND, "This account has no credit wallet.")
        raise AppError(
            ErrorCode.INSUFFICIENT_CREDITS,
            f"This needs {-amount} credit{'s' if -amount != 1 else ''} and you have {current}. "
            "Buy more credits on the Wallet page, then try again.",
        )
    row = Transaction(
        user_id=user_id,
        kind=kind,
        amount=amount,
        balance_after=new_balance,
        reason=reason[:300],
        ref_type=ref_type,
        ref_id=None if ref_id is None else str(ref_id),
        refund_of_id=refund_of_id,
        idempotency_key=idempotency_key,
        is_demo=is_demo,
        actor_id=actor_id,
        settled_at=None if pending else utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def by_key(session: Session, key: str | None) -> Transaction | None:
    return None if key is None else session.scalar(select(Transaction).where(Transaction.idempotency_key == key))


def check_credits(credits: int, *, limit: int = MAX_CREDITS) -> None:
    """A whole, positive amount no larger than `limit` (never beyond what the integer column holds)."""
    if isinstance(credits, bool) or not isinstance(credits, int) or credits <= 0:
        raise AppError(ErrorCode.INVALID_INPUT, "Enter a whole number of credits above zero.")
    if credits > limit:
        raise AppError(ErrorCode.INVALID_INPUT, f"Enter at most {limit} credits at a time.")


# --- wallet ---------------------------------------------------------------------------------------


def open_wallet(session: Session, user_id: int, *, welcome_credits: int) -> None:
    """Create the user's wallet, crediting the welcome credits as the first ledger row."""
    session.add(Wallet(user_id=user_id, balance=welcome_credits))
    if welcome_credits:
        session.add(
            Transaction(
                user_id=user_id,
                kind=WELCOME,
                amount=welcome_credits,
                balance_after=welcome_credits,
                reason="Welcome credits",
                idempotency_key=f"welcome:{user_id}",
            )
        )


def balance(ctx: AppContext, actor: Actor) -> int:
    """The actor's own credit balance (0 when no wallet exists, e.g. staff accounts)."""
    with ctx.db.read() as session:
        wallet = session.get(Wallet, actor.id)
        return wallet.balance if wallet else 0


# --- charges and refunds ------------------------------------------------------------------------------


def charge(
    ctx: AppContext,
    actor: Actor,
    amount: int,
    reason: str,
    *,
    ref_type: str | None = None,
    ref_id: object = None,
    idempotency_key: str | None = None,
    pending: bool = False,
) -> Charge:
    """Take `amount` credits from the actor's own wallet, or raise INSUFFICIENT_CREDITS and take nothing.
    A `pending` charge must later be settled or refunded (see run_paid)."""
    check_credits(amount)

    def work(session: Session) -> Transaction:
        return move_credits(
            session,
            actor.id,
            -amount,
            kind=CHARGE,
            reason=reason,
            actor_id=actor.id,
            ref_type=ref_type,
            ref_id=ref_id,
            idempotency_key=idempotency_key,
            pending=pending,
        )

    row = once(ctx, work, lambda session: by_key(session, idempotency_key))
    return Charge(id=row.id, user_id=row.user_id, amount=-row.amount, balance_after=row.balance_after)


def refund(ctx: AppContext, actor: Actor, charge_id: int, reason: str) -> LedgerEntry:
    """Give a charge back (its owner or an admin); refunding the same charge again returns the first refund."""

    def replay(session: Session) -> Transaction | None:
        return refund_of(session, charge_id)

    def work(session: Session) -> Transaction:
        paid = session.get(Transaction, charge_id)
        if paid is None or paid.kind != CHARGE:
            raise AppError(ErrorCode.NOT_FOUND, "We could not find that charge.")
        if paid.user_id != actor.id and not actor.is_admin:
            raise AppError(ErrorCode.PERMISSION_DENIED)
        row = refund_in(session, paid, reason, actor_id=actor.id)
        if paid.user_id != actor.id:
            audit.record(
                session,
                actor_id=actor.id,
                action="credits.refund",
                subject_user_id=paid.user_id,
                target_type="transaction",
                target_id=paid.id,
                details={"reason": reason},
            )
        return row

    return entry(once(ctx, work, replay))


def refund_in(session: Session, paid: Transaction, reason: str, *, actor_id: int | None) -> Transaction:
    """Give `paid` back inside the caller's transaction (a pending charge is settled by its refund); a second
    refund of the same charge fails on the unique refund_of_id, so callers check `refund_of(...)` first."""
    _claim(session, paid.id)
    return move_credits(
        session, paid.user_id, -paid.amount, kind=REFUND, reason=reason, actor_id=actor_id,
        ref_type=paid.ref_type, ref_id=paid.ref_id, refund_of_id=paid.id,
    )  # fmt: skip


def refund_of(session: Session, charge_id: int) -> Transaction | None:
    return session.scalar(select(Transaction).where(Transaction.refund_of_id == charge_id))


def run_paid(
    ctx: AppContext,
    actor: Actor,
    price: int,
    reason: str,
    action: Callable[[Charge], T],
    *,
    ref_type: str | None = None,
    ref_id: object = None,
) -> T:
    """Charge first (pending), then run `action`: settle the charge when it returns, refund it if it raises.

    So a dead AI provider or Tavus never costs a credit, and nobody gets the work without paying for it.
    A process killed mid-action leaves the charge pending, and the sweep (refund_abandoned) refunds it.
    A price of 0 (a free feature by configuration) runs the action without a ledger row.
    """
    if price == 0:
        return action(Charge(id=None, user_id=actor.id, amount=0, balance_after=balance(ctx, actor)))
    paid = charge(ctx, actor, price, reason, ref_type=ref_type, ref_id=ref_id, pending=True)
    charge_id = paid.id
    assert charge_id is not None  # a paid charge always has its ledger row
    with _in_flight_lock:
        _in_flight[charge_id] = actor
    try:
        result = action(paid)
    except BaseException:  # also an interrupted run: the work did not complete, so the credit goes back
        try:
            refund(ctx, actor, charge_id, f"Refund: {reason} did not complete")
        except Exception:
            log.exception("could not refund charge %s", paid.id)
        raise
    finally:
        with _in_flight_lock:
            _in_flight.pop(charge_id, None)
    if not write(ctx, lambda session: _claim(session, charge_id)):
        log.warning("charge %s was refunded while its action ran (the server was stopping or it overran)", charge_id)
    return result


# Paid actions running in this process: charge id -> who paid. `drain` refunds those still running at shutdown.
_in_flight: dict[int, Actor] = {}
_in_flight_lock = threading.Lock()


def _claim(session: Session, charge_id: int) -> bool:
    """Settle a pending charge; False when it was no longer pending (another run or replica claimed it)."""
    claimed = session.execute(
        update(Transaction)
        .where(Transaction.id == charge_id, Transaction.settled_at.is_(None))
        .values(settled_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def refund_abandoned(ctx: AppContext, charge_id: int, why: str) -> bool:
    """Refund a charge whose action will never finish, if it is still pending; audited; exactly once."""

    def work(session: Session) -> bool:
        if not _claim(session, charge_id):
            return False
        paid = session.get_one(Transaction, charge_id)
        move_credits(
            session, paid.user_id, -paid.amount, kind=REFUND, reason=f"Refund: {paid.reason} did not finish ({why})",
            actor_id=None, ref_type=paid.ref_type, ref_id=paid.ref_id, refund_of_id=paid.id,
        )  # fmt: skip
        audit.record(
            session, actor_id=None, action="credits.refund_abandoned", subject_user_id=paid.user_id,
            target_type="transaction", target_id=paid.id, details={"why": why, "amount": -paid.amount},
        )  # fmt: skip
        return True

    try:
        return write(ctx, work)
    except IntegrityError:  # refunded already by its own run in the meantime
        return False


def sweep_pending(ctx: AppContext, older_than_seconds: float) -> int:
    """Refund every charge pending for longer than any paid action runs (its process died); the count."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    query = (
        select(Transaction.id)
        .where(Transaction.kind == CHARGE, Transaction.settled_at.is_(None), Transaction.created_at < cutoff)
        .order_by(Transaction.id)
    )
    with ctx.db.read() as session:
        stale = list(session.scalars(query))
    refunded = sum(refund_abandoned(ctx, charge_id, "the server stopped during it") for charge_id in stale)
    if refunded:
        log.warning("refunded %d charge(s) left pending by a stopped server", refunded)
    return refunded


def drain(ctx: AppContext, grace_seconds: float) -> int:
    """At shutdown: let this process's paid actions finish for `grace_seconds`, then refund those still
    running (their threads die with the process); the number refunded."""
    end = time.monotonic() + grace_seconds
    while time.monotonic() < end:
        with _in_flight_lock:
            if not _in_flight:
                return 0
        time.sleep(0.05)
    with _in_flight_lock:
        running = list(_in_flight)
    return sum(refund_abandoned(ctx, charge_id, "the server was restarting") for charge_id in running)


# --- ledger ---------------------------------------------------------------------------------------------


def entry(row: Transaction) -> LedgerEntry:
    return LedgerEntry(
        id=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        kind=row.kind,
        amount=row.amount,
        balance_after=row.balance_after,
        reason=row.reason,
        ref_type=row.ref_type,
        ref_id=row.ref_id,
        refund_of_id=row.refund_of_id,
        is_demo=row.is_demo,
    )


def ledger(
    ctx: AppContext,
    actor: Actor,
    *,
    user_id: int | None = None,
    kinds: Iterable[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int = 1000,
) -> list[LedgerEntry]:
    """A user's ledger rows, newest first; `start`/`end` are inclusive UTC dates.

    The actor sees their own ledger; admins and the student's counselors may look (audit-logged).
    """
    user_id = actor.id if user_id is None else user_id
    query = select(Transaction).where(Transaction.user_id == user_id)
    if kinds is not None:
        query = query.where(Transaction.kind.in_(list(kinds)))
    if start is not None:
        query = query.where(Transaction.created_at >= datetime.combine(start, datetime.min.time()))
    if end is not None:
        query = query.where(Transaction.created_at < datetime.combine(end + timedelta(days=1), datetime.min.time()))
    with view_session(ctx.db, actor) as session:
        require_student_access(session, actor, user_id, purpose="transactions")
        rows = session.scalars(query.order_by(Transaction.created_at.desc(), Transaction.id.desc()).limit(limit))
        return [entry(row) for row in rows]


def ledger_csv(entries: Iterable[LedgerEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["id", "created_at_utc", "kind", "amount", "balance_after", "reason", "reference", "refund_of", "demo"]
    )
    for e in entries:
        reference = ":".join(part for part in (e.ref_type, e.ref_id) if part)
        writer.writerow(
            csv_row(
                [
                    e.id,
                    e.created_at.isoformat(sep=" ", timespec="seconds"),
                    e.kind,
                    e.amount,
                    e.balance_after,
                    e.reason,
                    reference,
                    e.refund_of_id or "",
                    "yes" if e.is_demo else "",
                ]
            )
        )
    return out.getvalue()
