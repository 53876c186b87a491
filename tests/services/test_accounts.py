"""Accounts on SQLite and PostgreSQL: registration, passwords, lockout in the database, access rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core import access
from core.access import Role
from core.accounts import users
from core.errors import AppError, ErrorCode
from core.models import Cohort, CohortMember, Transaction, User, Wallet
from tests.conftest import PASSWORD


def test_register_hashes_password_and_opens_wallet_with_welcome_credits(ctx, make_user):
    student = make_user(email="Ada@Example.com ")
    assert student.email == "ada@example.com" and student.role == Role.STUDENT
    with ctx.db.session() as s:
        user = s.get(User, student.id)
        assert user.password_hash.startswith("$2") and PASSWORD not in user.password_hash
        assert s.get(Wallet, student.id).balance == ctx.settings.welcome_credits
        kinds = s.scalars(select(Transaction.kind).where(Transaction.user_id == student.id)).all()
        assert kinds == ["welcome"]


def test_register_rejects_duplicate_email_bad_email_and_weak_password(ctx, make_user):
    make_user(email="dup@example.com")
    with pytest.raises(AppError, match="already exists"):
        make_user(email="DUP@example.com")
    with pytest.raises(AppError) as bad:
        users.create_user(ctx, email="not-an-email", name="X", password=PASSWORD)
    assert bad.value.code == ErrorCode.INVALID_INPUT
    for weak in ["short1", "onlyletterslong", "1234567890123", " Padded-pass1 "]:
        with pytest.raises(AppError, match="Password needs"):
            users.create_user(ctx, email="weak@example.com", name="W", password=weak)


def test_authenticate_success_and_wrong_password(ctx, make_user):
    student = make_user(email="s@example.com")
    assert users.authenticate(ctx, "S@example.com", PASSWORD).id == student.id
    with pytest.raises(AppError) as wrong:
        users.authenticate(ctx, "s@example.com", "Wrong-password-1")
    with pytest.raises(AppError) as unknown:
        users.authenticate(ctx, "nobody@example.com", "Wrong-password-1")
    assert wrong.value.code == unknown.value.code == ErrorCode.INVALID_CREDENTIALS
    assert wrong.value.message == unknown.value.message


def test_lockout_after_five_failures_survives_restart_and_expires(ctx, make_user):
    make_user(email="lock@example.com")
    for _ in range(4):
        with pytest.raises(AppError) as err:
            users.authenticate(ctx, "lock@example.com", "Wrong-password-1")
        assert err.value.code == ErrorCode.INVALID_CREDENTIALS
    with pytest.raises(AppError) as fifth:
        users.authenticate(ctx, "lock@example.com", "Wrong-password-1")
    assert fifth.value.code == ErrorCode.INVALID_CREDENTIALS and fifth.value.message == err.value.message
    # A "restart": a brand-new context on the same database still refuses the right password.
    from core.context import AppContext
    from core.db import Database

    fresh = AppContext(ctx.settings, Database(ctx.db.url))
    with pytest.raises(AppError) as still:
        users.authenticate(fresh, "lock@example.com", PASSWORD)
    assert still.value.code == ErrorCode.INVALID_CREDENTIALS and "locked for 15 minutes" in still.value.message
    # Fifteen minutes later the right password works and the counter is reset.
    with fresh.db.session() as s:
        user = s.scalar(select(User).where(User.email == "lock@example.com"))
        user.locked_until -= timedelta(minutes=15, seconds=1)
    assert users.authenticate(fresh, "lock@example.com", PASSWORD).email == "lock@example.com"
    with fresh.db.session() as s:
        assert s.scalar(select(User.failed_attempts).where(User.email == "lock@example.com")) == 0
    fresh.db.dispose()


def test_change_password(ctx, make_user):
    student = make_user(email="cp@example.com")
    with pytest.raises(AppError, match="current password"):
        users.change_password(ctx, student, "Wrong-password-1", "Another-pass-77")
    users.change_password(ctx, student, PASSWORD, "Another-pass-77")
    assert users.authenticate(ctx, "cp@example.com", "Another-pass-77").id == student.id


def test_student_access_rules(ctx, make_user):
    alice, bob = make_user(), make_user()
    counselor, other_counselor = make_user(Role.COUNSELOR), make_user(Role.COUNSELOR)
    admin = make_user(Role.ADMIN)
    with ctx.db.session() as s:
        cohort = Cohort(name="Fall", invite_code="ABC123")
        s.add(cohort)
        s.flush()
        s.add_all([
            CohortMember(cohort_id=cohort.id, user_id=counselor.id, member_role="counselor"),
            CohortMember(cohort_id=cohort.id, user_id=alice.id, member_role="student"),
        ])
    with ctx.db.session() as s:
        access.require_student_access(s, alice, alice.id, purpose="test")
        access.require_student_access(s, admin, alice.id, purpose="test")
        access.require_student_access(s, counselor, alice.id, purpose="test")
        for actor, student in [(bob, alice.id), (alice, bob.id), (other_counselor, alice.id), (counselor, bob.id)]:
            with pytest.raises(AppError) as denied:
                access.require_student_access(s, actor, student, purpose="test")
            assert denied.value.code == ErrorCode.NOT_FOUND
    # After Alice leaves the cohort, her counselor no longer sees her.
    with ctx.db.session() as s:
        s.execute(CohortMember.__table__.delete().where(CohortMember.user_id == alice.id))
    with ctx.db.session() as s, pytest.raises(AppError):
        access.require_student_access(s, counselor, alice.id, purpose="test")
