"""Remember-me cookies can be revoked (issue #21, holes 3 and 4), in real Chromium: a cookie captured from
one browser works in another until the user signs out, has the password reset by an admin, is disabled, or
the e-mail is re-registered by someone else; then that browser gets the sign-in form (and loses the cookie),
never an error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from core.access import Role
from core.accounts import admin, privacy, users
from tests.e2e.conftest import PASSWORD
from tests.e2e.harness import StreamlitPage

COOKIE = "interviewprep_auth"


def signed_in_as(app: StreamlitPage, name: str) -> None:
    expect(app.heading()).to_have_text(f"Welcome, {name}")


def signed_out(app: StreamlitPage) -> None:
    expect(app.heading()).to_have_text("InterviewPrep")
    expect(app.button("Sign in")).to_be_visible()
    expect(app.page.get_by_test_id("stException")).to_have_count(0)


def captured_cookie(app: StreamlitPage, email: str, name: str) -> dict[str, Any]:
    app.sign_in(email, PASSWORD)
    signed_in_as(app, name)
    app.wait_for_cookie(COOKIE)
    return next(cookie for cookie in app.page.context.cookies() if cookie["name"] == COOKIE)


def replay(new_tab: Callable[..., StreamlitPage], cookie: dict[str, Any]) -> StreamlitPage:
    """Another browser that only has the captured cookie."""
    thief = new_tab()
    thief.page.context.add_cookies([cookie])
    return thief.reload()


def assert_refused_and_cleared(thief: StreamlitPage) -> None:
    signed_out(thief)
    deadline = 100
    while COOKIE in thief.cookie_names() and deadline:  # cleared by a browser-side component after the run
        thief.page.wait_for_timeout(100)
        deadline -= 1
    assert COOKIE not in thief.cookie_names()


def test_a_captured_cookie_stops_working_after_sign_out(app, new_tab, new_user):
    student = new_user(name="Sam Signout")
    cookie = captured_cookie(app, student.email, student.name)
    signed_in_as(replay(new_tab, cookie), student.name)  # the copy works while the session is current

    app.sign_out()
    signed_out(app)
    assert_refused_and_cleared(replay(new_tab, cookie))


def test_a_captured_cookie_stops_working_after_an_admin_resets_the_password(app, new_tab, new_user, e2e_ctx):
    student, staff = new_user(name="Rita Reset"), new_user(Role.ADMIN)
    cookie = captured_cookie(app, student.email, student.name)
    admin.reset_password(e2e_ctx, staff, student.id, "Temporary-pass-77")
    assert_refused_and_cleared(replay(new_tab, cookie))
    app.reload()  # the original browser is signed out on its next run as well
    signed_out(app)


def test_a_disabled_users_cookie_shows_the_sign_in_form(app, new_tab, new_user, e2e_ctx):
    student, staff = new_user(name="Dora Disabled"), new_user(Role.ADMIN)
    cookie = captured_cookie(app, student.email, student.name)
    admin.set_locked(e2e_ctx, staff, student.id, True)
    assert_refused_and_cleared(replay(new_tab, cookie))


def test_a_cookie_does_not_sign_in_a_re_registered_email(app, new_tab, new_user, e2e_ctx):
    student = new_user(name="Eve Erased")
    cookie = captured_cookie(app, student.email, student.name)
    privacy.delete_account(e2e_ctx, student, confirm_email=student.email)
    newcomer = users.create_user(e2e_ctx, email=student.email, name="Nora Newcomer", password=PASSWORD)
    assert newcomer.id != student.id
    assert_refused_and_cleared(replay(new_tab, cookie))


def test_the_cookie_is_secure_when_served_over_https(new_tab, new_user):
    student = new_user(name="Tess Tls")
    tab = new_tab(extra_http_headers={"X-Forwarded-Proto": "https"})  # as the TLS-terminating proxy sends it
    cookie = captured_cookie(tab, student.email, student.name)
    assert cookie["secure"] is True
