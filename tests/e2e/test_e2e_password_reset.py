"""Journeys in real Chromium against a server that sends mail to a real SMTP server on 127.0.0.1: a locked-out
student is unlocked by an admin; another forgets the password, follows the e-mailed link and signs in with the
new one; a new account confirms its address from the mailed link."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from core.access import Role
from core.accounts import users
from core.context import AppContext
from tests.e2e.conftest import PASSWORD
from tests.e2e.harness import AppServer, StreamlitPage, server_context, throwaway_env
from tests.fakes.smtp_server import Inbox, smtp_server

NEW_PASSWORD = "Brand-new-pass-42"


@pytest.fixture(scope="module")
def inbox() -> Iterator[Inbox]:
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture(scope="module")
def mail_server(chromium: None, inbox: Inbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    workdir = tmp_path_factory.mktemp("mail-app")
    env = {**throwaway_env(workdir), "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(inbox.port), "SMTP_SECURITY": "none"}
    with AppServer(env, workdir / "server.log") as server:
        yield server


@pytest.fixture(scope="module")
def mail_ctx(mail_server: AppServer) -> Iterator[AppContext]:
    with server_context(mail_server) as ctx:
        yield ctx


@pytest.fixture
def tab(browser: Browser, mail_server: AppServer) -> Iterator[StreamlitPage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield StreamlitPage(context.new_page(), mail_server.url).open("/")
    context.close()


def test_forgotten_password_reset_through_the_mailed_link(tab, inbox, mail_ctx, mail_server):
    student = users.create_user(mail_ctx, email="forgetful@example.edu", name="Fran Forgetful", password=PASSWORD)
    tab.tab("Forgot password")
    tab.fill("Email", student.email)
    tab.click("Send reset link")
    expect(tab.page.get_by_text("If an account uses this address")).to_be_visible()
    purpose, token = inbox.link()
    assert purpose == "reset" and inbox.messages[-1]["To"] == student.email

    tab.open(f"/?reset={token}")
    expect(tab.page.get_by_text("Choose a new password")).to_be_visible()
    assert "reset=" not in tab.page.url
    tab.fill("New password", NEW_PASSWORD).fill("Repeat new password", NEW_PASSWORD)
    tab.click("Save new password")
    expect(tab.page.get_by_text("Your password is changed.")).to_be_visible()
    tab.sign_in(student.email, NEW_PASSWORD)
    expect(tab.heading()).to_have_text("Welcome, Fran Forgetful")


def test_locked_out_student_is_unlocked_by_an_admin(tab, browser, mail_ctx, mail_server):
    student = users.create_user(mail_ctx, email="locked@example.edu", name="Lou Locked", password=PASSWORD)
    boss = users.create_user(mail_ctx, email="boss@example.edu", name="Ada Admin", password=PASSWORD, role=Role.ADMIN)
    for _ in range(mail_ctx.settings.lockout_max_attempts):
        tab.sign_in(student.email, "Wrong-password-1")
    expect(tab.alerts()).to_contain_text("locked for 15 minutes")
    tab.sign_in(student.email, PASSWORD)  # the right password is refused while locked
    expect(tab.alerts()).to_contain_text("Email or password is incorrect")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    admin_tab = StreamlitPage(context.new_page(), mail_server.url).open("/")
    admin_tab.sign_in(boss.email, PASSWORD)
    admin_tab.go_to("Users")
    admin_tab.choose("Manage", f"{student.name} ({student.email})")
    expect(admin_tab.page.get_by_text("Status: locked (failed sign-ins)")).to_be_visible()
    admin_tab.click("Unlock account")
    expect(admin_tab.page.get_by_text("Status: active")).to_be_visible()
    context.close()

    tab.sign_in(student.email, PASSWORD)
    expect(tab.heading()).to_have_text("Welcome, Lou Locked")


def test_a_new_account_confirms_its_address_from_the_mail(tab, inbox):
    tab.register("Val Verify", "val@example.edu", PASSWORD)
    expect(tab.page.get_by_text("Confirm your e-mail address")).to_be_visible()
    purpose, token = inbox.link()
    assert purpose == "verify" and inbox.messages[-1]["To"] == "val@example.edu"
    tab.open(f"/?verify={token}")
    expect(tab.page.get_by_text("Your e-mail address is confirmed.")).to_be_visible()
    tab.reload()
    expect(tab.heading()).to_have_text("Welcome, Val Verify")
    expect(tab.page.get_by_text("Confirm your e-mail address")).to_have_count(0)
