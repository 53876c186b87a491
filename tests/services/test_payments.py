"""Credit purchases: the demo provider, and Razorpay Payment Links through the real SDK against a fake server."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import razorpay
import requests
from sqlalchemy import select, update

from core.billing import ledger, purchases
from core.context import AppContext
from core.db import utcnow
from core.errors import AppError, ErrorCode
from core.integrations.payments import DemoPayments, RazorpayPaymentLinks, build_payment_provider
from core.models import Payment, Transaction
from tests.fakes.razorpay_server import FakeRazorpay


def key() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def fake() -> Iterator[FakeRazorpay]:
    with FakeRazorpay(hang_seconds=3) as server:
        yield server


@pytest.fixture
def rzp_ctx(ctx: AppContext, fake: FakeRazorpay) -> AppContext:
    settings = ctx.settings.model_copy(
        update={
            "payment_provider": "razorpay",
            "razorpay_key_id": fake.key_id,
            "razorpay_key_secret": fake.key_secret,
            "razorpay_base_url": fake.url,
            "public_base_url": "https://prep.example.in/",
        }
    )
    return AppContext(settings, ctx.db)


def purchase_rows(ctx: AppContext, user_id: int) -> list[Transaction]:
    with ctx.db.session() as session:
        return list(
            session.scalars(select(Transaction).where(Transaction.user_id == user_id, Transaction.kind == "purchase"))
        )


# --- demo ----------------------------------------------------------------------------------------------------


def test_provider_is_chosen_from_settings(ctx, fake, rzp_ctx):
    assert isinstance(ctx.payments, DemoPayments)
    assert isinstance(rzp_ctx.payments, RazorpayPaymentLinks)
    with pytest.raises(AppError, match="RAZORPAY_KEY_ID"):
        build_payment_provider(ctx.settings.model_copy(update={"payment_provider": "razorpay"}))


def test_packs_show_price_per_credit_cheapest_last(ctx):
    offers = purchases.packs(ctx.settings)
    assert [(o.credits, o.price, o.price_per_credit) for o in offers] == [
        (10, 100, 10.0),
        (25, 225, 9.0),
        (50, 400, 8.0),
        (100, 750, 7.5),
    ]
    assert offers[0].amount_minor == 10_000 and offers[0].currency == "INR"


def test_demo_purchase_credits_at_once_marked_demo(ctx, make_user):
    student = make_user()
    result = purchases.buy(ctx, student, 25, key())
    assert (result.paid, result.credited_now, result.is_demo, result.checkout_url) == (True, True, True, None)
    assert ledger.balance(ctx, student) == 35
    [row] = purchase_rows(ctx, student.id)
    assert (row.amount, row.balance_after, row.is_demo, row.ref_type) == (25, 35, True, "payment")


def test_double_clicked_buy_purchases_once(ctx, make_user):
    student = make_user()
    request = key()
    first = purchases.buy(ctx, student, 10, request)
    second = purchases.buy(ctx, student, 10, request)
    assert first.payment_id == second.payment_id
    assert (first.credited_now, second.credited_now) == (True, False)
    assert ledger.balance(ctx, student) == 20


def test_racing_buy_requests_with_one_key_purchase_once(ctx, make_user):
    student = make_user()
    request = key()
    gate = threading.Barrier(6)

    def buy(_i: int) -> bool:
        gate.wait()
        return purchases.buy(ctx, student, 10, request).credited_now

    with ThreadPoolExecutor(max_workers=6) as pool:
        credited = list(pool.map(buy, range(6)))
    assert credited.count(True) == 1
    assert ledger.balance(ctx, student) == 20


def test_another_user_cannot_replay_someone_elses_request_key(ctx, make_user):
    ana, ben = make_user(), make_user()
    request = key()
    purchases.buy(ctx, ana, 10, request)
    with pytest.raises(AppError) as error:
        purchases.buy(ctx, ben, 10, request)
    assert error.value.code == ErrorCode.PERMISSION_DENIED


@pytest.mark.parametrize(("credits", "request_key"), [(11, "abc"), (10, ""), (10, "x" * 41), (10, "a b")])
def test_buy_rejects_unknown_packs_and_bad_keys(ctx, make_user, credits, request_key):
    student = make_user()
    with pytest.raises(AppError) as error:
        purchases.buy(ctx, student, credits, request_key)
    assert error.value.code == ErrorCode.INVALID_INPUT
    assert ledger.balance(ctx, student) == 10


# --- Razorpay Payment Links ------------------------------------------------------------------------------------


def test_sdk_talks_to_the_fake_with_basic_auth(fake):
    client = razorpay.Client(auth=(fake.key_id, "wrong"), base_url=fake.url)
    with pytest.raises(razorpay.errors.BadRequestError, match="Authentication failed"):
        client.payment_link.fetch("plink_x")
    client = razorpay.Client(auth=(fake.key_id, fake.key_secret), base_url=fake.url)
    with pytest.raises(razorpay.errors.BadRequestError, match="does not exist"):
        client.payment_link.fetch("plink_x")


def test_buy_creates_a_payment_link_and_credits_nothing_yet(rzp_ctx, fake, make_user):
    student = make_user(name="Ana Lopez")
    request = key()
    result = purchases.buy(rzp_ctx, student, 25, request)
    assert (result.status, result.credited_now, result.is_demo) == ("created", False, False)
    [post] = fake.posts()
    assert post.path == "/v1/payment_links"
    body = post.body
    assert (body["amount"], body["currency"], body["reference_id"], body["accept_partial"]) == (
        22_500,
        "INR",
        request,
        False,
    )
    assert (body["callback_url"], body["callback_method"]) == ("https://prep.example.in/wallet", "get")
    assert body["customer"] == {"name": "Ana Lopez", "email": student.email}
    assert result.checkout_url == fake.links[next(iter(fake.links))]["short_url"]
    assert ledger.balance(rzp_ctx, student) == 10
    assert [p.checkout_url for p in purchases.pending_checkouts(rzp_ctx, student)] == [result.checkout_url]


def test_double_clicked_buy_creates_one_link(rzp_ctx, fake, make_user):
    student = make_user()
    request = key()
    first, second = purchases.buy(rzp_ctx, student, 10, request), purchases.buy(rzp_ctx, student, 10, request)
    assert first == second
    assert len(fake.posts()) == 1


def test_return_after_paying_credits_exactly_once(rzp_ctx, fake, make_user):
    student = make_user()
    started = purchases.buy(rzp_ctx, student, 50, key())
    [link_id] = fake.links
    params = fake.pay(link_id)
    first = purchases.complete_return(rzp_ctx, student, params)
    again = purchases.complete_return(rzp_ctx, student, params)  # the return URL opened a second time
    assert (first.payment_id, first.paid, first.credited_now) == (started.payment_id, True, True)
    assert (again.paid, again.credited_now) == (True, False)
    assert ledger.balance(rzp_ctx, student) == 60
    [row] = purchase_rows(rzp_ctx, student.id)
    assert (row.amount, row.is_demo, row.idempotency_key) == (50, False, f"payment:razorpay:{link_id}")
    assert purchases.reconcile(rzp_ctx, student) == []
    assert purchases.pending_checkouts(rzp_ctx, student) == []


def test_two_tabs_racing_on_the_return_url_credit_once(rzp_ctx, fake, make_user):
    student = make_user()
    purchases.buy(rzp_ctx, student, 10, key())
    params = fake.pay(next(iter(fake.links)))
    gate = threading.Barrier(4)

    def open_tab(_i: int) -> bool:
        gate.wait()
        return purchases.complete_return(rzp_ctx, student, params).credited_now

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(open_tab, range(4))) == [False, False, False, True]
    assert ledger.balance(rzp_ctx, student) == 20


def test_a_query_string_that_is_not_a_return_is_ignored(rzp_ctx, make_user):
    assert purchases.complete_return(rzp_ctx, make_user(), {"tab": "history"}) is None


def test_tampered_or_incomplete_return_credits_nothing(rzp_ctx, fake, make_user):
    student = make_user()
    purchases.buy(rzp_ctx, student, 10, key())
    params = fake.pay(next(iter(fake.links)))
    for bad in (
        {**params, "razorpay_signature": "0" * 64},
        {**params, "razorpay_payment_id": "pay_other"},
        {k: v for k, v in params.items() if k != "razorpay_signature"},
    ):
        with pytest.raises(AppError) as error:
            purchases.complete_return(rzp_ctx, student, bad)
        assert error.value.code == ErrorCode.PAYMENT_ERROR
    assert ledger.balance(rzp_ctx, student) == 10


def test_signed_return_but_link_not_paid_per_api_credits_nothing(rzp_ctx, fake, make_user):
    student = make_user()
    purchases.buy(rzp_ctx, student, 10, key())
    link_id = next(iter(fake.links))
    params = fake.pay(link_id)
    fake.set_status(link_id, "partially_paid")
    result = purchases.complete_return(rzp_ctx, student, params)
    assert (result.paid, result.credited_now) == (False, False)
    assert ledger.balance(rzp_ctx, student) == 10


def test_someone_elses_return_url_credits_nobody(rzp_ctx, fake, make_user):
    ana, ben = make_user(), make_user()
    purchases.buy(rzp_ctx, ana, 10, key())
    params = fake.pay(next(iter(fake.links)))
    with pytest.raises(AppError) as error:
        purchases.complete_return(rzp_ctx, ben, params)
    assert error.value.code == ErrorCode.PERMISSION_DENIED
    assert (ledger.balance(rzp_ctx, ana), ledger.balance(rzp_ctx, ben)) == (10, 10)
    assert len(purchases.reconcile(rzp_ctx, ana)) == 1  # the owner gets them when the wallet opens
    assert ledger.balance(rzp_ctx, ana) == 20


def test_unknown_payment_link_is_refused(rzp_ctx, fake, make_user):
    student = make_user()
    client = razorpay.Client(auth=(fake.key_id, fake.key_secret), base_url=fake.url)
    link = client.payment_link.create({"amount": 100_000, "currency": "INR", "reference_id": "elsewhere"})
    with pytest.raises(AppError) as error:
        purchases.complete_return(rzp_ctx, student, fake.pay(link["id"]))
    assert error.value.code == ErrorCode.PAYMENT_ERROR
    assert ledger.balance(rzp_ctx, student) == 10


def test_amount_mismatch_is_not_credited(rzp_ctx, fake, make_user):
    student = make_user()
    purchases.buy(rzp_ctx, student, 10, key())
    link_id = next(iter(fake.links))
    params = fake.pay(link_id)
    fake.links[link_id]["amount_paid"] = 100
    with pytest.raises(AppError, match="does not match"):
        purchases.complete_return(rzp_ctx, student, params)
    assert ledger.balance(rzp_ctx, student) == 10


def test_reconcile_credits_a_paid_link_the_buyer_never_returned_from(rzp_ctx, fake, make_user):
    student = make_user()
    purchases.buy(rzp_ctx, student, 10, key())
    purchases.buy(rzp_ctx, student, 25, key())
    paid_link, abandoned_link = fake.links
    fake.pay(paid_link)
    fake.set_status(abandoned_link, "expired")
    [credited] = purchases.reconcile(rzp_ctx, student)
    assert (credited.credits, credited.credited_now) == (10, True)
    assert purchases.reconcile(rzp_ctx, student) == []
    with rzp_ctx.db.session() as session:
        statuses = dict(session.execute(select(Payment.provider_ref, Payment.status)).all())
    assert statuses == {paid_link: "paid", abandoned_link: "expired"}
    assert ledger.balance(rzp_ctx, student) == 20


def test_reconcile_skips_quietly_while_razorpay_is_down(rzp_ctx, fake, make_user):
    student = make_user()
    purchases.buy(rzp_ctx, student, 10, key())
    fake.pay(next(iter(fake.links)))
    fake.fail("500")
    assert purchases.reconcile(rzp_ctx, student) == []
    fake.fail(None)
    assert len(purchases.reconcile(rzp_ctx, student)) == 1


@pytest.mark.parametrize("mode", ["500", "502", "hang", "bad-key"])
def test_provider_failures_are_plain_payment_errors_and_charge_nothing(rzp_ctx, fake, make_user, mode):
    student = make_user()
    if mode == "bad-key":
        rzp_ctx = AppContext(rzp_ctx.settings.model_copy(update={"razorpay_key_secret": "wrong"}), rzp_ctx.db)
    else:
        fake.fail(mode)
    rzp_ctx.payments._timeout = 1
    with pytest.raises(AppError) as error:
        purchases.buy(rzp_ctx, student, 10, key())
    assert error.value.code == ErrorCode.PAYMENT_ERROR
    assert "you were not charged" in error.value.message
    assert fake.key_secret not in error.value.message
    with rzp_ctx.db.session() as session:
        assert session.scalar(select(Payment.id)) is None
    assert ledger.balance(rzp_ctx, student) == 10


# --- the fake is as strict as Razorpay on what we send -----------------------------------------------------------


def test_the_fake_answers_a_bad_key_with_razorpays_401s(fake):
    for key_id, secret, wording in [("rzp_test_Unknown", fake.key_secret, "The api key provided is invalid"),
                                    (fake.key_id, "wrong", "Authentication failed")]:  # fmt: skip
        response = requests.get(f"{fake.url}/v1/payment_links/plink_x", auth=(key_id, secret), timeout=5)
        assert response.status_code == 401
        assert response.json() == {"error": {"code": "BAD_REQUEST_ERROR", "description": wording, "source": "NA",
                                             "step": "NA", "reason": "NA", "metadata": {}}}  # fmt: skip


GOOD_LINK = {"amount": 10_000, "currency": "INR", "reference_id": "ref1", "callback_url": "https://prep.example.in/wallet",
             "callback_method": "get", "customer": {"name": "Ana", "email": "ana@example.com"},
             "notify": {"sms": False, "email": False}}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "description", "field", "reason"),
    [
        ({"amount": 99}, "The amount must be at least INR 1.00", "amount", "input_validation_failed"),
        ({"amount": 100.5}, "The amount must be an integer.", "amount", "input_validation_failed"),
        ({"amount": None}, "The amount field is required.", "amount", "input_validation_failed"),
        ({"receipt": "r1"}, "receipt is/are not required and should not be sent", "receipt", "extra_field_sent"),
        ({"customer": {"name": "Ana", "phone": "1"}}, "customer.phone is/are not required and should not be sent",
         "customer.phone", "extra_field_sent"),
        ({"callback_method": "post"}, "callback_method should be get when callback_url is passed", "callback_method",
         "input_validation_failed"),
        ({"callback_method": None}, "callback_method should be get when callback_url is passed", "callback_method",
         "input_validation_failed"),
        ({"expire_by": 1}, "expire_by: timestamp must be atleast 15 minutes in future", "expire_by",
         "input_validation_failed"),
    ],
)  # fmt: skip
def test_the_fake_refuses_the_links_razorpay_refuses(fake, change, description, field, reason):
    body = {key: value for key, value in {**GOOD_LINK, **change}.items() if value is not None}
    response = requests.post(f"{fake.url}/v1/payment_links", json=body, auth=(fake.key_id, fake.key_secret), timeout=5)
    assert response.status_code == 400
    assert response.json() == {"error": {"code": "BAD_REQUEST_ERROR", "description": description, "source": "business",
                                         "step": "payment_initiation", "reason": reason, "metadata": {},
                                         "field": field}}  # fmt: skip
    assert fake.links == {}


def test_a_link_without_currency_defaults_to_inr_as_razorpays_does(fake):
    body = {key: value for key, value in GOOD_LINK.items() if key != "currency"}
    response = requests.post(f"{fake.url}/v1/payment_links", json=body, auth=(fake.key_id, fake.key_secret), timeout=5)
    assert response.status_code == 200 and response.json()["currency"] == "INR"


def test_a_reference_id_is_used_once(fake):
    client = razorpay.Client(auth=(fake.key_id, fake.key_secret), base_url=fake.url)
    client.payment_link.create(GOOD_LINK)
    with pytest.raises(razorpay.errors.BadRequestError, match="reference id ref1 already exists"):
        client.payment_link.create(GOOD_LINK)


@pytest.mark.parametrize("key_id", ["rzp_test_Unknown", None])
def test_a_401_of_any_wording_is_a_refusal_of_the_keys(rzp_ctx, fake, make_user, key_id):
    update = {"razorpay_key_id": key_id} if key_id else {"razorpay_key_secret": "wrong"}
    bad = AppContext(rzp_ctx.settings.model_copy(update=update), rzp_ctx.db)
    with pytest.raises(AppError) as error:
        purchases.buy(bad, make_user(), 10, key())
    assert error.value.details == {"keys_refused": True}
    with pytest.raises(AppError) as error:  # a 400 from Razorpay is another refusal, not of the keys
        rzp_ctx.payments.fetch("plink_unknown")
    assert error.value.details == {}


def test_reconcile_within_a_deadline_leaves_the_rest_for_later(rzp_ctx, fake, make_user):
    student = make_user()
    for _ in range(3):
        purchases.buy(rzp_ctx, student, 10, key())
    for link_id in fake.links:
        fake.pay(link_id)
    fake.fail("hang")
    started = time.monotonic()
    assert purchases.reconcile(rzp_ctx, student, within=1) == []
    assert time.monotonic() - started < 2
    assert len([r for r in fake.requests if r.method == "GET"]) == 1  # the deadline passed during the first
    fake.fail(None)
    assert len(purchases.reconcile(rzp_ctx, student, within=5)) == 3
    assert ledger.balance(rzp_ctx, student) == 40


def test_reconcile_has_no_age_cut_off(rzp_ctx, fake, make_user):
    student = make_user()
    purchases.buy(rzp_ctx, student, 10, key())
    fake.pay(next(iter(fake.links)))
    with rzp_ctx.db.session() as session:
        session.execute(update(Payment).values(created_at=utcnow() - timedelta(days=90)))
        session.commit()
    assert [r.credits for r in purchases.reconcile(rzp_ctx, student)] == [10]
