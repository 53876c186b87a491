"""At phone width (390 px) in real Chromium: each role reaches every one of its pages through the collapsed
sidebar, and no page scrolls sideways or shows an error; a student reviews a flashcard with their thumb."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from core.access import Role
from core.coaching import cohorts
from core.student import deck
from core.ui.navigation import pages_for
from tests.e2e.conftest import PASSWORD, matched
from tests.e2e.harness import PHONE, StreamlitPage

FITS_JS = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  return main.scrollWidth <= main.clientWidth;
}"""


def visit_every_page(app: StreamlitPage, role: Role, name: str) -> None:
    for spec in (spec for specs in pages_for(role).values() for spec in specs):
        app.go_to(spec.title)
        expect(app.heading()).to_have_text(f"Welcome, {name}" if spec.title == "Dashboard" else spec.title)
        expect(app.page.get_by_test_id("stException")).to_have_count(0)
        expect(app.alerts()).to_have_count(0)
        try:  # charts first draw at a default width, then fit the screen
            app.page.wait_for_function(FITS_JS, timeout=5000)
        except PlaywrightTimeout:
            pytest.fail(f"{spec.title} scrolls sideways on a phone")


def test_student_on_a_phone_uses_every_page_and_reviews_a_card(new_tab, new_user, e2e_ctx):
    student = new_user(name="Pia Phone")
    matched(e2e_ctx, student, "08_priya_raman.pdf")
    app = new_tab(**PHONE)
    app.sign_in(student.email, PASSWORD)
    expect(app.page.get_by_test_id("stExpandSidebarButton")).to_be_visible()  # a phone starts with it closed

    visit_every_page(app, Role.STUDENT, student.name)

    app.go_to("Flashcards")
    due = len(deck.due_cards(e2e_ctx, student))
    app.click("Show answer")
    app.act(app.page.get_by_role("button", name=re.compile(r"^Easy · ")).filter(visible=True).click)  # "Easy · 3 d"
    expect(app.metric("Due now")).to_have_text(str(due - 1))


@pytest.mark.parametrize("role", [Role.COUNSELOR, Role.ADMIN])
def test_staff_on_a_phone_reach_every_page(role, new_tab, new_user, e2e_ctx):
    staff = new_user(role)
    cohort = cohorts.create_cohort(e2e_ctx, staff, name=f"Phone cohort of {staff.name}")
    student = new_user()
    cohorts.join_cohort(e2e_ctx, student, cohort.invite_code, consent=True)
    matched(e2e_ctx, student, "01_marcus_bell.pdf")
    app = new_tab(**PHONE)
    app.sign_in(staff.email, PASSWORD)

    visit_every_page(app, role, staff.name)
