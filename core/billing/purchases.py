"""Buying credit packs: checkout, the return from the provider, and reconciliation, credited once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import deadline
from core.access import Actor
from core.billing.ledger import PURCHASE, move_credits, once
from core.db import utcnow
from core.errors import AppError, ErrorCode
from core.integrations.payments import LINK_LIFETIME_SECONDS, CheckoutRequest, PaymentStatus
from core.models import Payment

if TYPE_CHECKING:
    from core.config import Settings
    from core.context import AppContext

log = logging.getLogger(__name__)
# A checkout's pay link is offered again while it can still be paid.
OPEN_LINK_WINDOW = timedelta(seconds=LINK_LIFETIME_SECONDS)
OPEN_LINKS_SHOWN = 10


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

    started = once(ctx, work, lambda session: _payment_by_key(session, actor, request_key))
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
        if payment is None:
            raise AppError(ErrorCode.NOT_FOUND, "We could not find that payment.")
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
        row = move_credits(
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

    return once(ctx, work, replay)


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


def settle_webhook(ctx: AppContext, status: PaymentStatus) -> PurchaseResult | None:
    """Record a provider-signed status (the caller checked the signature); None for a checkout we do not know.

    Credits at most once together with the return redirect and `reconcile`: all three go through `_settle`.
    """
    with ctx.db.session() as session:
        payment = session.scalar(
            select(Payment).where(Payment.provider == ctx.payments.name, Payment.provider_ref == status.ref)
        )
        if payment is None or (status.reference is not None and status.reference != payment.idempotency_key):
            log.warning("webhook for an unknown checkout %s", status.ref)
            return None
        payment_id = payment.id
    return _settle(ctx, payment_id, status)


def reconcile(ctx: AppContext, actor: Actor, within: float | None = None) -> list[PurchaseResult]:
    """Ask the provider about every one of the actor's unfinished checkouts; returns those credited now.

    A buyer who paid but whose webhook and return were both lost is credited at the next sign-in or Wallet
    visit. No age cut-off: an expired link is marked so once and is not asked about again.
    A provider that does not answer is skipped (logged): the next visit tries again. With `within`, all the
    questions share one deadline of that many seconds, and those it leaves unasked wait for the next visit.
    """
    provider = ctx.payments
    with ctx.db.read() as session:  # every student's sign-in asks: a read never waits for SQLite's write lock
        pending = session.execute(
            select(Payment.id, Payment.provider_ref)
            .where(
                Payment.user_id == actor.id,
                Payment.status == "created",
                Payment.provider == provider.name,
            )
            .order_by(Payment.created_at.desc())
        ).all()
    credited = []
    with deadline.limit(within) if within is not None else nullcontext() as budget:
        for asked, (payment_id, ref) in enumerate(pending):
            if budget is not None and budget.expired:
                log.warning("reconciling user %s: %d checkouts left for later", actor.id, len(pending) - asked)
                break
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
    with ctx.db.read() as session:
        rows = session.scalars(
            select(Payment)
            .where(
                Payment.user_id == actor.id,
                Payment.status == "created",
                Payment.checkout_url.is_not(None),
                Payment.created_at >= utcnow() - OPEN_LINK_WINDOW,
            )
            .order_by(Payment.created_at.desc())
            .limit(OPEN_LINKS_SHOWN)
        )
        return [_result(row, credited_now=False) for row in rows]
