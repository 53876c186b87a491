"""Payment providers behind one small interface: a demo provider (default) and Razorpay Payment Links.

Why Payment Links: a Streamlit app cannot receive a POST callback, and a Payment Link sends the buyer back
with a GET and a signed query string (notes/external-apis.md §5). Providers never touch the database:
core.billing records each checkout and credits it exactly once. Every failure here becomes
AppError(PAYMENT_ERROR) in plain words; key secrets never appear in a message or a log line.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal, Protocol

import razorpay
import razorpay.errors
import requests

from core import deadline
from core.config import Settings
from core.errors import AppError, ErrorCode

log = logging.getLogger(__name__)

State = Literal["paid", "pending", "failed"]

TIMEOUT_SECONDS = 15
MAX_RESPONSE_BYTES = 1024 * 1024  # a payment link is ~2 KB
# Razorpay wants expire_by at least 15 minutes ahead; two days keeps reconciliation of abandoned links short.
LINK_LIFETIME_SECONDS = 2 * 24 * 3600
# Query parameters Razorpay adds to callback_url after a payment (GET redirect).
RETURN_PARAMS = (
    "razorpay_payment_id",
    "razorpay_payment_link_id",
    "razorpay_payment_link_reference_id",
    "razorpay_payment_link_status",
    "razorpay_signature",
)
UNAVAILABLE = (
    "The payment service is not responding right now. Please try again in a few minutes; you were not charged."
)
REFUSED = "The payment service refused this request. Please try again later; you were not charged."


class KeysRefused(Exception):
    """Razorpay answered 401: the key id or secret is wrong. Its wording varies ("The api key provided is
    invalid", "Authentication failed") and the SDK drops the status, so the session's response hook raises this."""


def _refuse_keys_on_401(response: requests.Response, *_args: object, **_kwargs: object) -> requests.Response:
    if response.status_code == 401:
        raise KeysRefused
    return response


@dataclass(frozen=True)
class CheckoutRequest:
    reference: str  # our idempotency key; Razorpay's reference_id (unique per link, at most 40 characters)
    credits: int
    amount_minor: int
    currency: str
    customer_name: str
    customer_email: str
    return_url: str


@dataclass(frozen=True)
class Checkout:
    ref: str  # the provider's id for this checkout (Payment.provider_ref)
    url: str | None  # where the buyer pays; None when the provider settles at once
    paid: bool = False


@dataclass(frozen=True)
class PaymentStatus:
    ref: str
    state: State
    provider_status: str
    amount_minor: int | None = None  # None when the provider does not report amounts (demo)
    currency: str | None = None
    reference: str | None = None
    payment_id: str | None = None


class PaymentProvider(Protocol):
    name: str
    is_demo: bool

    def create_checkout(self, request: CheckoutRequest) -> Checkout: ...

    def verify_return(self, params: Mapping[str, str]) -> PaymentStatus | None:
        """The verified status behind a return URL's query string; None when the query is not a return."""

    def fetch(self, ref: str) -> PaymentStatus: ...


class DemoPayments:
    """Instant, free checkouts for demos and development; billing marks their ledger rows as demo."""

    name = "demo"
    is_demo = True

    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        return Checkout(ref=f"demo_{request.reference}", url=None, paid=True)

    def verify_return(self, params: Mapping[str, str]) -> PaymentStatus | None:
        return None

    def fetch(self, ref: str) -> PaymentStatus:
        return PaymentStatus(ref=ref, state="paid", provider_status="paid")


class RazorpayPaymentLinks:
    """Razorpay Payment Links through the official SDK (HTTP Basic auth with the key id and secret)."""

    name = "razorpay"
    is_demo = False

    def __init__(
        self, key_id: str, key_secret: str, base_url: str | None = None, timeout: float = TIMEOUT_SECONDS
    ) -> None:
        options = {"base_url": base_url.rstrip("/")} if base_url else {}
        session = deadline.requests_session()
        session.hooks["response"].append(_refuse_keys_on_401)
        self._client = razorpay.Client(session=session, auth=(key_id, key_secret), **options)
        self._client.set_app_details({"title": "InterviewPrep"})
        self._timeout = timeout

    def create_checkout(self, request: CheckoutRequest) -> Checkout:
        body = {
            "amount": request.amount_minor,
            "currency": request.currency,
            "accept_partial": False,
            "reference_id": request.reference,
            "description": f"{request.credits} InterviewPrep credits",
            "customer": {"name": request.customer_name, "email": request.customer_email},
            "notify": {"sms": False, "email": False},
            "reminder_enable": False,
            "expire_by": int(time.time()) + LINK_LIFETIME_SECONDS,
            "notes": {"credits": str(request.credits)},
            "callback_url": request.return_url,
            "callback_method": "get",
        }
        link = self._call(self._client.payment_link.create, body)
        return Checkout(ref=str(link["id"]), url=str(link["short_url"]))

    def verify_return(self, params: Mapping[str, str]) -> PaymentStatus | None:
        if "razorpay_payment_link_id" not in params:
            return None
        if any(not params.get(name) for name in RETURN_PARAMS):
            raise AppError(
                ErrorCode.PAYMENT_ERROR,
                "This payment return link is incomplete, so no credits were "
                "added from it. If you paid, your credits appear here within a few minutes.",
            )
        signed = {
            "payment_link_id": params["razorpay_payment_link_id"],
            "payment_link_reference_id": params["razorpay_payment_link_reference_id"],
            "payment_link_status": params["razorpay_payment_link_status"],
            "razorpay_payment_id": params["razorpay_payment_id"],
            "razorpay_signature": params["razorpay_signature"],
        }
        try:
            valid = self._client.utility.verify_payment_link_signature(signed)
        except razorpay.errors.SignatureVerificationError:
            valid = False
        if not valid:
            log.warning("razorpay return with a bad signature for link %s", signed["payment_link_id"])
            raise AppError(
                ErrorCode.PAYMENT_ERROR,
                "We could not confirm this payment with Razorpay, so no "
                "credits were added. If you paid, your credits appear here within a few minutes.",
            )
        # Belt and braces: the signature proves Razorpay sent the redirect; the API says what is paid now.
        status = self.fetch(signed["payment_link_id"])
        return replace(status, payment_id=status.payment_id or signed["razorpay_payment_id"])

    def fetch(self, ref: str) -> PaymentStatus:
        return link_status(self._call(self._client.payment_link.fetch, ref))

    def _call(self, method: Callable[..., Any], argument: object) -> dict[str, Any]:
        try:
            with deadline.limit(self._timeout, MAX_RESPONSE_BYTES):  # one deadline for the call, not per read
                result = method(argument, timeout=self._timeout)
        except KeysRefused as error:
            log.warning("razorpay refused the API keys (HTTP 401)")
            raise AppError(ErrorCode.PAYMENT_ERROR, REFUSED, keys_refused=True) from error
        except razorpay.errors.BadRequestError as error:
            log.warning("razorpay refused a request: %s", error)
            raise AppError(ErrorCode.PAYMENT_ERROR, REFUSED) from error
        except (
            razorpay.errors.ServerError,
            razorpay.errors.GatewayError,
            requests.RequestException,
            ValueError,
        ) as error:
            log.warning("razorpay unavailable: %s", type(error).__name__)
            raise AppError(ErrorCode.PAYMENT_ERROR, UNAVAILABLE) from error
        if not isinstance(result, dict) or "id" not in result:
            log.warning("razorpay sent an unexpected reply")
            raise AppError(ErrorCode.PAYMENT_ERROR, UNAVAILABLE)
        return result


def link_status(link: Mapping[str, Any]) -> PaymentStatus:
    """A Razorpay payment_link entity (fetched, or inside a webhook) as our PaymentStatus."""
    provider_status = str(link.get("status", ""))
    state: State = (
        "paid" if provider_status == "paid" else "failed" if provider_status in ("expired", "cancelled") else "pending"
    )
    payments = link.get("payments") or []
    return PaymentStatus(
        ref=str(link["id"]),
        state=state,
        provider_status=provider_status,
        amount_minor=int(link.get("amount_paid") or 0),
        currency=link.get("currency"),
        reference=link.get("reference_id"),
        payment_id=payments[-1].get("payment_id") if payments else None,
    )


def webhook_signature_valid(body: bytes, signature: str, secret: str) -> bool:
    """Razorpay's X-Razorpay-Signature: hex HMAC-SHA256 of the raw body with the webhook secret."""
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.strip().encode())


def webhook_link_status(event: object) -> PaymentStatus | None:
    """The payment link's status carried by a `payment_link.*` event; None for any other event.

    Raises ValueError for a body that is not a Razorpay event, or a `payment_link.*` event without its link.
    """
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        raise ValueError("not a Razorpay event")
    if not event["event"].startswith("payment_link."):
        return None
    try:
        link = event["payload"]["payment_link"]["entity"]
        if not isinstance(link.get("id"), str) or not link["id"]:
            raise ValueError("the payment link has no id")
        return link_status(link)
    except (KeyError, TypeError, AttributeError, IndexError) as error:
        raise ValueError("a payment_link event without a payment link entity") from error


def build_payment_provider(settings: Settings) -> PaymentProvider:
    if settings.payment_provider == "razorpay":
        if not (settings.razorpay_key_id and settings.razorpay_key_secret):
            raise AppError(
                ErrorCode.PAYMENT_ERROR,
                "Online payments are not set up yet. An administrator needs "
                "to set RAZORPAY_KEY_ID and RAZORPAY_KEY_SECRET.",
            )
        return RazorpayPaymentLinks(settings.razorpay_key_id, settings.razorpay_key_secret, settings.razorpay_base_url)
    return DemoPayments()
