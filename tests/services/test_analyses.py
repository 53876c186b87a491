"""Paid job-match analyses: charge, engine scores, model wording with every fault, storage, refunds, access.

The model is the real `openai` / `mistralai` SDK talking to the loopback fakes; the engine, billing, deck and
database are the real ones. Whatever the model does, the student gets a report with the engine's scores,
and the credit is refunded only when no report could be made.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from core.access import Role
from core.ai.base import LOCAL
from core.billing import ledger
from core.coaching import cohorts
from core.context import AppContext
from core.engine.report import SCHEMA_VERSION
from core.errors import AppError, ErrorCode
from core.models import CV, Analysis, Flashcard, Job
from core.student import analyses, cvs, deck, jobs
from tests.conftest import CORPUS
from tests.fakes.openai_server import API_KEY, answer, error, slow

CV_FILE = "07_carla_mendes.txt"
JD_TEXT = (CORPUS / "jds" / "05_data_analyst.txt").read_text(encoding="utf-8")
MODEL_INSIGHTS = {
    "strengths": ["Model strength: SQL dashboards at scale."],
    "improvements": ["Model improvement: show Tableau."],
    "recommendations": {"high_priority": ["Model high."], "medium_priority": [], "low_priority": ["Model low."]},
}
MODEL_CARDS = {"cards": [{"front": "Model question about SQL?", "back": "Model answer."}]}


def upload(ctx: AppContext, actor) -> cvs.CVRecord:
    return cvs.upload_cv(ctx, actor, CV_FILE, (CORPUS / "resumes" / CV_FILE).read_bytes())


def with_model(ctx: AppContext, provider: str, base_url: str) -> AppContext:
    """The same database with a remote provider configured: 1 s time-out, no SDK retries."""
    settings = ctx.settings.model_copy(
        update={"ai_provider": provider, "ai_api_key": API_KEY, "ai_base_url": base_url,
                "ai_timeout_seconds": 1.0, "ai_max_retries": 0}
    )  # fmt: skip
    return AppContext(settings, ctx.db)


def count(ctx: AppContext, model: type) -> int:
    with ctx.db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


# --- the local engine ----------------------------------------------------------------------------------------


def test_local_run_charges_once_stores_scores_and_adds_flashcards(ctx, make_user) -> None:
    student = make_user()
    cv = upload(ctx, student)
    record = analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT, title="Data Analyst")

    assert ledger.balance(ctx, student) == ctx.settings.welcome_credits - 1
    assert (record.credits_charged, record.provider, record.cv_id, record.job_title) == (
        1,
        LOCAL,
        cv.id,
        "Data Analyst",
    )
    assert record.charge_id is not None
    ats = record.report.ats_score
    assert record.overall_score == ats.overall_score and record.breakdown == ats.breakdown.model_dump()
    assert set(record.report.to_json()) >= {"analysis", "insights", "flashcards", "ats_score", "resume_preview", "meta"}
    assert record.meta.sources == {"insights": LOCAL, "flashcards": LOCAL} and record.meta.notes == []
    with ctx.db.session() as session:
        row = session.get(Analysis, record.id)
        assert (row.skills_match, row.format_optimization) == (ats.breakdown.skills_match,
                                                             ats.breakdown.format_optimization)  # fmt: skip
        assert row.report["schema_version"] == SCHEMA_VERSION
        linked = session.scalar(select(func.count(Flashcard.id)).where(Flashcard.analysis_id == record.id))
    assert linked == record.meta.flashcards_added == len(record.report.flashcards) > 0
    assert len(deck.list_cards(ctx, student)) == linked
    # The pasted JD was kept as a job, so the report links to it.
    [job] = jobs.list_jobs(ctx, student)
    assert (job.id, job.source) == (record.job_id, "pasted")

    again = analyses.run_analysis(ctx, student, cv.id, job_id=job.id)
    assert again.overall_score == record.overall_score  # deterministic
    assert again.meta.flashcards_added == 0  # the deck already has these cards
    assert [a.id for a in analyses.list_analyses(ctx, student)] == [again.id, record.id]


def test_reopening_is_free(ctx, make_user) -> None:
    student = make_user()
    record = analyses.run_analysis(ctx, student, upload(ctx, student).id, pasted_text=JD_TEXT)
    balance = ledger.balance(ctx, student)
    assert analyses.get_analysis(ctx, student, record.id).report == record.report
    assert ledger.balance(ctx, student) == balance


def test_empty_job_description_is_refused_before_any_charge(ctx, make_user) -> None:
    student = make_user()
    cv = upload(ctx, student)
    empty = jobs.save_job(ctx, student, title="x", text="x")
    with ctx.db.session() as session:  # a job whose text was emptied behind our back
        session.execute(update(Job).where(Job.id == empty.id).values(text="  "))
    for kwargs in ({"pasted_text": "  \n "}, {"pasted_text": None}, {"job_id": empty.id}):
        with pytest.raises(AppError) as caught:
            analyses.run_analysis(ctx, student, cv.id, **kwargs)
        assert caught.value.code == ErrorCode.MISSING_JOB_DESCRIPTION
    assert ledger.balance(ctx, student) == ctx.settings.welcome_credits
    assert len(ledger.ledger(ctx, student)) == 1  # only the welcome credits


def test_deleted_cv_is_not_found_and_costs_nothing(ctx, make_user) -> None:
    student = make_user()
    cv = upload(ctx, student)
    cvs.delete_cv(ctx, student, cv.id)
    with pytest.raises(AppError) as caught:
        analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT)
    assert caught.value.code == ErrorCode.NOT_FOUND
    assert "That CV was deleted" in caught.value.message
    assert ledger.balance(ctx, student) == ctx.settings.welcome_credits


def test_report_survives_its_cv_being_deleted(ctx, make_user) -> None:
    student = make_user()
    cv = upload(ctx, student)
    record = analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT)
    cvs.delete_cv(ctx, student, cv.id)
    reopened = analyses.get_analysis(ctx, student, record.id)
    assert reopened.cv_deleted and reopened.cv_label == f"{CV_FILE} (CV deleted)"
    assert analyses.list_analyses(ctx, student)[0].cv_deleted


def test_insufficient_credits_charges_nothing_and_stores_nothing(ctx, make_user) -> None:
    student = make_user()
    cv = upload(ctx, student)
    ledger.charge(ctx, student, ctx.settings.welcome_credits, "spent")
    with pytest.raises(AppError) as caught:
        analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT)
    assert caught.value.code == ErrorCode.INSUFFICIENT_CREDITS
    assert count(ctx, Analysis) == 0 and count(ctx, Flashcard) == 0
    assert jobs.list_jobs(ctx, student) == []  # the pasted JD is only kept with a report


def test_a_damaged_stored_cv_is_refunded(ctx, make_user) -> None:
    """The engine cannot read the stored CV: the student sees a plain message and gets the credit back."""
    student = make_user()
    cv = upload(ctx, student)
    with ctx.db.session() as session:
        session.execute(update(CV).where(CV.id == cv.id).values(parsed={"skills": 42, "experience": "garbage"}))
    with pytest.raises(AppError) as caught:
        analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT)
    assert "You were not charged" in caught.value.message
    assert ledger.balance(ctx, student) == ctx.settings.welcome_credits
    assert [e.kind for e in ledger.ledger(ctx, student)] == ["refund", "charge", "welcome"]
    assert count(ctx, Analysis) == 0 and count(ctx, Flashcard) == 0


# --- language models: every fault still gives a report ----------------------------------------------------


def test_model_words_insights_and_cards_but_never_scores(ctx, make_user, fake_openai) -> None:
    student = make_user()
    cv = upload(ctx, student)
    local = analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT)
    fake_openai.script("chat", answer(MODEL_INSIGHTS), answer(MODEL_CARDS))
    remote = with_model(ctx, "openai", fake_openai.base_url)
    record = analyses.run_analysis(remote, student, cv.id, pasted_text=JD_TEXT)

    assert record.provider == "openai"
    assert record.meta.sources == {"insights": "openai", "flashcards": "openai"} and record.meta.notes == []
    assert record.report.insights.model_dump() == MODEL_INSIGHTS
    assert record.report.to_json()["flashcards"] == MODEL_CARDS["cards"]
    assert record.report.ats_score == local.report.ats_score  # scores come from the engine only
    assert record.report.analysis == local.report.analysis
    assert "Model question about SQL?" in {c.front for c in deck.list_cards(ctx, student)}
    first, second = (r.json for r in fake_openai.requests_to("chat"))
    assert "Data Analyst" in first["messages"][1]["content"]  # the job title reached the prompt
    assert second["response_format"]["json_schema"]["name"] == "FlashcardsWording"
    assert ledger.balance(ctx, student) == ctx.settings.welcome_credits - 2


@pytest.mark.parametrize(
    ("replies", "note"),
    [
        ((error(500),), "answered with an error (HTTP 500)"),
        ((slow(3, answer(MODEL_INSIGHTS)),), "did not answer in time"),
        ((answer("this is not JSON {"),), "not JSON"),
        ((answer({"strengths": "one string", "improvements": []}),), "wrong fields"),
    ],
    ids=["http-500", "time-out", "invalid-json", "schema-violation"],
)
def test_model_fault_falls_back_to_engine_wording_and_still_charges(ctx, make_user, fake_openai, replies, note) -> None:
    student = make_user()
    cv = upload(ctx, student)
    fake_openai.script("chat", *replies)
    record = analyses.run_analysis(with_model(ctx, "openai", fake_openai.base_url), student, cv.id,
                                   pasted_text=JD_TEXT)  # fmt: skip
    local = analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT)
    assert record.provider == LOCAL
    assert record.meta.sources == {"insights": LOCAL, "flashcards": LOCAL}
    assert len(record.meta.notes) == 2 and all(note in n and "OpenAI" in n for n in record.meta.notes)
    assert all(API_KEY not in n for n in record.meta.notes)
    assert record.report.insights == local.report.insights
    assert record.report.ats_score == local.report.ats_score
    assert ledger.balance(ctx, student) == ctx.settings.welcome_credits - 2  # a report was made: it is paid


def test_mistral_good_answer_and_partial_failure(ctx, make_user, fake_mistral) -> None:
    """Insights from Mistral; the flashcards call fails, so cards fall back and the report says so."""
    student = make_user()
    cv = upload(ctx, student)
    fake_mistral.script("chat", answer(MODEL_INSIGHTS), error(500))
    record = analyses.run_analysis(with_model(ctx, "mistral", fake_mistral.origin), student, cv.id,
                                   pasted_text=JD_TEXT)  # fmt: skip
    assert record.provider == "mistral"
    assert record.meta.sources == {"insights": "mistral", "flashcards": LOCAL}
    assert record.report.insights.model_dump() == MODEL_INSIGHTS
    [note] = record.meta.notes
    assert "Mistral" in note and "500" in note
    assert len(record.report.flashcards) >= 8  # the engine's own cards


# --- who may read a report ----------------------------------------------------------------------------------


def test_only_owner_their_counselor_and_admins_read_reports(ctx, make_user) -> None:
    student, other = make_user(), make_user()
    counselor, stranger = make_user(role=Role.COUNSELOR), make_user(role=Role.COUNSELOR)
    admin = make_user(role=Role.ADMIN)
    cohort = cohorts.create_cohort(ctx, counselor, name="Batch")
    cohorts.join_cohort(ctx, student, cohort.invite_code, consent=True)
    record = analyses.run_analysis(ctx, student, upload(ctx, student).id, pasted_text=JD_TEXT)

    with pytest.raises(AppError) as caught:
        analyses.get_analysis(ctx, other, record.id)
    assert caught.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(AppError) as caught:
        analyses.list_analyses(ctx, other, student_id=student.id)
    assert caught.value.code == ErrorCode.NOT_FOUND
    assert analyses.list_analyses(ctx, other) == []
    with pytest.raises(AppError):
        analyses.get_analysis(ctx, stranger, record.id)
    assert analyses.get_analysis(ctx, counselor, record.id).id == record.id
    assert [a.id for a in analyses.list_analyses(ctx, counselor, student_id=student.id)] == [record.id]
    assert analyses.get_analysis(ctx, admin, record.id).overall_score == record.overall_score
    # Another student cannot run an analysis on my CV either.
    with pytest.raises(AppError) as caught:
        analyses.run_analysis(ctx, other, record.cv_id, pasted_text=JD_TEXT)
    assert caught.value.code == ErrorCode.NOT_FOUND


# --- the same question ---------------------------------------------------------------------------------------


def test_same_question_is_this_cv_and_these_words_of_this_student_only(ctx, make_user) -> None:
    student, other = make_user(), make_user()
    cv = upload(ctx, student)
    assert analyses.same_question(ctx, student, cv.id, JD_TEXT) is None
    record = analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT, title="Data Analyst")
    respaced = "\n  " + JD_TEXT.replace(" ", "  ").replace("\n", "\r\n")
    found = analyses.same_question(ctx, student, cv.id, respaced)
    assert found is not None and found.id == record.id
    assert analyses.same_question(ctx, student, cv.id, JD_TEXT + " Also Power BI.") is None
    assert analyses.same_question(ctx, student, cv.id, "   ") is None
    assert analyses.same_question(ctx, other, cv.id, JD_TEXT) is None  # never someone else's report
    newer = analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT, title="Data Analyst")
    assert analyses.same_question(ctx, student, cv.id, JD_TEXT).id == newer.id  # the latest one


def test_ledger_line_is_named_after_the_job_title(ctx, make_user) -> None:
    student = make_user()
    cv = upload(ctx, student)
    untitled = analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT)  # pasted, no title typed
    titled = analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT + " SQL.", title="Junior Analyst")
    reasons = [line.reason for line in ledger.ledger(ctx, student, kinds=["charge"])]
    assert untitled.job_title not in ("", "Pasted job")
    assert reasons == ["CV analysis: Junior Analyst", f"CV analysis: {untitled.job_title}"]
    assert titled.job_title == "Junior Analyst"
