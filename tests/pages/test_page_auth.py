"""AppTest of the sign-in gate: sign in, register, wrong password, lockout, sign out, and role navigation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from core.access import Role
from core.ui.navigation import PAGES
from tests.conftest import PASSWORD


def submit_sign_in(at: AppTest, email: str, password: str) -> AppTest:
    email_box, password_box = (box for box in at.text_input if box.key is None)
    email_box.input(email)
    password_box.input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    return at.run()


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def test_signed_out_visitor_sees_only_sign_in(open_app):
    at = open_app()
    assert not at.exception
    assert [t.value for t in at.title] == ["InterviewPrep"]
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page("app_pages/dashboard.py")


def test_sign_in_with_any_email_case_shows_dashboard(open_app, make_user):
    student = make_user(email="ana@example.com", name="Ana Lopez")
    at = submit_sign_in(open_app(), "ANA@example.com ", PASSWORD)
    assert not at.exception
    assert at.title[0].value == "Welcome, Ana Lopez"
    assert "Signed in as Student" in [c.value for c in at.caption]
    assert at.session_state["actor"].id == student.id


def test_wrong_password_then_lockout(open_app, make_user):
    make_user(email="lock@example.com")
    at = open_app()
    refusal = ("Email or password is incorrect, or the account is locked for 15 minutes after 5 failed sign-in "
               "attempts in a row.")  # fmt: skip
    after = ["", " 3 attempts left before a 15-minute lockout.", " 2 attempts left before a 15-minute lockout.",
             " 1 attempt left before a 15-minute lockout.",
             " If this e-mail has an account, it is now locked for 15 minutes."]  # fmt: skip
    for tail in after:
        submit_sign_in(at, "lock@example.com", "Wrong-password-1")
        assert errors(at) == [refusal + tail]
    submit_sign_in(at, "lock@example.com", PASSWORD)  # locked now: the same sentence, even for the right password
    assert errors(at) == [refusal]
    assert [t.value for t in at.title] == ["InterviewPrep"]


def test_unknown_email_counts_down_the_same_way(open_app):
    """The countdown is this browser's own count, so it cannot tell which e-mails have accounts."""
    at = open_app()
    for _ in range(2):
        submit_sign_in(at, "nobody@example.com", "Wrong-password-1")
    assert errors(at)[0].endswith(" 3 attempts left before a 15-minute lockout.")


def test_register_signs_the_new_student_in(open_app, app_env):
    at = open_app()
    at.text_input(key="register_name").input("New Student")
    at.text_input(key="register_email").input("new@example.com")
    at.text_input(key="register_password").input(PASSWORD)
    at.text_input(key="register_repeat").input(PASSWORD)
    next(b for b in at.button if b.label == "Create account").click()
    at.run()
    assert not at.exception
    assert at.title[0].value == "Welcome, New Student"


def test_register_weak_password_is_explained(open_app):
    at = open_app()
    at.text_input(key="register_name").input("Weak")
    at.text_input(key="register_email").input("weak@example.com")
    at.text_input(key="register_password").input("short")
    at.text_input(key="register_repeat").input("short")
    next(b for b in at.button if b.label == "Create account").click()
    at.run()
    assert any("Password needs at least 10 characters" in e for e in errors(at))


def test_sign_out_returns_to_sign_in(open_app, make_user):
    at = open_app(make_user())
    at.sidebar.button(key="sign_out").click()
    at.run()
    assert [t.value for t in at.title] == ["InterviewPrep"]
    at.run()
    assert [t.value for t in at.title] == ["InterviewPrep"]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_its_pages(open_app, make_user, role):
    at = open_app(make_user(role))
    for spec in PAGES:
        if role in spec.roles:
            at.switch_page(spec.path).run()
            assert not at.exception, (spec.path, at.exception)
        else:
            with pytest.raises(ValueError, match="Could not find"):
                at.switch_page(spec.path)


def test_deleted_user_is_signed_out_on_next_run(open_app, make_user, app_env):
    from core.models import User

    student = make_user()
    at = open_app(student)
    with app_env.db.session() as s:
        s.delete(s.get(User, student.id))
    at.run()
    assert [t.value for t in at.title] == ["InterviewPrep"]


def test_every_session_counts_as_activity_once_whatever_the_way_in(open_app, make_user, app_env):
    """The remember-me cookie (like SSO) signs a session in without the password form, leaving exactly the
    session state open_app presets; the first run of the session must record the student as active."""
    from core.coaching import cohorts, dashboard
    from core.db import utcnow
    from core.models import User

    counselor, student = make_user(Role.COUNSELOR), make_user()
    cohort = cohorts.create_cohort(app_env, counselor, name="CS")
    cohorts.join_cohort(app_env, student, cohort.invite_code, consent=True)
    long_ago = utcnow() - timedelta(days=30)

    def set_last_active(when: datetime) -> None:
        with app_env.db.session() as s:
            s.get(User, student.id).last_active_at = when

    def last_active() -> datetime | None:
        with app_env.db.session() as s:
            return s.get(User, student.id).last_active_at

    set_last_active(long_ago)
    board = dashboard.cohort_dashboard(app_env, counselor, cohort.id)
    assert board.headline.active_7d == 0 and len(dashboard.filter_students(board.students, inactive_days=14)) == 1

    at = open_app(student)
    assert not at.exception
    assert last_active() > utcnow() - timedelta(minutes=1)
    board = dashboard.cohort_dashboard(app_env, counselor, cohort.id)
    assert board.headline.active_7d == 1 and dashboard.filter_students(board.students, inactive_days=14) == []

    set_last_active(long_ago)
    at.run()  # the same session again: recorded once per session, not on every click
    assert last_active() == long_ago


def test_changing_the_password_keeps_this_session_and_ends_the_others(open_app, make_user):
    """A password change ends every session of the account (a stolen cookie too) except the one that made it."""
    student = make_user(name="Pat Change")
    here, elsewhere = open_app(student, "app_pages/account.py"), open_app(student)
    form = [box for box in here.text_input if box.label in ("Current password", "New password", "Repeat new password")]
    for box, value in zip(form, (PASSWORD, "Brand-new-pass-9", "Brand-new-pass-9"), strict=True):
        box.input(value)
    next(b for b in here.button if b.label == "Change password").click()
    here.run()
    assert "Password changed." in [s.value for s in here.success]
    here.run()
    assert [t.value for t in here.title] == ["Account"]  # still signed in
    elsewhere.run()
    assert [t.value for t in elsewhere.title] == ["InterviewPrep"]  # the other session is signed out


def test_signing_out_ends_the_other_sessions_of_the_account(open_app, make_user):
    student = make_user(name="Sid Out")
    here, elsewhere = open_app(student), open_app(student)
    next(b for b in here.button if b.label == "Sign out").click()
    here.run()
    elsewhere.run()
    assert [t.value for t in elsewhere.title] == ["InterviewPrep"]
