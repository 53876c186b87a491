"""Deep links in real Chromium: a reload keeps every page of every role, and a shared `/student?student=N` link
opens after sign-in for that student's counselor and is refused, naming no one, for another counselor."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.access import Role
from core.coaching import cohorts
from core.ui.navigation import pages_for
from tests.e2e.conftest import PASSWORD, matched
from tests.e2e.harness import StreamlitPage


def path_of(app: StreamlitPage) -> str:
    return app.page.url.removeprefix(app.base_url)


@pytest.mark.parametrize("role", [Role.STUDENT, Role.COUNSELOR, Role.ADMIN])
def test_reload_stays_on_every_page_of_each_role(role, app, new_user):
    user = new_user(role)
    app.sign_in(user.email, PASSWORD)
    expect(app.heading()).to_have_text(f"Welcome, {user.name}")
    app.wait_for_cookie("interviewprep_auth")
    for spec in (spec for specs in pages_for(role).values() for spec in specs):
        app.go_to(spec.title)
        heading = app.heading().inner_text()
        where = path_of(app)
        assert where in ("/", f"/{spec.url_path}"), f"{spec.title} is at {where}"
        app.reload()  # a new session: the remember-me cookie signs in again, the URL names the page
        expect(app.heading()).to_have_text(heading)
        assert path_of(app) == where, f"reloading {spec.title} moved to {path_of(app)}"
        if spec.title != "Dashboard":
            expect(app.heading()).not_to_have_text(re.compile("^Welcome"))


def test_shared_student_link_opens_for_their_counselor_after_sign_in_and_not_for_another(new_tab, new_user, e2e_ctx):
    counselor, stranger = new_user(Role.COUNSELOR), new_user(Role.COUNSELOR)
    cohort = cohorts.create_cohort(e2e_ctx, counselor, name="Linked cohort")
    student = new_user(name="Lina Linked")
    cohorts.join_cohort(e2e_ctx, student, cohort.invite_code, consent=True)
    score = matched(e2e_ctx, student, "02_aisha_mohammed.pdf")
    link = f"/student?student={student.id}"

    theirs = new_tab().open(link)
    expect(theirs.heading()).to_have_text("InterviewPrep")  # signed out: the sign-in form, at the shared address
    assert path_of(theirs) == link
    theirs.sign_in(counselor.email, PASSWORD)
    expect(theirs.heading()).to_have_text("Student view")
    expect(theirs.page.get_by_role("heading", name=student.name)).to_be_visible()
    expect(theirs.metric("Best ATS")).to_have_text(str(score))
    assert path_of(theirs) == link

    other = new_tab().open(link)
    other.sign_in(stranger.email, PASSWORD)
    expect(other.heading()).to_have_text("Student view")
    expect(other.alerts()).to_contain_text("This student was not found or is not yours.")
    expect(other.page.get_by_text(student.name)).to_have_count(0)
    expect(other.page.get_by_text(student.email)).to_have_count(0)


def test_another_roles_page_by_url_is_not_found_or_not_yours(app, new_user):
    student = new_user()
    app.open("/admin_users")
    app.sign_in(student.email, PASSWORD)
    expect(app.heading()).to_have_text("Not found")
    expect(app.alerts()).to_contain_text("This page was not found or is not yours.")
    expect(app.page.get_by_text("Users", exact=True)).to_have_count(0)


def test_the_favicon_is_served_by_the_app_itself(app):
    icon = app.page.locator("link[rel~='icon']").first
    href = icon.get_attribute("href") or ""
    assert (href and not href.startswith(("http://", "https://"))) or href.startswith(app.base_url), href
    response = app.page.request.get(href if href.startswith("http") else app.base_url + "/" + href.lstrip("./"))
    assert response.ok and response.headers["content-type"].startswith("image/")
