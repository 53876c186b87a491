"""Buying credits with Razorpay (played by the fake) in real Chromium: the student pays on the link's page in
another browser, Razorpay's redirect lands there signed out, and the credits arrive once the student signs in."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, expect
from sqlalchemy import select

from core.accounts import users
from core.billing import ledger
from core.context import AppContext
from core.models import Transaction
from tests.e2e.conftest import PASSWORD
from tests.e2e.harness import AppServer, StreamlitPage, cli, free_port, server_context, throwaway_env
from tests.fakes.razorpay_server import FakeRazorpay


@pytest.fixture(scope="module")
def razorpay_fake() -> Iterator[FakeRazorpay]:
    with FakeRazorpay() as fake:
        yield fake


@pytest.fixture(scope="module")
def e2e_server(chromium: None, razorpay_fake: FakeRazorpay,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:  # fmt: skip
    """This module's app server on Razorpay Payment Links, for the shared `new_tab` fixture."""
    workdir = tmp_path_factory.mktemp("payments-app")
    port = free_port()
    env = throwaway_env(workdir) | {
        "PAYMENT_PROVIDER": "razorpay", "RAZORPAY_KEY_ID": razorpay_fake.key_id,
        "RAZORPAY_KEY_SECRET": razorpay_fake.key_secret, "RAZORPAY_BASE_URL": razorpay_fake.url,
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
    }  # fmt: skip
    cli(env, "migrate")
    with AppServer(env, workdir / "server.log", port=port) as server:
        yield server


@pytest.fixture(scope="module")
def pay_ctx(e2e_server: AppServer) -> Iterator[AppContext]:
    with server_context(e2e_server) as ctx:
        yield ctx


def alert(tab: StreamlitPage, kind: str) -> Locator:
    return tab.page.get_by_test_id(f"stAlertContent{kind}")


def purchases_of(ctx: AppContext, user_id: int) -> list[tuple[int, int]]:
    with ctx.db.session() as session:
        rows = session.execute(select(Transaction.amount, Transaction.balance_after)
                               .where(Transaction.user_id == user_id, Transaction.kind == "purchase"))  # fmt: skip
        return [(amount, balance) for amount, balance in rows]


def test_a_pack_paid_on_razorpay_is_credited_after_signing_in_on_the_return_tab(
    new_tab: Callable[..., StreamlitPage], pay_ctx: AppContext, razorpay_fake: FakeRazorpay, e2e_server: AppServer
) -> None:
    student = users.create_user(pay_ctx, email=f"buyer-{uuid.uuid4().hex[:8]}@example.edu", name="Bina Buyer",
                                password=PASSWORD)  # fmt: skip
    shop = new_tab()
    shop.sign_in(student.email, PASSWORD)
    shop.go_to("Wallet")
    shop.act(shop.button("Buy").first.click)  # the 10-credit pack
    shop.step("buy 10 credits")
    pay_link = shop.page.get_by_role("link", name="Pay on Razorpay")
    expect(pay_link).to_be_visible()
    [link] = razorpay_fake.links.values()
    assert pay_link.get_attribute("href") == link["short_url"]

    back = new_tab()  # Razorpay's page, and its redirect, in a browser that is not signed in here
    back.page.goto(link["short_url"])
    back.page.get_by_role("button", name="Pay now").click()
    back.page.wait_for_url(f"{e2e_server.url}/wallet?**")
    return_url = back.page.url
    assert set(parse_qs(urlsplit(return_url).query)) == {
        "razorpay_payment_id", "razorpay_payment_link_id", "razorpay_payment_link_reference_id",
        "razorpay_payment_link_status", "razorpay_signature",
    }  # fmt: skip
    back.wait_idle()
    back.step("returned from Razorpay, signed out")
    expect(back.heading()).to_have_text("InterviewPrep")
    assert ledger.balance(pay_ctx, student) == 10

    back.sign_in(student.email, PASSWORD)
    expect(alert(back, "Success")).to_have_text("Payment received: 10 credits added to your wallet.")
    expect(back.heading()).to_have_text("Wallet")
    expect(back.metric("Your credits")).to_have_text("20")
    assert "razorpay_" not in back.page.url
    assert purchases_of(pay_ctx, student.id) == [(10, 20)]

    again = new_tab()  # the same return URL opened once more (history, a bookmark): nothing more
    again.page.goto(return_url)
    again.wait_idle()
    again.sign_in(student.email, PASSWORD)
    expect(alert(again, "Info")).to_have_text("This payment is already in your wallet.")
    expect(again.metric("Your credits")).to_have_text("20")
    assert purchases_of(pay_ctx, student.id) == [(10, 20)]
