"""Journeys through the sign-in gate in real Chromium: register, sign out and in, remember-me cookie,
wrong password and lockout, role-based navigation."""

from __future__ import annotations

import uuid
from datetime import timedelta

from playwright.sync_api import expect

from core.access import Role
from core.db import utcnow
from core.models import User
from tests.e2e.conftest import PASSWORD
from tests.e2e.harness import StreamlitPage


def signed_in_as(app: StreamlitPage, name: str) -> None:
    expect(app.heading()).to_have_text(f"Welcome, {name}")


def signed_out(app: StreamlitPage) -> None:
    expect(app.heading()).to_have_text("InterviewPrep")
    expect(app.button("Sign in")).to_be_visible()


def test_register_lands_on_dashboard_then_sign_out_and_in_again(app):
    email = f"new-{uuid.uuid4().hex[:8]}@example.edu"
    app.register("Nadia Register", email, PASSWORD)
    signed_in_as(app, "Nadia Register")
    expect(app.nav().get_by_role("link", name="Job match", exact=True)).to_be_visible()

    app.sign_out()
    signed_out(app)

    app.sign_in(email.upper(), PASSWORD)
    signed_in_as(app, "Nadia Register")


def test_remember_me_cookie_keeps_the_user_signed_in_after_reload(app, new_user, e2e_ctx):
    student = new_user(name="Remy Cookie")
    app.sign_in(student.email, PASSWORD)
    signed_in_as(app, student.name)
    app.wait_for_cookie("interviewprep_auth")
    long_ago = utcnow() - timedelta(days=30)
    with e2e_ctx.db.session() as session:
        session.get(User, student.id).last_active_at = long_ago

    app.reload()
    signed_in_as(app, student.name)
    with e2e_ctx.db.session() as session:  # returning through the cookie is activity (the cohort dashboard shows it)
        assert session.get(User, student.id).last_active_at > utcnow() - timedelta(minutes=1)


def test_wrong_password_then_lockout_after_five_tries(app, new_user):
    student = new_user()
    for _ in range(5):
        app.sign_in(student.email, "Wrong-password-1")
        expect(app.alerts()).to_contain_text("Email or password is incorrect, or the account is locked for 15 minutes")

    app.sign_in(student.email, PASSWORD)  # locked: the same sentence, even for the right password
    expect(app.alerts()).to_contain_text("Email or password is incorrect, or the account is locked for 15 minutes")
    signed_out(app)


def test_student_cannot_reach_a_counselor_page_by_url(app, new_user):
    student = new_user()
    app.sign_in(student.email, PASSWORD)
    signed_in_as(app, student.name)
    expect(app.nav().get_by_text("Coach", exact=True)).to_have_count(0)

    app.open("/cohorts")  # a new session: still signed in through the cookie, but the page is not theirs
    expect(app.heading()).to_have_text("Not found")
    expect(app.alerts()).to_contain_text("This page was not found or is not yours.")
    expect(app.page.get_by_role("heading", name="Cohorts")).to_have_count(0)


def test_counselor_sees_the_coach_section(app, new_user):
    counselor = new_user(Role.COUNSELOR)
    app.sign_in(counselor.email, PASSWORD)
    signed_in_as(app, counselor.name)
    expect(app.nav().get_by_text("Coach", exact=True)).to_be_visible()
    expect(app.nav().get_by_role("link", name="Job match", exact=True)).to_have_count(0)

    app.go_to("Cohorts")
    expect(app.heading()).to_contain_text("Cohorts")
