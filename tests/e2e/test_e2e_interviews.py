"""Journey in real Chromium: a student takes a practice interview, leaves and resumes it, finishes it, and
finds the scores on Progress."""

from __future__ import annotations

from playwright.sync_api import expect

from core.student import cvs, interviews
from tests.conftest import CORPUS
from tests.e2e.conftest import PASSWORD
from tests.services.test_interviews import CV_FILE, strong_answer


def test_practice_interview_from_start_to_progress(app, new_user, e2e_ctx):
    student = new_user(name="Carla Practice")
    cvs.upload_cv(e2e_ctx, student, CV_FILE, (CORPUS / "resumes" / CV_FILE).read_bytes())
    app.sign_in(student.email, PASSWORD)
    app.go_to("Interviews")
    expect(app.page.get_by_text("Video interviews are off.")).to_be_visible()  # no Tavus key on this server
    app.click("Start interview")
    expect(app.page.get_by_text("has started. 2 credits used.")).to_be_visible()

    [summary] = interviews.list_interviews(e2e_ctx, student)
    questions = interviews.get_interview(e2e_ctx, student, summary.id).questions
    for number, question in enumerate(questions, 1):
        expect(app.page.get_by_text(f"Question {number} of {len(questions)}")).to_be_visible()
        app.fill("Your answer", strong_answer(question))
        app.click("Submit answer")
        expect(app.page.get_by_text("Answer score:")).to_be_visible()
        if number == 2:  # leave half-way, come back later
            app.click("Leave and resume later")
            app.go_to("Dashboard").go_to("Interviews")
            app.click("Resume interview")
        app.click("Next question")

    expect(app.page.get_by_text("You answered every question")).to_be_visible()
    app.click("Finish and see results")
    done = interviews.get_interview(e2e_ctx, student, summary.id)
    expect(app.page.get_by_text("Interview complete:")).to_be_visible()
    overall_label = app.page.get_by_test_id("stMetricLabel").get_by_text("Overall", exact=True)
    overall = app.page.get_by_test_id("stMetric").filter(has=overall_label).first
    expect(overall).to_contain_text(str(done.result["overall"]))

    app.go_to("Progress")
    expect(app.page.get_by_text(f"Practice interview for {done.job_title}: completed")).to_be_visible()
    app.step("progress with the interview")
