"""Credit wallets, the ledger, paid actions and credit purchases.

Invariants, held by the database and by this module being the only writer of balances:
- a wallet never goes below zero (CHECK constraint, and a conditional UPDATE that refuses to overdraw);
- every change of balance is exactly one ledger row, written in the same transaction as the change and
  carrying the balance after it, so the balance always equals the ledger sum;
- a charge is refunded at most once (unique refund_of_id) and a payment is credited at most once (payment row
  lock, plus a unique idempotency key on its ledger row).
"""

from __future__ import annotations

import csv
import io
import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, aliased

from core import audit
from core.accounts import Actor, Role, find_user, require_role, require_student_access
from core.db import utcnow
from core.errors import AppError, ErrorCode
from core.integrations.payments import CheckoutRequest, PaymentStatus
from core.models import Cohort, CohortMember, Payment, Transaction, User, Wallet

if TYPE_CHECKING:
    from core.config import Settings
    from core.context import AppContext

log = logging.getLogger(__name__)
T = TypeVar("T")

PURCHASE, GRANT, WELCOME, CHARGE, REFUND = "purchase", "grant", "welcome", "charge", "refund"
KINDS = (PURCHASE, GRANT, WELCOME, CHARGE, REFUND)
MAX_GRANT = 10_000
MAX_ATTEMPTS = 8
# PostgreSQL serialization_failure and deadlock_detected: safe to run the whole transaction again.
RETRY_SQLSTATES = {"40001", "40P01"}
# Abandoned checkouts are re-checked this long (Razorpay links are created to expire sooner).
RECONCILE_WINDOW = timedelta(days=3)
RECONCILE_LIMIT = 10


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


@dataclass(frozen=True)
class PackOffer:
    credits: int
    price: int
    currency: str

    @property
    def amount_minor(self) -> int:
        return self.price * 100  # rupees → paise (every currency we offer has two decimals)

    @property
    def price_per_credit(self) -> float:
        return self.price / self.credits


@dataclass(frozen=True)
class PurchaseResult:
    payment_id: int
    credits: int
    status: str  # created (waiting for the buyer), paid, expired, cancelled
    checkout_url: str | None
    credited_now: bool  # False when this call found the purchase already credited (or not yet paid)
    is_demo: bool

    @property
    def paid(self) -> bool:
        return self.status == "paid"


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


# --- transactions -------------------------------------------------------------------------------


def _retryable(error: OperationalError) -> bool:
    if getattr(error.orig, "sqlstate", None) in RETRY_SQLSTATES:
        return True
    return "database is locked" in str(error.orig)


def _write(ctx: AppContext, work: Callable[[Session], T]) -> T:
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


def _once(ctx: AppContext, work: Callable[[Session], T], replay: Callable[[Session], T | None]) -> T:
    """Run `work` unless `replay` finds it already done; a unique-key race loser returns the winner's result."""

    def attempt(session: Session) -> T:
        done = replay(session)
        return work(session) if done is None else done

    try:
        return _write(ctx, attempt)
    except IntegrityError:
        with ctx.db.session() as session:
            done = replay(session)
        if done is None:
            raise
        return done


def _apply(
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
    )
    session.add(row)
    session.flush()
    return row


def _by_key(session: Session, key: str | None) -> Transaction | None:
    return None if key is None else session.scalar(select(Transaction).where(Transaction.idempotency_key == key))


def _check_credits(credits: int, *, limit: int | None = None) -> None:
    if isinstance(credits, bool) or not isinstance(credits, int) or credits <= 0:
        raise AppError(ErrorCode.INVALID_INPUT, "Enter a whole number of credits above zero.")
    if limit is not None and credits > limit:
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
    with ctx.db.session() as session:
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
) -> Charge:
    """Take `amount` credits from the actor's own wallet, or raise INSUFFICIENT_CREDITS and take nothing."""
    _check_credits(amount)

    def work(session: Session) -> Transaction:
        return _apply(
            session,
            actor.id,
            -amount,
            kind=CHARGE,
            reason=reason,
            actor_id=actor.id,
            ref_type=ref_type,
            ref_id=ref_id,
            idempotency_key=idempotency_key,
        )

    row = _once(ctx, work, lambda session: _by_key(session, idempotency_key))
    return Charge(id=row.id, user_id=row.user_id, amount=-row.amount, balance_after=row.balance_after)


