"""Sign-in: one answer for every refusal, timing that does not reveal accounts, the password check outside
any transaction, and a lockout that stays exact under concurrent attempts (issue #21 hole 12, issue #22)."""

from __future__ import annotations

import sqlite3
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import bcrypt
import pytest
from sqlalchemy import func, select, text

from core.access import Actor
from core.accounts import users
from core.context import AppContext
from core.errors import AppError, ErrorCode
from core.models import AuditLog, User
from tests.conftest import PASSWORD, _empty

WRONG = "Wrong-password-1"


def refusal(ctx: AppContext, email: str, password: str) -> tuple[str, str]:
    with pytest.raises(AppError) as refused:
        users.authenticate(ctx, email, password)
    return refused.value.code, refused.value.message


def with_settings(ctx: AppContext, **changes: object) -> AppContext:
    return AppContext(ctx.settings.model_copy(update=changes), ctx.db)


def test_unknown_wrong_locked_and_disabled_get_one_answer(ctx: AppContext, make_user: Callable[..., Actor]):
    make_user(email="known@example.com")
    locked = make_user(email="locked@example.com")
    disabled = make_user(email="disabled@example.com")
    with ctx.db.session() as session:
        session.get(User, disabled.id).disabled = True
    for _ in range(ctx.settings.lockout_max_attempts):
        refusal(ctx, locked.email, WRONG)
    answers = {
        refusal(ctx, "nobody@example.com", WRONG),
        refusal(ctx, "known@example.com", WRONG),
        refusal(ctx, locked.email, PASSWORD),  # the right password while locked
        refusal(ctx, locked.email, WRONG),
        refusal(ctx, disabled.email, PASSWORD),
    }
    assert len(answers) == 1
    code, message = answers.pop()
    assert code == ErrorCode.INVALID_CREDENTIALS and "locked for 15 minutes after 5 failed" in message


def test_the_dummy_hash_follows_bcrypt_rounds(ctx: AppContext, make_user: Callable[..., Actor]):
    """Unknown e-mails cost the same bcrypt check as known ones at any configured cost (today's is fixed at 12)."""
    costly = with_settings(ctx, bcrypt_rounds=8)
    users.create_user(costly, email="timed@example.com", name="Timed", password=PASSWORD)
    assert users._dummy_hash(8).startswith("$2b$08$")

    def median_seconds(email: str) -> float:
        refusal(costly, email, WRONG)  # warm: the dummy hash is made once per cost
        times = []
        for _ in range(5):
            start = time.perf_counter()
            refusal(costly, email, WRONG)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    known, unknown = median_seconds("timed@example.com"), median_seconds("nobody@example.com")
    assert 1 / 3 < unknown / known < 3, (known, unknown)


def probe_write(ctx: AppContext, user_id: int) -> None:
    """Write the user's row from another connection without waiting: fails if a sign-in holds a lock on it."""
    if ctx.db.is_postgres:
        with ctx.db.engine.connect() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '200ms'"))
            conn.execute(text("UPDATE users SET name = name WHERE id = :id"), {"id": user_id})
            conn.commit()
        return
    raw = sqlite3.connect(ctx.db.url.split("///", 1)[1], timeout=0.2, isolation_level=None)
    try:
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("UPDATE users SET name = name WHERE id = ?", (user_id,))
        raw.execute("COMMIT")
    finally:
        raw.close()


def test_the_password_check_holds_no_lock(ctx: AppContext, make_user, monkeypatch: pytest.MonkeyPatch):
    """While bcrypt runs (0.25 s at cost 12), other sessions write freely: sign-ins do not queue on a lock."""
    student = make_user(email="probe@example.com")
    checked = []
    real_verify = users.verify_password

    def verify_while_probing(password: str, password_hash: str | None) -> bool:
        probe_write(ctx, student.id)  # raises "database is locked" / LockNotAvailable if a lock is held
        checked.append(password)
        return real_verify(password, password_hash)

    monkeypatch.setattr(users, "verify_password", verify_while_probing)
    assert users.authenticate(ctx, student.email, PASSWORD).id == student.id
    refusal(ctx, student.email, WRONG)
    assert checked == [PASSWORD, WRONG]


@pytest.mark.parametrize(("threshold", "counted", "is_locked"), [(5, 5, True), (20, 8, False)])
def test_concurrent_wrong_passwords_are_counted_exactly(
    ctx: AppContext, make_user, threshold: int, counted: int, is_locked: bool
):
    """8 threads of wrong passwords on one account: each failure counted once, the lock at the threshold;
    attempts that arrive once it is locked are refused without counting."""
    strict = with_settings(ctx, lockout_max_attempts=threshold, bcrypt_rounds=6)
    student = users.create_user(strict, email="crowd@example.com", name="Crowd", password=PASSWORD)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: refusal(strict, student.email, WRONG), range(8)))
    assert {code for code, _ in answers} == {ErrorCode.INVALID_CREDENTIALS}
    with ctx.db.session() as session:
        user = session.get(User, student.id)
        assert user.failed_attempts == counted
        assert (user.locked_until is not None) == is_locked
        locks = session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "user.locked"))
        assert locks == (1 if is_locked else 0)


def test_thirty_concurrent_sign_ins_all_succeed(settings, _sqlite_database):
    """A workshop signing in at once on SQLite: no "database is locked", every student gets in. (SQLite only:
    its single write lock was the problem; on PostgreSQL 30 connections would crowd a shared server.)"""
    _empty(_sqlite_database)
    ctx = AppContext(settings.model_copy(update={"database_url": _sqlite_database.url}), _sqlite_database)
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    with ctx.db.session() as session:
        session.add_all(User(email=f"s{n}@example.com", name=f"S {n}", role="student", password_hash=hashed)
                        for n in range(30))  # fmt: skip
    with ThreadPoolExecutor(30) as pool:
        actors = list(pool.map(lambda n: users.authenticate(ctx, f"s{n}@example.com", PASSWORD), range(30)))
    assert sorted(actor.email for actor in actors) == sorted(f"s{n}@example.com" for n in range(30))


def test_password_checks_beyond_one_per_core_wait_their_turn():
    """bcrypt runs without the GIL: a crowd's checks take turns on the cores instead of all sharing them at once."""
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    taken = 0
    try:
        for _ in range(users.PASSWORD_CHECKS_AT_ONCE):  # every lane taken, as by checks already running
            users.PASSWORD_LANES.acquire()
            taken += 1
        with ThreadPoolExecutor(1) as pool:
            waiting = pool.submit(users.verify_password, PASSWORD, hashed)
            time.sleep(0.3)
            assert not waiting.done()
            users.PASSWORD_LANES.release()  # one lane frees up: the waiting check runs
            taken -= 1
            assert waiting.result(timeout=5) is True
    finally:
        for _ in range(taken):
            users.PASSWORD_LANES.release()
