"""AppTest of the Wallet and Admin → Credits pages, and of the insufficient-credits message."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from core.access import Actor, Role
from core.billing import ledger
from core.db import utcnow
from core.errors import AppError
from core.models import Payment
from core.ui import payment_return
from tests.conftest import APP_FILE, PASSWORD
from tests.fakes.razorpay_server import FakeRazorpay
from tests.pages.shown import texts
from tests.pages.test_page_auth import submit_sign_in
from tests.services.test_billing import add_cohort

WALLET, ADMIN_CREDITS = "app_pages/wallet.py", "app_pages/admin_credits.py"


def ledger_table(at: AppTest) -> list[dict[str, object]]:
    return at.dataframe[0].value[["Type", "Credits", "Balance after", "Details"]].to_dict("records")


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in [*at.metric, *at.sidebar.metric] if m.label == label)


def test_wallet_shows_balance_packs_and_history(open_app, make_user):
    at = open_app(make_user(), WALLET)
    assert not at.exception
    assert metric(at, "Your credits") == "10"
    assert [b.key for b in at.button if b.key and b.key.startswith("buy_")] == ["buy_10", "buy_25", "buy_50", "buy_100"]
    assert "₹7.50 per credit" in [c.value for c in at.caption]
    assert ledger_table(at) == [{"Type": "Welcome", "Credits": 10, "Balance after": 10, "Details": "Welcome credits"}]
    assert at.get("download_button")[0].proto.label == "Download CSV"


def test_demo_purchase_shows_in_the_ledger_and_the_sidebar(open_app, make_user):
    at = open_app(make_user(), WALLET)
    at.button(key="buy_25").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["25 credits added (demo payment, no money taken)."]
    assert metric(at, "Your credits") == "35"
    assert metric(at, "Credits") == "35"  # the sidebar, drawn before the page, shows the new balance too
    assert ledger_table(at)[0] == {
        "Type": "Purchase (demo)",
        "Credits": 25,
        "Balance after": 35,
        "Details": "Bought 25 credits",
    }
    at.run()  # the message was shown once
    assert not at.success


def test_refund_row_shows_and_filters_narrow_the_history(ctx, open_app, make_user):
    student = make_user()

    def dead_provider(_charge: ledger.Charge) -> None:
        raise AppError("TAVUS_ERROR")

    with pytest.raises(AppError):
        ledger.run_paid(ctx, student, 5, "Video interview", dead_provider)
    at = open_app(student, WALLET)
    assert ledger_table(at)[:2] == [
        {"Type": "Refund", "Credits": 5, "Balance after": 10, "Details": "Refund: Video interview did not complete"},
        {"Type": "Charge", "Credits": -5, "Balance after": 5, "Details": "Video interview"},
    ]
    at.multiselect(key="ledger_kinds").select("refund").run()
    assert [row["Type"] for row in ledger_table(at)] == ["Refund"]


@pytest.fixture
def razorpay_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeRazorpay]:
    """The app on Razorpay Payment Links, played by the fake."""
    with FakeRazorpay(hang_seconds=30) as fake:
        for name, value in {"PAYMENT_PROVIDER": "razorpay", "RAZORPAY_KEY_ID": fake.key_id,
                            "RAZORPAY_KEY_SECRET": fake.key_secret, "RAZORPAY_BASE_URL": fake.url}.items():  # fmt: skip
            monkeypatch.setenv(name, value)
        yield fake


def bought_and_paid(open_app: Callable[..., AppTest], fake: FakeRazorpay, student: Actor) -> dict[str, str]:
    """The student buys 10 credits on the Wallet and pays on Razorpay: the return's query parameters."""
    at = open_app(student, WALLET)
    at.button(key="buy_10").click().run()
    assert not at.exception
    [link] = fake.links.values()
    assert [b.proto.url for b in at.get("link_button")] == [link["short_url"]]
    return fake.pay(link["id"])