def refund(ctx: AppContext, actor: Actor, charge_id: int, reason: str) -> LedgerEntry:
    """Give a charge back (its owner or an admin); refunding the same charge again returns the first refund."""

    def replay(session: Session) -> Transaction | None:
        return session.scalar(select(Transaction).where(Transaction.refund_of_id == charge_id))

    def work(session: Session) -> Transaction:
        paid = session.get(Transaction, charge_id)
        if paid is None or paid.kind != CHARGE:
            raise AppError(ErrorCode.NOT_FOUND, "We could not find that charge.")
        if paid.user_id != actor.id and not actor.is_admin:
            raise AppError(ErrorCode.PERMISSION_DENIED)
        row = _apply(
            session,
            paid.user_id,
            -paid.amount,
            kind=REFUND,
            reason=reason,
            actor_id=actor.id,
            ref_type=paid.ref_type,
            ref_id=paid.ref_id,
            refund_of_id=paid.id,
        )
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

    return _entry(_once(ctx, work, replay))


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
    """Charge first, then run `action`; if it raises, refund the charge and re-raise.

    So a dead AI provider or Tavus never costs a credit, and nobody gets the work without paying for it.
    A price of 0 (a free feature by configuration) runs the action without a ledger row.
    """
    if price == 0:
        return action(Charge(id=None, user_id=actor.id, amount=0, balance_after=balance(ctx, actor)))
    paid = charge(ctx, actor, price, reason, ref_type=ref_type, ref_id=ref_id)
    try:
        return action(paid)
    except BaseException:  # also an interrupted run: the work did not complete, so the credit goes back
        try:
            refund(ctx, actor, paid.id, f"Refund: {reason} did not complete")
        except Exception:
            log.exception("could not refund charge %s", paid.id)
        raise


# --- ledger ---------------------------------------------------------------------------------------------


def _entry(row: Transaction) -> LedgerEntry:
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
    with ctx.db.session() as session:
        require_student_access(session, actor, user_id, purpose="transactions")
        rows = session.scalars(query.order_by(Transaction.created_at.desc(), Transaction.id.desc()).limit(limit))
        return [_entry(row) for row in rows]


