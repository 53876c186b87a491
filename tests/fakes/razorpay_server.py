"""A fake Razorpay API on 127.0.0.1 speaking the real wire format (razorpay.com/docs/api/payments/payment-links).

Covers what the app uses: POST /v1/payment_links and GET /v1/payment_links/{id}, with HTTP Basic auth
(key_id:key_secret) and Razorpay's error envelope `{"error": {"code", "description", "source", "step", "reason",
"metadata", "field"}}` (no `field` where Razorpay's documented answer has none, as on a 401).
As strict as the real API on what we send: an unknown key id is a 401 "The api key provided is invalid" and a
wrong secret a 401 "Authentication failed"; a link is refused (400, BAD_REQUEST_ERROR, reason
input_validation_failed or extra_field_sent) for an amount below 100 paise or not an integer, a field Payment
Links do not take ("<field> is/are not required and should not be sent"), a callback_url without
callback_method "get", an expire_by less than 15 minutes ahead, or a reference_id already used. A missing
currency is not an error: Payment Links default to INR (razorpay.com/docs/api/payments/payment-links).
Razorpay's documentation gives no text for a missing amount or a wrong callback_method: those two are ours.
`pay(link_id)` plays the buyer: it marks the link paid and returns the query string Razorpay appends to
callback_url, signed as Razorpay signs it; a browser does the same at the link's short_url (GET shows a pay
button, POST pays and redirects to callback_url). `fail(mode)` makes the next requests fail (500
SERVER_ERROR, 502 GATEWAY_ERROR, or a hang past the client's time-out). Every request is recorded.

    with FakeRazorpay() as fake:
        client = razorpay.Client(auth=(fake.key_id, fake.key_secret), base_url=fake.url)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import secrets
import string
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

ALPHABET = string.ascii_letters + string.digits


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def _error(code: str, description: str, *, source: str = "NA", step: str = "NA", reason: str = "NA",
           field: str | None = None) -> dict[str, Any]:  # fmt: skip
    error: dict[str, Any] = {"code": code, "description": description, "source": source, "step": step,
                             "reason": reason, "metadata": {}}  # fmt: skip
    if field is not None:
        error["field"] = field
    return {"error": error}


def _invalid(description: str, field: str, reason: str = "input_validation_failed") -> tuple[int, dict[str, Any]]:
    """A 400 for a request Razorpay refuses on its content, as its documented answers put it."""
    return 400, _error("BAD_REQUEST_ERROR", description, source="business", step="payment_initiation",
                       reason=reason, field=field)  # fmt: skip


INVALID_KEY = "The api key provided is invalid"
WRONG_SECRET = "Authentication failed"
# What POST /v1/payment_links takes (Standard links); anything else is refused as extra_field_sent.
LINK_FIELDS = {"amount", "currency", "accept_partial", "first_min_partial_amount", "description", "customer",
               "expire_by", "reference_id", "notify", "reminder_enable", "notes", "callback_url",
               "callback_method", "upi_link", "options"}  # fmt: skip
CUSTOMER_FIELDS = {"name", "email", "contact"}
NOTIFY_FIELDS = {"sms", "email", "whatsapp"}
MIN_EXPIRY_SECONDS = 15 * 60


ERROR_MODES: dict[str, tuple[int, dict[str, Any]]] = {
    "500": (500, _error("SERVER_ERROR", "We are facing some trouble completing your request at the moment.")),
    "502": (502, _error("GATEWAY_ERROR", "Gateway is not responding")),
}


def sign(key_secret: str, link_id: str, reference_id: str, status: str, payment_id: str) -> str:
    """Razorpay's Payment Link redirect signature."""
    message = f"{link_id}|{reference_id}|{status}|{payment_id}".encode()
    return hmac.new(key_secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_signature(webhook_secret: str, body: bytes) -> str:
    """Razorpay's X-Razorpay-Signature: hex HMAC-SHA256 of the raw body with the webhook secret."""
    return hmac.new(webhook_secret.encode(), body, hashlib.sha256).hexdigest()


class FakeRazorpay:
    def __init__(
        self,
        key_id: str = "rzp_test_FakeKey123",
        key_secret: str = "fake-secret-abc",  # noqa: S107 - a test key
        hang_seconds: float = 5.0,
    ) -> None:
        self.key_id, self.key_secret, self.hang_seconds = key_id, key_secret, hang_seconds
        self.requests: list[Recorded] = []
        self.links: dict[str, dict[str, Any]] = {}
        self._mode: str | None = None
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-razorpay", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeRazorpay:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    # --- scripting ---------------------------------------------------------------------------------

    def fail(self, mode: str | None) -> None:
        """Fail every request with `mode` ("500", "502", "hang"); fail(None) heals the server."""
        self._mode = mode

    def pay(self, link_id: str) -> dict[str, str]:
        """The buyer pays in full; returns the query parameters of Razorpay's GET redirect to callback_url."""
        payment_id = "pay_" + "".join(secrets.choice(ALPHABET) for _ in range(14))
        with self._lock:
            link = self.links[link_id]
            now = int(time.time())
            link.update(status="paid", amount_paid=link["amount"], updated_at=now)
            link["payments"].append(
                {
                    "amount": link["amount"],
                    "created_at": now,
                    "method": "upi",
                    "payment_id": payment_id,
                    "plink_id": link_id,
                    "status": "captured",
                    "updated_at": now,
                }
            )
        return {
            "razorpay_payment_id": payment_id,
            "razorpay_payment_link_id": link_id,
            "razorpay_payment_link_reference_id": link["reference_id"],
            "razorpay_payment_link_status": "paid",
            "razorpay_signature": sign(self.key_secret, link_id, link["reference_id"], "paid", payment_id),
        }

    def link_event(self, link_id: str, webhook_secret: str) -> tuple[bytes, str]:
        """The webhook Razorpay POSTs for the link's present status (`payment_link.paid`, `.expired`,
        `.cancelled`, ...): (raw body, X-Razorpay-Signature)."""
        with self._lock:
            link = json.loads(json.dumps(self.links[link_id]))
        payload: dict[str, Any] = {"payment_link": {"entity": link}}
        if link["payments"]:
            payment = link["payments"][-1]
            payload["payment"] = {"entity": {"id": payment["payment_id"], "entity": "payment",
                                             "amount": payment["amount"], "currency": link["currency"],
                                             "status": "captured", "method": "upi"}}  # fmt: skip
        event = {"entity": "event", "account_id": "acc_FakeAccount01", "event": f"payment_link.{link['status']}",
                 "contains": list(payload), "payload": payload, "created_at": int(time.time())}  # fmt: skip
        body = json.dumps(event).encode()
        return body, webhook_signature(webhook_secret, body)

    def set_status(self, link_id: str, status: str) -> None:
        with self._lock:
            self.links[link_id]["status"] = status

    def posts(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]

    # --- API -----------------------------------------------------------------------------------------

    def refusal(self, header: str | None) -> str | None:
        """Razorpay's 401 wording for these Basic credentials, or None when they are right."""
        try:
            key_id, _, secret = base64.b64decode(header.removeprefix("Basic "), validate=True).decode().partition(":")
        except (AttributeError, ValueError):
            return INVALID_KEY
        if not hmac.compare_digest(key_id, self.key_id):
            return INVALID_KEY
        return None if hmac.compare_digest(secret, self.key_secret) else WRONG_SECRET

    def create_link(self, body: Any) -> tuple[int, dict[str, Any]]:
        if not isinstance(body, dict):
            return 400, _error("BAD_REQUEST_ERROR", "The request body is not valid JSON")
        problem = _link_problem(body)
        if problem is not None:
            return problem
        amount, reference = body["amount"], body.get("reference_id")
        with self._lock:
            if reference and any(link["reference_id"] == reference for link in self.links.values()):
                return _invalid(f"Payment Link with reference id {reference} already exists", "reference_id")
            link_id = f"plink_{next(self._counter):04d}" + "".join(secrets.choice(ALPHABET) for _ in range(10))
            now = int(time.time())
            link = {
                "accept_partial": bool(body.get("accept_partial", False)),
                "amount": amount,
                "amount_paid": 0,
                "callback_method": body.get("callback_method", ""),
                "callback_url": body.get("callback_url", ""),
                "cancelled_at": 0,
                "created_at": now,
                "currency": body.get("currency", "INR"),
                "customer": body.get("customer", {}),
                "description": body.get("description", ""),
                "expire_by": body.get("expire_by", 0),
                "expired_at": 0,
                "first_min_partial_amount": 0,
                "id": link_id,
                "notes": body.get("notes") or None,
                "notify": body.get("notify", {}),
                "payments": [],
                "reference_id": reference or "",
                "reminder_enable": body.get("reminder_enable", True),
                "reminders": [],
                "short_url": f"{self.url}/i/{link_id[6:]}",
                "status": "created",
                "updated_at": now,
                "upi_link": False,
                "user_id": "",
            }
            self.links[link_id] = link
            return 200, json.loads(json.dumps(link))

    def fetch_link(self, link_id: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            link = self.links.get(link_id)
            if link is None:
                return _invalid("The id provided does not exist", "id")
            return 200, json.loads(json.dumps(link))

    def link_by_short_url(self, path: str) -> dict[str, Any] | None:
        with self._lock:
            return next((link for link in self.links.values() if link["short_url"].endswith(path)), None)


def _link_problem(body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
    """Why Razorpay would refuse this Payment Link body, as it answers; None when it would accept it."""
    for name, allowed, where in ((None, LINK_FIELDS, body), ("customer", CUSTOMER_FIELDS, body.get("customer")),
                                 ("notify", NOTIFY_FIELDS, body.get("notify"))):  # fmt: skip
        extra = sorted(set(where) - allowed) if isinstance(where, dict) else []
        if extra:
            field = f"{name}.{extra[0]}" if name else extra[0]
            return _invalid(f"{field} is/are not required and should not be sent", field, "extra_field_sent")
    amount = body.get("amount")
    if amount is None:
        return _invalid("The amount field is required.", "amount")
    if not isinstance(amount, int) or isinstance(amount, bool):
        return _invalid("The amount must be an integer.", "amount")
    if amount < 100:
        return _invalid("The amount must be at least INR 1.00", "amount")
    if body.get("callback_url") and body.get("callback_method") != "get":
        return _invalid("callback_method should be get when callback_url is passed", "callback_method")
    expire_by = body.get("expire_by")
    if expire_by is not None and (not isinstance(expire_by, int) or expire_by < time.time() + MIN_EXPIRY_SECONDS):
        return _invalid("expire_by: timestamp must be atleast 15 minutes in future", "expire_by")
    return None


def _handler_for(fake: FakeRazorpay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _handle(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode(errors="replace")
            fake.requests.append(Recorded(method, self.path, dict(self.headers), body))
            if fake._mode == "hang":
                fake._release.wait(fake.hang_seconds)
                return
            if fake._mode in ERROR_MODES:
                self._reply(*ERROR_MODES[fake._mode])
                return
            path = self.path.split("?", 1)[0].rstrip("/")
            if path.startswith("/i/"):
                self._hosted_page(method, path)
                return
            refusal = fake.refusal(self.headers.get("Authorization"))
            if refusal is not None:
                self._reply(401, _error("BAD_REQUEST_ERROR", refusal))
                return
            if method == "POST" and path == "/v1/payment_links":
                self._reply(*fake.create_link(body))
            elif method == "GET" and path.startswith("/v1/payment_links/"):
                self._reply(*fake.fetch_link(path.rsplit("/", 1)[-1]))
            else:
                self._reply(400, _error("BAD_REQUEST_ERROR", "The requested URL was not found on the server."))

        def _hosted_page(self, method: str, path: str) -> None:
            """The link's hosted page: GET shows what is due and a Pay button; POST pays and redirects the browser
            to callback_url with the signed query string, as Razorpay does after a payment."""
            link = fake.link_by_short_url(path)
            if link is None or link["status"] != "created":
                self.send_response(404)
                self.end_headers()
                return
            if method == "POST":
                query = urlencode(fake.pay(link["id"]))
                self.send_response(303)
                self.send_header("Location", f"{link['callback_url']}?{query}")
                self.end_headers()
                return
            page = (f"<!doctype html><title>Razorpay (fake)</title><h1>Pay ₹{link['amount'] / 100:.2f}</h1>"
                    f"<form method='post' action='{path}'><button type='submit'>Pay now</button></form>")  # fmt: skip
            payload = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler
