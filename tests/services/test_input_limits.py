"""Over-long, NUL-bearing and out-of-range input gets INVALID_INPUT with a sentence, on SQLite and on
PostgreSQL, instead of reaching PostgreSQL as an unhandled DataError (issue #21, hole 13)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.access import Role
from core.accounts import admin, tokens, users
from core.billing import grants, ledger
from core.coaching import cohorts, notes
from core.context import AppContext
from core.errors import AppError, ErrorCode
from core.input_limits import MAX_CREDITS
from core.student import jobs
from tests.conftest import PASSWORD

JD = "Data analyst. We need SQL, Python and Tableau; 2+ years of experience."


def refused(call: Callable[[], object]) -> str:
    with pytest.raises(AppError) as caught:
        call()
    assert caught.value.code == ErrorCode.INVALID_INPUT, caught.value
    return caught.value.message


@pytest.mark.parametrize(
    ("email", "name", "said"),
    [
        ("a" * 320 + "@example.com", "Long Mail", "e-mail address is too long"),
        ("nul\x00@example.com", "Nul Mail", "NUL character"),
        ("ok@example.com", "N" * 201, "name is too long: at most 200"),
        ("ok@example.com", "Ana\x00Lopez", "NUL character"),
        ("ok@example.com", "Ana \ud800", "not valid text"),
    ],
)
def test_registration_checks_the_columns(ctx: AppContext, email: str, name: str, said: str):
    assert said in refused(lambda: users.create_user(ctx, email=email, name=name, password=PASSWORD))


def test_look_ups_with_impossible_emails_find_nobody(ctx: AppContext, make_user):
    make_user(email="real@example.com")
    for email in ("real\x00@example.com", "x" * 400 + "@example.com"):
        with pytest.raises(AppError) as caught:
            users.authenticate(ctx, email, PASSWORD)
        assert caught.value.code == ErrorCode.INVALID_CREDENTIALS
        assert users.load_actor_by_email(ctx, email) is None
    staff = make_user(Role.ADMIN)
    with pytest.raises(AppError) as caught:
        grants.grant(ctx, staff, email="real\x00@example.com", credits=1, reason="Gift")
    assert caught.value.code == ErrorCode.NOT_FOUND
    assert "NUL" in refused(lambda: admin.search_users(ctx, staff, "real\x00"))
    assert "NUL" in refused(
        lambda: users.create_user(ctx, email="p@example.com", name="P", password="Pass\x00word-123")
    )


def test_cohort_note_job_and_token_text(ctx: AppContext, make_user):
    counselor, student = make_user(Role.COUNSELOR), make_user()
    assert "NUL" in refused(lambda: cohorts.create_cohort(ctx, counselor, name="Data\x00 2027"))
    assert "at most 200" in refused(lambda: cohorts.create_cohort(ctx, counselor, name="C" * 201))
    assert "at most 100" in refused(lambda: cohorts.create_cohort(ctx, counselor, name="Fine", term="T" * 101))
    cohort = cohorts.create_cohort(ctx, counselor, name="Data 2027")
    cohorts.join_cohort(ctx, student, cohort.invite_code, consent=True)
    assert "NUL" in refused(lambda: cohorts.publish_job(ctx, counselor, cohort.id, "Analyst", "", JD + "\x00"))
    assert "NUL" in refused(lambda: cohorts.publish_job(ctx, counselor, cohort.id, "Ana\x00lyst", "", JD))
    assert "NUL" in refused(lambda: notes.add_note(ctx, counselor, student.id, "Good\x00 work"))
    assert "NUL" in refused(lambda: jobs.save_job(ctx, student, title="Analyst", text=JD + "\x00"))
    assert "NUL" in refused(lambda: jobs.save_job(ctx, student, title="Ana\x00lyst", text=JD))
    assert "NUL" in refused(lambda: jobs.save_job(ctx, student, title="Analyst", text=JD, company="A\x00B"))
    assert "NUL" in refused(lambda: tokens.create_token(ctx, student, "laptop\x00", 30))
    assert jobs.save_job(ctx, student, title="T" * 500, text=JD).title == "T" * 200  # long titles still shorten


def test_amounts_beyond_any_real_use_are_refused(ctx: AppContext, make_user):
    student, staff = make_user(), make_user(Role.ADMIN)
    for amount in (10**12, MAX_CREDITS + 1):
        assert "at most" in refused(lambda amount=amount: ledger.charge(ctx, student, amount, "Huge"))
    assert "at most" in refused(lambda: grants.grant(ctx, staff, email=student.email, credits=10**12, reason="Gift"))
    assert "NUL" in refused(lambda: grants.grant(ctx, staff, email=student.email, credits=1, reason="Gi\x00ft"))
    assert ledger.balance(ctx, student) == 10