def returned_signed_out(params: dict[str, str], timeout: float = 20) -> AppTest:
    """Razorpay's redirect in a new tab: a fresh browser session, signed out, with the return's query string."""
    at = AppTest.from_file(APP_FILE, default_timeout=timeout)
    at.query_params.update(params)
    return at.run()


def test_a_return_in_a_signed_out_tab_is_credited_right_after_sign_in(open_app, make_user, ctx, razorpay_env):
    student = make_user()
    params = bought_and_paid(open_app, razorpay_env, student)
    back = returned_signed_out(params)
    assert not back.exception
    assert [t.value for t in back.title] == ["InterviewPrep"]  # the sign-in page, the query string kept
    assert ledger.balance(ctx, student) == 10
    submit_sign_in(back, student.email, PASSWORD)
    assert not back.exception
    assert texts(back, "success") == ["Payment received: 10 credits added to your wallet."]
    assert metric(back, "Credits") == "20"  # the sidebar, drawn after the payment was finished
    assert not any(name.startswith("razorpay_") for name in back.query_params)
    back.run()  # a rerun (the browser reporting the remember-me cookie) keeps the message on this page
    assert texts(back, "success") == ["Payment received: 10 credits added to your wallet."]
    back.switch_page(WALLET).run()  # leaving the page drops it
    assert texts(back, "success") == [] and metric(back, "Your credits") == "20"
    assert [row["Type"] for row in ledger_table(back)] == ["Purchase", "Welcome"]

    again = returned_signed_out(params)  # the same return URL opened once more
    submit_sign_in(again, student.email, PASSWORD)
    assert texts(again, "info") == ["This payment is already in your wallet."]
    assert ledger.balance(ctx, student) == 20


def test_a_return_opened_in_someone_elses_session_credits_nobody(open_app, make_user, ctx, razorpay_env):
    student, other = make_user(), make_user()
    params = bought_and_paid(open_app, razorpay_env, student)
    back = submit_sign_in(returned_signed_out(params), other.email, PASSWORD)
    assert texts(back, "error") == [
        "This payment was started from another account. Sign in with that account to see its credits."
    ]
    assert (ledger.balance(ctx, student), ledger.balance(ctx, other)) == (10, 10)


def test_sign_in_credits_a_paid_link_whose_return_was_lost(open_app, make_user, ctx, razorpay_env):
    """No webhook, no return (the tab was closed): the next sign-in asks Razorpay, however old the link."""
    student = make_user()
    bought_and_paid(open_app, razorpay_env, student)
    with ctx.db.session() as session:
        session.execute(update(Payment).values(created_at=utcnow() - timedelta(days=30)))
        session.commit()
    at = submit_sign_in(open_app(), student.email, PASSWORD)
    assert not at.exception
    assert texts(at, "success") == ["Your payment for 10 credits went through: credits added."]
    assert ledger.balance(ctx, student) == 20
    at.run()
    assert ledger.balance(ctx, student) == 20  # asked once per session


def test_check_now_on_the_wallet_asks_razorpay_again(open_app, make_user, ctx, razorpay_env):
    """Signed in before paying (sign-in found nothing to credit), then paid in another tab whose return is lost."""
    student = make_user()
    at = open_app(student, WALLET)
    at.button(key="buy_10").click().run()
    razorpay_env.pay(next(iter(razorpay_env.links)))
    at.run()
    assert ledger.balance(ctx, student) == 10  # asked once per session, at sign-in
    at.button(key="check_payments").click().run()
    assert not at.exception
    assert texts(at, "success") == ["Your payment for 10 credits went through: credits added."]
    assert metric(at, "Your credits") == "20"


def test_razorpay_down_does_not_hold_up_sign_in(open_app, make_user, ctx, razorpay_env):
    student = make_user()
    for _ in range(3):  # three links waiting, Razorpay hanging on each question
        open_app(student, WALLET).button(key="buy_10").click().run()
    razorpay_env.fail("hang")
    at = open_app()
    started = time.monotonic()
    submit_sign_in(at, student.email, PASSWORD)
    took = time.monotonic() - started
    assert not at.exception and at.title[0].value.startswith("Welcome")
    assert took < payment_return.SIGN_IN_RECONCILE_SECONDS + 3, took
    razorpay_env.fail(None)
    assert ledger.balance(ctx, student) == 10
    with ctx.db.session() as session:  # nothing was marked: the next sign-in asks again
        assert set(session.scalars(select(Payment.status))) == {"created"}


