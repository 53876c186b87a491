"""AppTest of Job match: the full flow, reopening for free, insufficient credits, a deleted CV, an empty JD."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core import analyses, billing, cvs, jobs
from core.accounts import Role
from core.models import Analysis
from tests.conftest import CORPUS

PAGE = "app_pages/job_match.py"
CV_FILE = "07_carla_mendes.txt"
JD_TEXT = (CORPUS / "jds" / "05_data_analyst.txt").read_text(encoding="utf-8")


def upload(ctx, actor, name: str = CV_FILE) -> cvs.CVRecord:
    return cvs.upload_cv(ctx, actor, name, (CORPUS / "resumes" / name).read_bytes())


def texts(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


def analysis_rows(ctx) -> int:
    with ctx.db.session() as session:
        return session.scalar(select(func.count(Analysis.id)))


def paste_and_run(at: AppTest, text: str, title: str = "") -> AppTest:
    at.get("button_group")[0].set_value("Paste a job").run()
    at.text_input(key="jm_title").input(title)
    at.text_area(key="jm_text").input(text)
    at.button(key=next(b.key for b in at.button if b.label == "Run match")).click()
    return at.run()


def run_button(at: AppTest):
    return next(b for b in at.button if b.label == "Run match")


def test_student_without_a_cv_is_sent_to_my_cvs(open_app, make_user) -> None:
    at = open_app(make_user(), page=PAGE)
    assert not at.exception
    assert any("Upload a CV first" in info for info in texts(at, "info"))


def test_full_flow_pasted_job_report_downloads_and_free_reopen(open_app, make_user, app_env) -> None:
    student = make_user()
    cv = upload(app_env, student)
    at = open_app(student, page=PAGE)
    assert not at.exception
    assert at.selectbox(key="jm_cv").value == cv.id  # the default CV is preselected
    assert any("A match costs 1 credit; you have 10." in c for c in texts(at, "caption"))

    at = paste_and_run(at, JD_TEXT, "Data Analyst")
    assert not at.exception, at.exception
    [summary] = analyses.list_analyses(app_env, student)
    record = analyses.get_analysis(app_env, student, summary.id)
    assert any(f"{record.overall_score} / 100" in s for s in texts(at, "success"))
    assert billing.balance(app_env, student) == 9
    # The report: gauge and breakdown charts, chips, insights, flashcards, evidence, downloads.
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert charts[0]["data"][0]["type"] == "indicator" and charts[0]["data"][0]["value"] == record.overall_score
    assert charts[1]["data"][0]["type"] == "bar"
    markdown = " ".join(texts(at, "markdown"))
    assert ":green-badge[sql]" in markdown  # a required skill Carla has
    assert "new cards were added to your deck" in " ".join(texts(at, "caption"))
    assert {e.label for e in at.expander} >= {f"Skills: {record.breakdown['skills_match']} / 100"}
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Download PDF", "Download Markdown", "Download JSON"]

    # Reopening a past report costs nothing.
    at = open_app(student, page=PAGE)
    assert "jm_open" not in at.session_state
    at.button(key=f"jm_open_{record.id}").click().run()
    assert not at.exception
    assert at.subheader[0].value == "Data Analyst"
    assert billing.balance(app_env, student) == 9


def test_catalogue_job_run(open_app, make_user, app_env) -> None:
    student = make_user()
    upload(app_env, student)
    at = open_app(student, page=PAGE)
    at.text_input(key="jm_query").input("data analyst").run()
    at.selectbox(key="jm_catalogue").select("data_analyst_mumbai").run()
    run_button(at).click().run()
    assert not at.exception
    [saved] = jobs.list_jobs(app_env, student)
    assert (saved.source, saved.title) == ("catalogue", "Data Analyst")
    [record] = analyses.list_analyses(app_env, student)
    assert record.job_title == "Data Analyst"


def test_insufficient_credits_shows_wallet_link_and_stores_nothing(open_app, make_user, app_env) -> None:
    student = make_user()
    upload(app_env, student)
    billing.charge(app_env, student, app_env.settings.welcome_credits, "spent elsewhere")
    at = paste_and_run(open_app(student, page=PAGE), JD_TEXT)
    assert not at.exception
    assert any("This needs 1 credit and you have 0" in e for e in texts(at, "error")), texts(at, "error")
    assert any(link.proto.page == "app_pages/wallet.py" or "Wallet" in link.proto.label
               for link in at.get("page_link"))  # fmt: skip
    assert analysis_rows(app_env) == 0
    assert billing.balance(app_env, student) == 0


def test_empty_job_description_is_refused_without_charge(open_app, make_user, app_env) -> None:
    student = make_user()
    upload(app_env, student)
    at = paste_and_run(open_app(student, page=PAGE), "   \n  ")
    assert not at.exception
    assert any("Add a job description first" in e for e in texts(at, "error")), texts(at, "error")
    assert at.status[0].proto.label == "No report was made"
    assert analysis_rows(app_env) == 0
    assert billing.balance(app_env, student) == app_env.settings.welcome_credits


def test_cv_deleted_after_the_page_was_drawn(open_app, make_user, app_env) -> None:
    """The student deletes the CV in another tab, then presses Run on the page drawn before."""
    student = make_user()
    cv = upload(app_env, student)
    at = open_app(student, page=PAGE)
    at.get("button_group")[0].set_value("Catalogue").run()
    cvs.delete_cv(app_env, student, cv.id)
    run_button(at).click().run()
    assert not at.exception
    assert any("That CV was deleted" in e for e in texts(at, "error")), texts(at, "error")
    assert analysis_rows(app_env) == 0
    assert billing.balance(app_env, student) == app_env.settings.welcome_credits


def test_report_of_a_deleted_cv_still_opens(open_app, make_user, app_env) -> None:
    student = make_user()
    cv = upload(app_env, student)
    record = analyses.run_analysis(app_env, student, cv.id, pasted_text=JD_TEXT)
    cvs.delete_cv(app_env, student, cv.id)
    at = open_app(student, page=PAGE)
    assert any(f"{CV_FILE} (CV deleted)" in md for md in texts(at, "markdown"))
    at.button(key=f"jm_open_{record.id}").click().run()
    assert not at.exception
    assert any(f"CV: {CV_FILE} (CV deleted)" in c for c in texts(at, "caption"))


def test_counselor_cannot_open_job_match(open_app, make_user) -> None:
    at = open_app(make_user(role=Role.COUNSELOR))
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page(PAGE)


def test_saved_job_is_the_default_source(open_app, make_user, app_env) -> None:
    student = make_user()
    upload(app_env, student)
    job = jobs.save_job(app_env, student, title="Analyst at Acme", text=JD_TEXT)
    at = open_app(student, page=PAGE)
    assert at.get("button_group")[0].value == "My jobs"
    assert at.selectbox(key="jm_job").value == job.id
    run_button(at).click().run()
    assert not at.exception
    [record] = analyses.list_analyses(app_env, student)
    assert record.job_title == "Analyst at Acme"