def _cell(text: str | None) -> str:
    """Neutralise spreadsheet formulas in free text (a reason starting with '=' must not run in Excel)."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def ledger_csv(entries: Iterable[LedgerEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["id", "created_at_utc", "kind", "amount", "balance_after", "reason", "reference", "refund_of", "demo"]
    )
    for e in entries:
        reference = ":".join(part for part in (e.ref_type, e.ref_id) if part)
        writer.writerow(
            [
                e.id,
                e.created_at.isoformat(sep=" ", timespec="seconds"),
                e.kind,
                e.amount,
                e.balance_after,
                _cell(e.reason),
                _cell(reference),
                e.refund_of_id or "",
                "yes" if e.is_demo else "",
            ]
        )
    return out.getvalue()


# --- admin grants ------------------------------------------------------------------------------------------


def _check_grant(actor: Actor, credits: int, reason: str) -> str:
    require_role(actor, Role.ADMIN)
    _check_credits(credits, limit=MAX_GRANT)
    reason = reason.strip()
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
        row = _apply(
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

    return _entry(_once(ctx, work, lambda session: _by_key(session, idempotency_key)))


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
            _apply(
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

    return _once(ctx, work, replay)


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
    with ctx.db.session() as session:
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
    with ctx.db.session() as session:
        return [CohortChoice(*row) for row in session.execute(query)]


# --- purchases --------------------------------------------------------------------------------------------


def packs(settings: Settings) -> list[PackOffer]:
    return [
        PackOffer(p.credits, p.price, settings.currency) for p in sorted(settings.credit_packs, key=lambda p: p.credits)
    ]


def return_url(settings: Settings) -> str:
    """Where the provider sends the buyer back: the Wallet page, which verifies and credits."""
    return settings.public_base_url.rstrip("/") + "/wallet"


def _result(payment: Payment, *, credited_now: bool) -> PurchaseResult:
    return PurchaseResult(
        payment_id=payment.id,
        credits=payment.credits,
        status=payment.status,
        checkout_url=payment.checkout_url,
        credited_now=credited_now,
        is_demo=payment.provider == "demo",
    )


def _payment_by_key(session: Session, actor: Actor, key: str) -> PurchaseResult | None:
    payment = session.scalar(select(Payment).where(Payment.idempotency_key == key))
    if payment is None:
        return None
    if payment.user_id != actor.id:
        raise AppError(ErrorCode.PERMISSION_DENIED)
    return _result(payment, credited_now=False)


def buy(ctx: AppContext, actor: Actor, credits: int, request_key: str) -> PurchaseResult:
    """Start buying a pack: the demo provider credits at once; a real one returns a checkout URL to pay at.

    `request_key` comes from the buy button; a double click sends the same key and gets the same purchase.
    """
    offer = next((p for p in packs(ctx.settings) if p.credits == credits), None)
    if offer is None:
        raise AppError(ErrorCode.INVALID_INPUT, "Choose one of the credit packs on offer.")
    if not (0 < len(request_key) <= 40 and request_key.replace("_", "").isalnum()):
        raise AppError(ErrorCode.INVALID_INPUT, "This purchase request is not valid. Reload the page and try again.")
    with ctx.db.session() as session:
        done = _payment_by_key(session, actor, request_key)
    if done is not None:
        return done
    provider = ctx.payments
    checkout = provider.create_checkout(
        CheckoutRequest(
            reference=request_key,
            credits=offer.credits,
            amount_minor=offer.amount_minor,
            currency=offer.currency,
            customer_name=actor.name,
            customer_email=actor.email,
            return_url=return_url(ctx.settings),
        )
    )

    def work(session: Session) -> PurchaseResult:
        payment = Payment(
            user_id=actor.id,
            provider=provider.name,
            provider_ref=checkout.ref,
            credits=offer.credits,
            amount_minor=offer.amount_minor,
            currency=offer.currency,
            status="created",
            checkout_url=checkout.url,
            idempotency_key=request_key,
        )
        session.add(payment)
        session.flush()
        return _result(payment, credited_now=False)

    started = _once(ctx, work, lambda session: _payment_by_key(session, actor, request_key))
    if checkout.paid:
        return _settle(ctx, started.payment_id, provider.fetch(checkout.ref))
    return started


def _settle(ctx: AppContext, payment_id: int, status: PaymentStatus) -> PurchaseResult:
    """Record what the provider says about a payment; credit it if paid and not credited before."""

    def replay(session: Session) -> PurchaseResult | None:
        payment = session.get(Payment, payment_id)
        return _result(payment, credited_now=False) if payment is not None and payment.status == "paid" else None

    def work(session: Session) -> PurchaseResult:
        payment = session.scalar(select(Payment).where(Payment.id == payment_id).with_for_update())
        if payment.status == "paid":  # another tab or a second visit of the return URL got here first
            return _result(payment, credited_now=False)
        if status.state != "paid":
            if status.state == "failed":
                payment.status, payment.updated_at = status.provider_status, utcnow()
            return _result(payment, credited_now=False)
        if (status.amount_minor is not None and status.amount_minor != payment.amount_minor) or (
            status.currency is not None and status.currency != payment.currency
        ):
            log.error(
                "payment %s: provider reports %s %s, expected %s %s",
                payment.id,
                status.amount_minor,
                status.currency,
                payment.amount_minor,
                payment.currency,
            )
            raise AppError(
                ErrorCode.PAYMENT_ERROR,
                "The amount paid does not match this credit pack, so no "
                "credits were added. Please contact support with the payment reference.",
            )
        row = _apply(
            session,
            payment.user_id,
            payment.credits,
            kind=PURCHASE,
            reason=f"Bought {payment.credits} credits",
            actor_id=payment.user_id,
            ref_type="payment",
            ref_id=payment.id,
            idempotency_key=f"payment:{payment.provider}:{payment.provider_ref}",
            is_demo=payment.provider == "demo",
        )
        payment.status, payment.transaction_id, payment.updated_at = "paid", row.id, utcnow()
        return _result(payment, credited_now=True)

    return _once(ctx, work, replay)


def complete_return(ctx: AppContext, actor: Actor, params: Mapping[str, str]) -> PurchaseResult | None:
    """Handle the query string of a return from the provider; None when it is not a payment return.

    Verified with the provider (signature and a fetch) and credited at most once, however often it is opened.
    """
    provider = ctx.payments
    status = provider.verify_return(params)
    if status is None:
        return None
    with ctx.db.session() as session:
        payment = session.scalar(
            select(Payment).where(Payment.provider == provider.name, Payment.provider_ref == status.ref)
        )
        if payment is None or (status.reference is not None and status.reference != payment.idempotency_key):
            raise AppError(
                ErrorCode.PAYMENT_ERROR,
                "We do not recognise this payment, so no credits were added. "
                "If you paid, please contact support with the payment reference.",
            )
        if payment.user_id != actor.id:
            raise AppError(
                ErrorCode.PERMISSION_DENIED,
                "This payment was started from another account. Sign in with that account to see its credits.",
            )
        payment_id = payment.id
    return _settle(ctx, payment_id, status)


def reconcile(ctx: AppContext, actor: Actor) -> list[PurchaseResult]:
    """Ask the provider about the actor's recent unfinished checkouts; returns those credited now.

    The app has no webhook, so a buyer who paid but never came back is credited the next time the wallet opens.
    A provider that does not answer is skipped quietly: the next visit tries again.
    """
    provider = ctx.payments
    with ctx.db.session() as session:
        pending = session.execute(
            select(Payment.id, Payment.provider_ref)
            .where(
                Payment.user_id == actor.id,
                Payment.status == "created",
                Payment.provider == provider.name,
                Payment.created_at >= utcnow() - RECONCILE_WINDOW,
            )
            .order_by(Payment.created_at.desc())
            .limit(RECONCILE_LIMIT)
        ).all()
    credited = []
    for payment_id, ref in pending:
        try:
            result = _settle(ctx, payment_id, provider.fetch(ref))
        except AppError as error:
            log.warning("could not reconcile payment %s: %s", payment_id, error.code)
            continue
        if result.credited_now:
            credited.append(result)
    return credited


def pending_checkouts(ctx: AppContext, actor: Actor) -> list[PurchaseResult]:
    """The actor's recent checkouts still waiting for payment (to offer the pay link again)."""
    with ctx.db.session() as session:
        rows = session.scalars(
            select(Payment)
            .where(
                Payment.user_id == actor.id,
                Payment.status == "created",
                Payment.checkout_url.is_not(None),
                Payment.created_at >= utcnow() - RECONCILE_WINDOW,
            )
            .order_by(Payment.created_at.desc())
            .limit(RECONCILE_LIMIT)
        )
        return [_result(row, credited_now=False) for row in rows]
