"""POST /webhooks/razorpay against the running server, on PostgreSQL and on SQLite: signed `payment_link.paid`
events credit once, together with the return redirect; bad signatures, unknown events and malformed bodies.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select

from core.access import Actor
from core.billing import ledger, purchases
from core.context import AppContext
from core.models import Payment, Transaction
from tests.api.conftest import WEBHOOK_SECRET
from tests.conftest import throwaway_postgres
from tests.e2e.harness import AppServer
from tests.fakes.razorpay_server import FakeRazorpay, webhook_signature


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def api_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Each test runs against a server on PostgreSQL and one on SQLite (the race is the point)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('webhooks-db') / 'app.db'}"
        return
    request.getfixturevalue("postgres_url")  # skips (or fails in CI) without a PostgreSQL server
    with throwaway_postgres("ip_webhooks") as url:
        yield url


Post = Callable[..., requests.Response]


@pytest.fixture
def post(server: AppServer) -> Post:
    """post(body, signature=<right one>) -> the server's answer to Razorpay's POST."""

    def call(body: bytes, signature: str | None = None) -> requests.Response:
        headers = {"Content-Type": "application/json", "X-Razorpay-Event-Id": uuid.uuid4().hex}
        headers["X-Razorpay-Signature"] = webhook_signature(WEBHOOK_SECRET, body) if signature is None else signature
        return requests.post(server.url + "/webhooks/razorpay", data=body, headers=headers, timeout=30)

    return call


@pytest.fixture
def paid_link(server_ctx: AppContext, razorpay_fake: FakeRazorpay) -> Callable[[Actor], str]:
    """paid_link(student) -> the id of a 10-credit link the student started from the Wallet and has paid."""

    def make(student: Actor) -> str:
        started = purchases.buy(server_ctx, student, 10, uuid.uuid4().hex)
        with server_ctx.db.session() as session:
            link_id = session.scalar(select(Payment.provider_ref).where(Payment.id == started.payment_id))
        assert link_id is not None
        razorpay_fake.pay(link_id)
        return link_id

    return make


def purchases_of(ctx: AppContext, student: Actor) -> list[Transaction]:
    with ctx.db.session() as session:
        return list(session.scalars(select(Transaction).where(Transaction.user_id == student.id,
                                                              Transaction.kind == "purchase")))  # fmt: skip


def test_a_signed_paid_event_credits_once(server_ctx, razorpay_fake, new_user, paid_link, post):
    student = new_user()
    body, _ = razorpay_fake.link_event(paid_link(student), WEBHOOK_SECRET)
    response = post(body)
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True, "handled": True, "credited_now": True}
    assert ledger.balance(server_ctx, student) == 20
    [row] = purchases_of(server_ctx, student)
    assert (row.amount, row.is_demo) == (10, False)


def test_the_signature_is_checked_on_the_raw_body(server_ctx, razorpay_fake, new_user, paid_link, post):
    """Razorpay signs the bytes it sends; the same JSON spaced differently (and with non-ASCII text) has its own
    signature, and a signature over a re-serialised copy does not fit the bytes sent."""
    student = new_user()
    event = json.loads(razorpay_fake.link_event(paid_link(student), WEBHOOK_SECRET)[0])
    event["payload"]["payment_link"]["entity"]["description"] = "10 crédits — ₹100"
    spaced = json.dumps(event, indent=3, ensure_ascii=False).encode()
    compact_signature = webhook_signature(WEBHOOK_SECRET, json.dumps(event).encode())
    assert post(spaced, compact_signature).status_code == 400
    assert ledger.balance(server_ctx, student) == 10
    assert post(spaced).json()["credited_now"] is True
    assert ledger.balance(server_ctx, student) == 20


WRONG_SIGNATURES: dict[str, Callable[[bytes], str]] = {
    "missing": lambda _body: "",
    "zeros": lambda _body: "0" * 64,
    "garbage": lambda _body: "not-hex ü",
    "other-secret": lambda body: webhook_signature("another-secret", body),
    "upper-case": lambda body: webhook_signature(WEBHOOK_SECRET, body).upper(),
}


@pytest.mark.parametrize("wrong", WRONG_SIGNATURES.values(), ids=WRONG_SIGNATURES.keys())
def test_a_wrong_signature_is_a_400_and_credits_nothing(server_ctx, razorpay_fake, new_user, paid_link, post, wrong):
    student = new_user()
    body, right = razorpay_fake.link_event(paid_link(student), WEBHOOK_SECRET)
    response = post(body, wrong(body))
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_SIGNATURE"
    assert post(body.replace(b'"paid"', b'"paid" ', 1), right).status_code == 400  # one byte changed
    assert ledger.balance(server_ctx, student) == 10
    assert purchases_of(server_ctx, student) == []


def test_a_duplicated_and_a_replayed_event_credit_once(server_ctx, razorpay_fake, new_user, paid_link, post):
    """Razorpay delivers at least once (retries, duplicates); an attacker may replay a captured request."""
    student = new_user()
    body, signature = razorpay_fake.link_event(paid_link(student), WEBHOOK_SECRET)
    with ThreadPoolExecutor(max_workers=2) as pool:  # the duplicate arrives while the first is handled
        answers = list(pool.map(lambda _: post(body, signature), range(2)))
    assert [a.status_code for a in answers] == [200, 200]
    assert sorted(a.json()["credited_now"] for a in answers) == [False, True]
    purchases.reconcile(server_ctx, student)  # later: the Wallet page asked Razorpay too
    replayed = post(body, signature)
    assert replayed.status_code == 200 and replayed.json()["credited_now"] is False
    assert ledger.balance(server_ctx, student) == 20
    assert len(purchases_of(server_ctx, student)) == 1


def test_other_events_and_unknown_links_are_acknowledged(server_ctx, razorpay_fake, new_user, paid_link, post):
    student = new_user()
    paid_link(student)
    captured = {"entity": "event", "event": "payment.captured", "payload": {"payment": {"entity": {"id": "pay_1"}}}}
    for event in (captured, {**captured, "event": "order.paid"}):
        response = post(json.dumps(event).encode())
        assert (response.status_code, response.json()) == (200, {"success": True, "handled": False})
    unknown = razorpay_fake.link_event(paid_link(new_user()), WEBHOOK_SECRET)[0].replace(b'"plink_', b'"plink_x', 1)
    assert post(unknown).json() == {"success": True, "handled": False, "credited_now": False}
    assert ledger.balance(server_ctx, student) == 10


def test_an_expired_link_is_marked_so_and_credits_nothing(server_ctx, razorpay_fake, new_user, post):
    student = new_user()
    started = purchases.buy(server_ctx, student, 10, uuid.uuid4().hex)
    with server_ctx.db.session() as session:
        link_id = session.scalar(select(Payment.provider_ref).where(Payment.id == started.payment_id))
    razorpay_fake.set_status(link_id, "expired")
    body, signature = razorpay_fake.link_event(link_id, WEBHOOK_SECRET)
    assert json.loads(body)["event"] == "payment_link.expired"
    assert post(body, signature).json() == {"success": True, "handled": True, "credited_now": False}
    with server_ctx.db.session() as session:
        assert session.get(Payment, started.payment_id).status == "expired"
    assert purchases.pending_checkouts(server_ctx, student) == []
    assert ledger.balance(server_ctx, student) == 10


@pytest.mark.parametrize(
    "body",
    [b"not json", b"\xff\xfe{}", b"[1, 2]", b'{"payload": {}}', b'{"event": "payment_link.paid"}',
     b'{"event": "payment_link.paid", "payload": []}',
     b'{"event": "payment_link.paid", "payload": {"payment_link": {"entity": {"id": ""}}}}',
     b'{"event": "payment_link.paid", "payload": {"payment_link": {"entity": {"id": "plink_1", "amount_paid": "x"}}}}',
     b'{"event": "payment_link.paid", "payload": {"payment_link": {"entity": {"id": "plink_1", "payments": [1]}}}}'],
)  # fmt: skip
def test_a_signed_malformed_body_is_a_400_without_a_traceback(server, post, body):
    logged = len(server.log_tail(10_000_000))
    response = post(body)
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "INVALID_INPUT"
    assert "Traceback" not in server.log_tail(10_000_000)[logged:]


def test_a_webhook_racing_the_return_redirect_credits_exactly_once(server_ctx, razorpay_fake, new_user, post):
    """Razorpay POSTs the webhook while the browser's redirect lands on the Wallet page (another process on the
    same database): four of each at once, one purchase."""
    student = new_user()
    started = purchases.buy(server_ctx, student, 25, uuid.uuid4().hex)
    with server_ctx.db.session() as session:
        link_id = session.scalar(select(Payment.provider_ref).where(Payment.id == started.payment_id))
    params = razorpay_fake.pay(link_id)
    body, signature = razorpay_fake.link_event(link_id, WEBHOOK_SECRET)
    gate = threading.Barrier(8)

    def webhook(_i: int) -> bool:
        gate.wait()
        response = post(body, signature)
        assert response.status_code == 200, response.text
        return bool(response.json()["credited_now"])

    def redirect(_i: int) -> bool:
        gate.wait()
        result = purchases.complete_return(server_ctx, student, params)
        assert result is not None
        return result.credited_now

    with ThreadPoolExecutor(max_workers=8) as pool:
        credited = [f.result() for f in [*(pool.submit(webhook, i) for i in range(4)),
                                         *(pool.submit(redirect, i) for i in range(4))]]  # fmt: skip
    assert credited.count(True) == 1
    assert ledger.balance(server_ctx, student) == 35
    [row] = purchases_of(server_ctx, student)
    assert (row.amount, row.balance_after) == (25, 35)