PAID_ACTION_APP = """
import streamlit as st
from core.billing import ledger
from core.ui.feedback import user_errors
from core.ui.state import current_actor, get_ctx

def video_interview():
    if st.button("Start video interview", key="start"):
        with user_errors():
            ledger.run_paid(get_ctx(), current_actor(), 5, "Video interview", lambda charge: st.success("Started"))

st.navigation([st.Page(video_interview, title="Interview", default=True),
               st.Page("app_pages/wallet.py", title="Wallet")]).run()
"""


def test_insufficient_credits_is_explained_with_a_wallet_link(ctx, app_env, make_user, tmp_path):
    student = make_user()
    ledger.charge(ctx, student, 8, "earlier")
    (tmp_path / "app_pages").symlink_to(Path(APP_FILE).parent / "app_pages")
    script = tmp_path / "paid_action.py"
    script.write_text(PAID_ACTION_APP)
    at = AppTest.from_file(str(script), default_timeout=20)
    at.session_state["actor"] = student
    at.run()
    at.button(key="start").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "This needs 5 credits and you have 2. Buy more credits on the Wallet page, then try again."
    ]
    [link] = at.get("page_link")
    assert link.proto.label == "Buy credits on the Wallet page"
    assert ledger.balance(ctx, student) == 2


# --- Admin → Credits -------------------------------------------------------------------------------------


def test_admin_grants_credits_to_a_user(open_app, make_user, ctx):
    student = make_user(email="ana@example.com")
    at = open_app(make_user(role=Role.ADMIN), ADMIN_CREDITS)
    assert not at.exception
    at.text_input(key="grant_email").input("ana@example.com")
    at.number_input(key="grant_user_credits").set_value(15)
    at.text_input(key="grant_user_reason").input("Hackathon prize")
    at.button(key="grant_user_submit").click().run()
    assert not at.exception
    assert texts(at, "success") == ["Granted 15 credits to ana@example.com. Their balance is now 25."]
    assert ledger.balance(ctx, student) == 25
    [row] = at.dataframe[0].value.to_dict("records")
    assert (row["To"], row["Credits"], row["Reason"]) == ("ana@example.com", 15, "Hackathon prize")


def test_admin_grant_errors_are_plain(open_app, make_user):
    at = open_app(make_user(role=Role.ADMIN), ADMIN_CREDITS)
    at.text_input(key="grant_email").input("nobody@example.com")
    at.text_input(key="grant_user_reason").input("x")
    at.button(key="grant_user_submit").click().run()
    assert [e.value for e in at.error] == ["There is no account with this email."]


def test_admin_grants_a_whole_cohort(open_app, make_user, ctx):
    students = [make_user(), make_user()]
    add_cohort(ctx, students=students)
    at = open_app(make_user(role=Role.ADMIN), ADMIN_CREDITS)
    at.number_input(key="grant_cohort_credits").set_value(3)
    at.text_input(key="grant_cohort_reason").input("Term start")
    at.button(key="grant_cohort_submit").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Granted 3 credits to each of 2 students")
    assert [ledger.balance(ctx, s) for s in students] == [13, 13]


@pytest.mark.parametrize("role", [Role.STUDENT, Role.COUNSELOR])
def test_only_admins_can_open_the_credits_page(open_app, make_user, role):
    with pytest.raises(ValueError, match="Could not find"):
        open_app(make_user(role=role), ADMIN_CREDITS)


def test_staff_have_no_wallet_page(open_app, make_user):
    with pytest.raises(ValueError, match="Could not find"):
        open_app(make_user(role=Role.ADMIN), WALLET)
