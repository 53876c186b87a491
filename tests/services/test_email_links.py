"""Password reset and address verification by e-mail, through a real SMTP server on 127.0.0.1 (aiosmtpd) and
through the local outbox, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest

from core.access import Role
from core.accounts import admin, email_links, users
from core.coaching import cohorts
from core.context import AppContext
from core.db import utcnow
from core.errors import AppError, ErrorCode
from core.models import User
from tests.conftest import PASSWORD
from tests.fakes.smtp_server import Inbox, free_port, smtp_server

NEW_PASSWORD = "Brand-new-pass-42"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture
def smtp_ctx(ctx: AppContext, inbox: Inbox) -> AppContext:
    mail = {"smtp_host": "127.0.0.1", "smtp_port": inbox.port, "smtp_security": "none"}
    settings = ctx.settings.model_copy(update=mail)
    return AppContext(settings, ctx.db)


def test_reset_by_email_end_to_end(smtp_ctx, inbox, make_user):
    student = make_user()
    for _ in range(smtp_ctx.settings.lockout_max_attempts):  # locked out first: the reset also ends that
        with pytest.raises(AppError):
            users.authenticate(smtp_ctx, student.email, "Wrong-password-1")
    answer = email_links.request_password_reset(smtp_ctx, student.email.upper())
    assert answer == email_links.RESET_SENT.format(minutes=30)
    [message] = inbox.messages
    assert message["To"] == student.email and "Reset" in message["Subject"]
    purpose, token = inbox.link()
    assert purpose == "reset"

    email_links.reset_password(smtp_ctx, token, NEW_PASSWORD)
    assert users.authenticate(smtp_ctx, student.email, NEW_PASSWORD).id == student.id
    with pytest.raises(AppError):
        users.authenticate(smtp_ctx, student.email, PASSWORD)
    with pytest.raises(AppError, match="expired or was already used"):  # single use
        email_links.reset_password(smtp_ctx, token, "Another-pass-43")


def test_unknown_address_gets_the_same_answer_and_no_mail(smtp_ctx, inbox, make_user):
    make_user(email="known@example.com")
    assert email_links.request_password_reset(smtp_ctx, "nobody@example.com") == email_links.request_password_reset(
        smtp_ctx, "known@example.com"
    )
    assert [m["To"] for m in inbox.messages] == ["known@example.com"]


def test_a_link_expires_and_a_newer_one_replaces_it(smtp_ctx, inbox, make_user):
    student = make_user()
    email_links.request_password_reset(smtp_ctx, student.email)
    email_links.request_password_reset(smtp_ctx, student.email)
    first, second = inbox.link(0)[1], inbox.link(1)[1]
    with pytest.raises(AppError, match="expired or was already used"):
        email_links.reset_password(smtp_ctx, first, NEW_PASSWORD)  # replaced by the second
    with pytest.raises(AppError, match="expired or was already used"):
        email_links.reset_password(smtp_ctx, second, NEW_PASSWORD, now=utcnow() + timedelta(minutes=31))
    with pytest.raises(AppError, match="Password needs"):  # a weak password does not use up the link
        email_links.reset_password(smtp_ctx, second, "short")
    email_links.reset_password(smtp_ctx, second, NEW_PASSWORD, now=utcnow() + timedelta(minutes=29))


def test_two_tabs_opening_one_link_change_the_password_once(smtp_ctx, inbox, make_user):
    student = make_user()
    email_links.request_password_reset(smtp_ctx, student.email)
    token = inbox.link(0)[1]
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def open_link(n: int) -> None:
        barrier.wait()
        try:
            email_links.reset_password(smtp_ctx, token, f"Tab-{n}-password-1")
            outcomes.append(f"Tab-{n}-password-1")
        except AppError:
            outcomes.append("refused")

    threads = [threading.Thread(target=open_link, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [winner] = [o for o in outcomes if o != "refused"]
    assert outcomes.count("refused") == 3
    assert users.authenticate(smtp_ctx, student.email, winner).id == student.id


def test_without_smtp_mail_lands_in_the_outbox_only_admins_read(ctx, make_user):
    student, boss = make_user(), make_user(role=Role.ADMIN)
    email_links.request_password_reset(ctx, student.email)
    [message] = admin.outbox(ctx, boss)
    assert message.to == student.email and "/?reset=" in message.body
    with pytest.raises(AppError) as refused:
        admin.outbox(ctx, student)
    assert refused.value.code == ErrorCode.PERMISSION_DENIED


def test_a_dead_mail_server_is_a_plain_error_and_changes_nothing(ctx, make_user):
    closed_port = free_port()
    dead = AppContext(ctx.settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": closed_port,
                                                      "smtp_timeout_seconds": 2}), ctx.db)  # fmt: skip
    student = make_user()
    assert email_links.request_password_reset(dead, student.email).startswith("If an account uses this address")
    with pytest.raises(AppError) as failed:
        email_links.send_verification(dead, student)
    assert failed.value.code == ErrorCode.MAIL_ERROR
    assert users.authenticate(ctx, student.email, PASSWORD).id == student.id


def test_a_self_registered_student_confirms_the_address_before_joining_a_cohort(smtp_ctx, inbox, make_user):
    counselor, student = make_user(role=Role.COUNSELOR), make_user()
    cohort = cohorts.create_cohort(smtp_ctx, counselor, name="Analysts")
    email_links.send_verification(smtp_ctx, student)  # what registering does
    assert email_links.needs_verification(smtp_ctx, student)
    with pytest.raises(AppError, match="Confirm your e-mail address first"):
        cohorts.join_cohort(smtp_ctx, student, cohort.invite_code, consent=True)
    purpose, token = inbox.link(-1)
    assert purpose == "verify"
    email_links.verify_email(smtp_ctx, token)
    assert not email_links.needs_verification(smtp_ctx, student)
    cohorts.join_cohort(smtp_ctx, student, cohort.invite_code, consent=True)
    with smtp_ctx.db.session() as session:
        assert session.get(User, student.id).email_verified_at is not None
