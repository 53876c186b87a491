"""A fake Razorpay API on 127.0.0.1 speaking the real wire format (razorpay.com/docs/api/payments/payment-links).

Covers what the app uses: POST /v1/payment_links and GET /v1/payment_links/{id}, with HTTP Basic auth
(key_id:key_secret) and Razorpay's error envelope `{"error": {"code", "description", "source", "step", "reason",
"metadata", "field"}}`. `pay(link_id)` plays the buyer: it marks the link paid and returns the query string
Razorpay appends to callback_url, signed as Razorpay signs it. `fail(mode)` makes the next requests fail
(500 SERVER_ERROR, 502 GATEWAY_ERROR, or a hang past the client's time-out). Every request is recorded.

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

ALPHABET = string.ascii_letters + string.digits


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def _error(code: str, description: str, field: str | None = None) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "description": description,
            "source": "NA",
            "step": "NA",
            "reason": "NA",
            "metadata": {},
            "field": field,
        }
    }


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

    def paid_event(self, link_id: str, webhook_secret: str) -> tuple[bytes, str]:
        """The `payment_link.paid` webhook Razorpay POSTs for a paid link: (raw body, X-Razorpay-Signature)."""
        with self._lock:
            link = json.loads(json.dumps(self.links[link_id]))
        payment = link["payments"][-1]
        event = {
            "entity": "event", "account_id": "acc_FakeAccount01", "event": "payment_link.paid",
            "contains": ["payment_link", "order", "payment"],
            "payload": {
                "payment_link": {"entity": link},
                "payment": {"entity": {"id": payment["payment_id"], "entity": "payment", "amount": payment["amount"],
                                       "currency": link["currency"], "status": "captured", "method": "upi"}},
            },
            "created_at": int(time.time()),
        }  # fmt: skip
        body = json.dumps(event).encode()
        return body, webhook_signature(webhook_secret, body)

    def set_status(self, link_id: str, status: str) -> None:
        with self._lock:
            self.links[link_id]["status"] = status

    def posts(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]

    # --- API -----------------------------------------------------------------------------------------

    def authorised(self, header: str | None) -> bool:
        expected = "Basic " + base64.b64encode(f"{self.key_id}:{self.key_secret}".encode()).decode()
        return header is not None and hmac.compare_digest(header, expected)

    def create_link(self, body: Any) -> tuple[int, dict[str, Any]]:
        if not isinstance(body, dict):
            return 400, _error("BAD_REQUEST_ERROR", "The request body is not valid JSON")
        amount = body.get("amount")
        if not isinstance(amount, int) or amount < 100:
            return 400, _error("BAD_REQUEST_ERROR", "The amount must be atleast INR 1.00", "amount")
        if body.get("callback_url") and body.get("callback_method") != "get":
            return 400, _error("BAD_REQUEST_ERROR", "callback_method should be get", "callback_method")
        reference = body.get("reference_id")
        with self._lock:
            if reference and any(link["reference_id"] == reference for link in self.links.values()):
                return 400, _error(
                    "BAD_REQUEST_ERROR", f"Payment Link with reference id {reference} already exists", "reference_id"
                )
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
                return 400, _error("BAD_REQUEST_ERROR", "The id provided does not exist", "id")
            return 200, json.loads(json.dumps(link))


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
            if not fake.authorised(self.headers.get("Authorization")):
                self._reply(401, _error("BAD_REQUEST_ERROR", "Authentication failed"))
                return
            path = self.path.split("?", 1)[0].rstrip("/")
            if method == "POST" and path == "/v1/payment_links":
                self._reply(*fake.create_link(body))
            elif method == "GET" and path.startswith("/v1/payment_links/"):
                self._reply(*fake.fetch_link(path.rsplit("/", 1)[-1]))
            else:
                self._reply(400, _error("BAD_REQUEST_ERROR", "The requested URL was not found on the server."))

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    return Handler
