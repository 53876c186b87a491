"""Journey in real Chromium: a counselor finds the weakest student of a cohort on the dashboard, opens them and
leaves a note; the student, at another computer, reads it on My cohorts."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from core.access import Actor, Role
from core.coaching import cohorts
from tests.e2e.conftest import PASSWORD, matched

STUDENTS = {  # name -> CV; a data analyst, a backend engineer and a designer matched against a data analyst job
    "Aisha Cohort": "02_aisha_mohammed.pdf",
    "Marcus Cohort": "01_marcus_bell.pdf",
    "Rafael Cohort": "15_rafael_duran.txt",
}


def test_counselor_finds_the_weakest_student_and_leaves_a_note_they_read(app, new_tab, new_user, e2e_ctx):
    counselor = new_user(Role.COUNSELOR, name="Cora Counselor")
    cohort = cohorts.create_cohort(e2e_ctx, counselor, name=f"Analysts {uuid.uuid4().hex[:6]}", term="Spring")
    scores: dict[Actor, int] = {}
    for name, cv_file in STUDENTS.items():
        student = new_user(name=name)
        cohorts.join_cohort(e2e_ctx, student, cohort.invite_code, consent=True)
        scores[student] = matched(e2e_ctx, student, cv_file)
    weakest = min(scores, key=scores.get)
    page = app.page

    app.sign_in(counselor.email, PASSWORD)
    app.go_to("Cohorts")
    expect(app.metric("Students")).to_have_text(str(len(STUDENTS)))
    table = page.get_by_test_id("stDataFrame")
    expect(table).to_be_visible()
    # The grid is drawn on a canvas; its accessible copy (hidden) holds the cells, weakest student first.
    first_row = table.get_by_role("row", include_hidden=True).nth(1)
    expect(first_row.get_by_role("gridcell", include_hidden=True).first).to_have_text(weakest.name)
    expect(page.get_by_role("combobox", name="Open a student")).to_have_value(f"{weakest.name} ({weakest.email})")
    app.click("Open student view")

    expect(page.get_by_role("heading", name=weakest.name)).to_be_visible()
    expect(app.metric("Best ATS")).to_have_text(str(scores[weakest]))
    app.tab("Reports")
    reports = page.get_by_role("tabpanel", name="Reports")
    expect(reports.get_by_role("heading", name="Data Analyst")).to_be_visible()
    expect(reports.get_by_test_id("stPlotlyChart").first).to_be_visible()
    app.tab("Notes")
    note = f"Add one SQL project with numbers to your CV before Friday. ({uuid.uuid4().hex[:4]})"
    app.fill("Note for the student", note)
    app.click("Save note")
    expect(page.get_by_text("Saved. The student can read it now.")).to_be_visible()

    student_tab = new_tab()
    student_tab.sign_in(weakest.email, PASSWORD)
    student_tab.go_to("My cohorts")
    expect(student_tab.page.get_by_text(cohort.name)).to_be_visible()
    expect(student_tab.page.get_by_text(note)).to_be_visible()
    expect(student_tab.page.get_by_text(f"· {counselor.name} · General")).to_be_visible()
    student_tab.step("note read")
