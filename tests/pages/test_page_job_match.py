"""AppTest of Job match: the full flow, reopening for free, a model that words the report or fails, insufficient
credits, a deleted CV, an empty JD."""

from __future__ import annotations

import io
import json

import pypdf
import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.access import Role
from core.billing import ledger
from core.engine.explain import explain
from core.models import Analysis
from core.student import analyses, cvs, jobs, report_export
from tests.conftest import CORPUS
from tests.fakes.openai_server import API_KEY, answer, error
from tests.pages.shown import texts

PAGE = "app_pages/job_match.py"
CV_FILE = "07_carla_mendes.txt"
JD_TEXT = (CORPUS / "jds" / "05_data_analyst.txt").read_text(encoding="utf-8")


def upload(ctx, actor, name: str = CV_FILE) -> cvs.CVRecord:
    return cvs.upload_cv(ctx, actor, name, (CORPUS / "resumes" / name).read_bytes())


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
    assert ledger.balance(app_env, student) == 9
    # The report: gauge and breakdown charts, chips, insights, flashcards, evidence, downloads.
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert charts[0]["data"][0]["type"] == "indicator" and charts[0]["data"][0]["value"] == record.overall_score
    assert charts[1]["data"][0]["type"] == "bar"
    markdown = " ".join(texts(at, "markdown"))
    assert ":green-badge[sql]" in markdown  # a required skill Carla has
    assert markdown.index("**Required** — on your CV") < markdown.index("**Preferred** — on your CV")
    analysis = record.report.analysis
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Experience"] == f"{analysis.experience_match.candidate_years:g} years"
    assert metrics["Education"] == (analysis.education_match.candidate or "none").replace("_", " ")
    assert metrics["Keywords found"].startswith(f"{len(analysis.matching_keywords)} of ")
    assert "**Keywords** — found:" in markdown
    recommendations = record.report.insights.recommendations.by_level()
    assert any(recommendations.values())
    for level, colour in (("high", "red"), ("medium", "orange"), ("low", "blue")):
        items = recommendations[level]
        assert (f":{colour}-badge[{level.title()} priority]" in markdown) == bool(items)
        assert all(item in markdown for item in items)
    assert "new cards were added to your deck" in " ".join(texts(at, "caption"))
    assert f"Skills: {record.breakdown['skills_match']} / 100 · 40% of the overall score" in {
        e.label for e in at.expander
    }
    assert_scores_explained_in_words(at, record)
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Download PDF", "Download Markdown", "Download JSON"]

    # Reopening a past report costs nothing.
    at = open_app(student, page=PAGE)
    assert "jm_open" not in at.session_state
    at.button(key=f"jm_open_{record.id}").click().run()
    assert not at.exception
    assert at.subheader[0].value == "Data Analyst"
    assert ledger.balance(app_env, student) == 9


def ledger_lines(ctx, actor) -> list[tuple[int, str]]:
    return [(line.amount, line.reason) for line in ledger.ledger(ctx, actor)]


def test_same_cv_and_job_reopen_the_report_without_a_charge(open_app, make_user, app_env) -> None:
    student = make_user()
    upload(app_env, student)
    at = paste_and_run(open_app(student, page=PAGE), JD_TEXT, "Data Analyst")
    [first] = analyses.list_analyses(app_env, student)
    lines = ledger_lines(app_env, student)
    assert ledger.balance(app_env, student) == 9

    # The same CV and the same words (spacing aside), in a new visit: no "Run match", a free reopen instead.
    at = open_app(student, page=PAGE)
    at.get("button_group")[0].set_value("Paste a job").run()
    at.text_area(key="jm_text").input("  " + JD_TEXT.replace("\n", "\n\n") + "\n").run()
    assert not any(b.label == "Run match" for b in at.button)
    caption = next(c for c in texts(at, "caption") if "You matched this CV against this job" in c)
    assert f"({first.overall_score} / 100). Opening that report is free; a new run costs 1 credit" in caption
    at.button(key="jm_reopen").click().run()
    assert not at.exception
    assert at.subheader[0].value == "Data Analyst"
    assert ledger_lines(app_env, student) == lines and ledger.balance(app_env, student) == 9
    assert analysis_rows(app_env) == 1

    # Asked for explicitly, a fresh run is charged and says so.
    again = next(b for b in at.button if b.label == "Run again anyway (1 credit)")
    again.click().run()
    assert not at.exception
    assert any("1 credit(s) used" in s for s in texts(at, "success"))
    assert ledger.balance(app_env, student) == 8 and analysis_rows(app_env) == 2

    # Another job text is another question: the ordinary button again.
    at.text_area(key="jm_text").input(JD_TEXT + "\nAlso: Power BI.").run()
    assert run_button(at) is not None


