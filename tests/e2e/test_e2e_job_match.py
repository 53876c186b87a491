"""Journey in real Chromium: a student uploads a CV, matches it against a catalogue job, sees the ATS charts,
downloads the PDF report, reviews one of the new flashcards, and finds it all on Progress."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from core.student import analyses, deck
from tests.conftest import CORPUS
from tests.e2e.conftest import PASSWORD

CV = CORPUS / "resumes" / "02_aisha_mohammed.pdf"
ROLE = "Data Analyst — Harbourline Retail · Mumbai, India"


def test_upload_match_download_review_and_progress(app, new_user, e2e_ctx):
    student = new_user(name="Aisha Journey")
    page = app.page
    app.sign_in(student.email, PASSWORD)

    app.go_to("My CVs")
    expect(page.get_by_text("You have no CVs yet.")).to_be_visible()
    app.upload("Upload a CV", CV)
    expect(page.get_by_text(f"Added {CV.name}.")).to_be_visible()

    app.go_to("Job match")
    app.choose("Job", "Catalogue")
    app.fill("Search roles by title or skill", "data analyst")
    app.choose("Catalogue role", ROLE)
    expect(page.get_by_text("A match costs 1 credit; you have 10.")).to_be_visible()
    app.click("Run match")
    [report] = analyses.list_analyses(e2e_ctx, student)
    expect(page.get_by_text(f"Your report for Data Analyst is ready: {report.overall_score} / 100.")).to_be_visible()
    charts = page.get_by_test_id("stPlotlyChart")
    expect(charts).to_have_count(2)  # Plotly loads lazily, after the run
    gauge, bars = charts.all()
    expect(gauge.locator(".main-svg").first).to_be_visible()
    expect(gauge).to_contain_text(f"{report.overall_score} / 100")
    expect(bars).to_contain_text("Score breakdown")
    app.step("report")

    pdf = app.download("Download PDF")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5_000, f"{len(pdf)} bytes starting {pdf[:8]!r}"
    markdown = app.download("Download Markdown").decode()  # made on click, like the PDF
    assert markdown.startswith("# ATS report: Data Analyst"), markdown[:80]
    assert json.loads(app.download("Download JSON"))["ats_score"]["overall_score"] == report.overall_score

    app.go_to("Flashcards")
    due = deck.due_cards(e2e_ctx, student)
    assert due, "a job match adds flashcards that are due at once"
    expect(app.metric("Due now")).to_have_text(str(len(due)))
    review = page.get_by_role("tabpanel", name="Review")
    expect(review.get_by_role("heading", name=due[0].front)).to_be_visible()
    app.click("Show answer")
    expect(review.get_by_text(due[0].back)).to_be_visible()
    app.act(app.page.get_by_role("button", name=re.compile(r"^Good · ")).filter(visible=True).click)  # "Good · 3 d"
    expect(app.metric("Due now")).to_have_text(str(len(due) - 1))

    app.go_to("Progress")
    expect(page.get_by_text(f"Job match for Data Analyst: ATS score {report.overall_score}")).to_be_visible()
    expect(page.get_by_text("Reviewed 1 flashcard", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    app.step("progress")