def assert_scores_explained_in_words(at: AppTest, record: analyses.AnalysisRecord) -> None:
    """ "Why these scores": a sentence and a table per sub-score, no JSON; the export says the same."""
    assert not at.get("json")
    markdown = texts(at, "markdown")
    tables = at.get("table")
    explained = explain(record.report)
    assert len(tables) >= len(explained) - 1  # education without a requirement may have a one-row table
    for part in explained:
        assert part.sentence in markdown
        assert "{" not in part.sentence and "formula" not in part.sentence
    skills = next(p for p in explained if p.part == "skills_match")
    assert skills.sentence.startswith("Your CV shows ")
    exported = report_export.to_markdown(record)
    for part in explained:
        assert part.sentence in exported.replace("\\", "\\")
        for row in part.rows:
            assert f"| {row.what} |" in exported
    assert '{"' not in exported and "required_matched" not in exported
    pdf_text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(report_export.to_pdf(record))).pages)
    assert "Why these scores" in pdf_text and "Your CV shows" in " ".join(pdf_text.split())


MODEL_INSIGHTS = {
    "strengths": ["Model strength: SQL dashboards."],
    "improvements": ["Model improvement: show Tableau."],
    "recommendations": {"high_priority": ["Model says: add Tableau."], "medium_priority": [], "low_priority": []},
}


@pytest.mark.parametrize(
    ("reply", "wording", "shown"),
    [
        (answer(MODEL_INSIGHTS), "wording by OpenAI", "Model says: add Tableau."),
        (error(500), "wording by built-in engine", "answered with an error (HTTP 500)"),
    ],
    ids=["good-answer", "http-500"],
)
def test_configured_model_words_the_report_or_the_page_says_why_not(
    open_app, make_user, app_env, fake_openai, monkeypatch, reply, wording, shown
) -> None:
    """With a language model configured the student always gets a report with the engine's scores; when the
    model fails, the page says which provider failed and that the built-in wording was used."""
    for key, value in {"AI_PROVIDER": "openai", "AI_API_KEY": API_KEY, "AI_BASE_URL": fake_openai.base_url,
                       "AI_TIMEOUT_SECONDS": "2", "AI_MAX_RETRIES": "0"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    fake_openai.script("chat", reply)
    student = make_user()
    cv = upload(app_env, student)
    at = paste_and_run(open_app(student, page=PAGE), JD_TEXT, "Data Analyst")
    assert not at.exception, at.exception
    [summary] = analyses.list_analyses(app_env, student)
    local = analyses.run_analysis(app_env, student, cv.id, pasted_text=JD_TEXT)  # app_env: no model configured
    assert summary.overall_score == local.overall_score  # scores never come from the model
    assert any(wording in c for c in texts(at, "caption"))
    assert shown in " ".join(texts(at, "markdown") + texts(at, "info"))
    assert all(API_KEY not in text for text in texts(at, "info") + texts(at, "caption"))
    assert len(at.get("plotly_chart")) == 2
    assert ledger.balance(app_env, student) == 10 - 2  # the model's run and the local one: both made a report


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
    ledger.charge(app_env, student, app_env.settings.welcome_credits, "spent elsewhere")
    at = paste_and_run(open_app(student, page=PAGE), JD_TEXT)
    assert not at.exception
    assert any("This needs 1 credit and you have 0" in e for e in texts(at, "error")), texts(at, "error")
    assert any(link.proto.page == "app_pages/wallet.py" or "Wallet" in link.proto.label
               for link in at.get("page_link"))  # fmt: skip
    assert analysis_rows(app_env) == 0
    assert ledger.balance(app_env, student) == 0


def test_empty_job_description_is_refused_without_charge(open_app, make_user, app_env) -> None:
    student = make_user()
    upload(app_env, student)
    at = paste_and_run(open_app(student, page=PAGE), "   \n  ")
    assert not at.exception
    assert any("Add a job description first" in e for e in texts(at, "error")), texts(at, "error")
    assert at.status[0].proto.label == "No report was made"
    assert analysis_rows(app_env) == 0
    assert ledger.balance(app_env, student) == app_env.settings.welcome_credits


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
    assert ledger.balance(app_env, student) == app_env.settings.welcome_credits


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
