"""Résumé versions: saving stores the PDF as a CV (usable for job match), history and changes, who may read
versions, refusals that save nothing, the job to tailor to, and the wording assistant with a fake model."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core.access import Actor, Role
from core.ai.base import LOCAL
from core.context import AppContext
from core.engine import catalogue
from core.engine.resume_builder.model import set_field, validate
from core.errors import AppError, ErrorCode
from core.models import CV, Cohort, CohortMember, ResumeVersion
from core.student import analyses, cvs, jobs, resumes
from tests.conftest import CORPUS
from tests.engine.test_resume_builder import ZOE
from tests.fakes.openai_server import API_KEY, answer

JD_TEXT = (CORPUS / "jds" / "05_data_analyst.txt").read_text(encoding="utf-8")
BULLET = ("experience", 0, "bullets", 1)


def count(ctx: AppContext, model: type) -> int:
    with ctx.db.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def code_of(call) -> ErrorCode:
    with pytest.raises(AppError) as caught:
        call()
    return caught.value.code


def with_model(ctx: AppContext, base_url: str) -> AppContext:
    settings = ctx.settings.model_copy(
        update={"ai_provider": "openai", "ai_api_key": API_KEY, "ai_base_url": base_url,
                "ai_timeout_seconds": 1.0, "ai_max_retries": 0}
    )  # fmt: skip
    return AppContext(settings, ctx.db)


def coach(ctx: AppContext, counselor: Actor, student: Actor) -> None:
    with ctx.db.session() as session:
        cohort = Cohort(name="Spring", invite_code=f"code-{counselor.id}-{student.id}")
        session.add(cohort)
        session.flush()
        session.add_all([
            CohortMember(cohort_id=cohort.id, user_id=counselor.id, member_role="counselor"),
            CohortMember(cohort_id=cohort.id, user_id=student.id, member_role="student"),
        ])  # fmt: skip


def test_build_from_an_upload_fill_the_phone_and_save_versions_that_are_cvs(ctx: AppContext, make_user) -> None:
    student = make_user()
    upload = cvs.upload_cv(ctx, student, "carla.txt", (CORPUS / "resumes" / "07_carla_mendes.txt").read_bytes())
    draft = resumes.from_cv(ctx, student, upload.id)
    assert draft.contact.email == upload.parsed["email"]
    draft = set_field(draft, ("contact", "phone"), "+1 (555) 010-2299")

    first = resumes.save_version(ctx, student, draft, source="cv")
    assert first.created and first.version.number == 1 and first.version.changes == ["First version"]
    assert first.cv is not None and first.cv.filename == "carla-mendes-resume-v1.pdf"
    stored = cvs.get_cv(ctx, student, first.version.cv_id or 0)
    # the stored text and parse are what our reader gets from the exported PDF
    assert stored.file_type == "pdf" and stored.parsed["phone"] == "+1 (555) 010-2299"
    assert stored.parsed["name"] == draft.contact.name and stored.parsed["email"] == draft.contact.email
    assert [e["company"] for e in stored.parsed["experience"]] == [j.company or None for j in draft.experience]
    assert [c.filename for c in cvs.list_cvs(ctx, student)] == ["carla.txt", "carla-mendes-resume-v1.pdf"]

    again = resumes.save_version(ctx, student, draft, source="edit")
    assert not again.created and again.version.id == first.version.id  # nothing changed: nothing stored
    second = resumes.save_version(ctx, student, set_field(draft, ("skills",), "Python, SQL, dbt"), source="edit")
    assert second.version.number == 2 and second.version.changes[0].startswith("Skills:")
    assert [v.number for v in resumes.list_versions(ctx, student)] == [2, 1]
    assert count(ctx, CV) == 3 and count(ctx, ResumeVersion) == 2

    # a saved version is used for a job match like an upload; the report records which version
    report = analyses.run_analysis(ctx, student, second.version.cv_id or 0, pasted_text=JD_TEXT)
    assert report.cv_filename == "carla-mendes-resume-v2.pdf" and report.cv_id == second.version.cv_id


def test_versions_are_private_to_the_student_and_read_only_for_their_counselor(ctx: AppContext, make_user) -> None:
    owner, other = make_user(), make_user()
    counselor, stranger = make_user(role=Role.COUNSELOR), make_user(role=Role.COUNSELOR)
    coach(ctx, counselor, owner)
    saved = resumes.save_version(ctx, owner, validate(ZOE), source="blank").version
    assert code_of(lambda: resumes.get_version(ctx, other, saved.id)) == ErrorCode.NOT_FOUND
    assert code_of(lambda: resumes.list_versions(ctx, other, student_id=owner.id)) == ErrorCode.NOT_FOUND
    assert code_of(lambda: resumes.get_version(ctx, stranger, saved.id)) == ErrorCode.NOT_FOUND
    assert code_of(lambda: resumes.get_version(ctx, owner, saved.id + 999)) == ErrorCode.NOT_FOUND
    assert resumes.list_versions(ctx, other) == [] and resumes.latest_version(ctx, other) is None
    assert [v.id for v in resumes.list_versions(ctx, counselor, student_id=owner.id)] == [saved.id]
    assert resumes.get_version(ctx, counselor, saved.id).resume == validate(ZOE)
    upload = cvs.upload_cv(ctx, owner, "carla.txt", (CORPUS / "resumes" / "07_carla_mendes.txt").read_bytes())
    assert code_of(lambda: resumes.from_cv(ctx, other, upload.id)) == ErrorCode.NOT_FOUND
    assert code_of(lambda: resumes.from_cv(ctx, counselor, upload.id)) == ErrorCode.NOT_FOUND  # staff only read


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: {**ZOE, "summary": "x " * 800}, ErrorCode.INVALID_INPUT),
        (lambda: {**ZOE, "experience": [{"position": "A", "start": "soon"}]}, ErrorCode.INVALID_INPUT),
        (lambda: {**ZOE, "experience": [{"position": "Analyst", "bullets": ["word " * 79] * 15}] * 20},
         ErrorCode.TEXT_TOO_LONG),
    ],
    ids=["long-summary", "bad-date", "whole-text-too-long"],
)  # fmt: skip
def test_a_bad_resume_is_refused_and_nothing_is_saved(ctx: AppContext, make_user, make, code) -> None:
    student = make_user()
    assert code_of(lambda: resumes.save_version(ctx, student, make(), source="edit")) == code
    assert count(ctx, CV) == 0 and count(ctx, ResumeVersion) == 0


def test_bad_json_imports_are_refused_before_anything_is_stored(ctx: AppContext, make_user) -> None:
    assert code_of(lambda: resumes.from_json(b"{oops")) == ErrorCode.INVALID_FILE_FORMAT
    assert code_of(lambda: resumes.from_json(b" " * 300_000)) == ErrorCode.FILE_TOO_LARGE
    resume, notes = resumes.from_json(json.dumps({"basics": {"name": "Ann Lee"}}).encode())
    assert resume.contact.name == "Ann Lee" and notes == []
    assert count(ctx, CV) == 0 and count(ctx, ResumeVersion) == 0


def test_the_job_to_tailor_to_is_saved_catalogue_or_pasted(ctx: AppContext, make_user) -> None:
    student, other = make_user(), make_user()
    with ctx.db.session() as session:
        job_id = jobs.add_job(session, student, title="Data Analyst", text=JD_TEXT).id
    assert resumes.target_job(ctx, student, job_id=job_id).text == JD_TEXT.strip()
    assert code_of(lambda: resumes.target_job(ctx, other, job_id=job_id)) == ErrorCode.NOT_FOUND
    posting = catalogue.all_jobs()[0]
    assert resumes.target_job(ctx, student, catalogue_key=posting.key).text == posting.text
    assert code_of(lambda: resumes.target_job(ctx, student, catalogue_key="nope")) == ErrorCode.NOT_FOUND
    assert resumes.target_job(ctx, student, pasted="Analyst\nSQL").title == "Analyst"
    assert code_of(lambda: resumes.target_job(ctx, student, pasted="  ")) == ErrorCode.MISSING_JOB_DESCRIPTION


def test_without_a_model_there_is_no_proposal(ctx: AppContext) -> None:
    proposal = resumes.propose(ctx, validate(ZOE), BULLET, "no number or result")
    assert (proposal.text, proposal.source, proposal.refused) == (None, LOCAL, [])


def test_the_assistant_proposes_one_field_and_an_invented_employer_or_date_is_refused(ctx, fake_openai) -> None:
    remote = with_model(ctx, fake_openai.base_url)
    resume = validate(ZOE)
    fake_openai.script("chat", answer({"text": "Automated data cleaning in Python and SQL at Google since 2017"}))
    refused = resumes.propose(remote, resume, BULLET, "no number or result")
    assert refused.text is None and refused.source == "openai"
    assert any("Google" in reason for reason in refused.refused)
    assert any("2017" in reason for reason in refused.refused)

    fake_openai.script("chat", answer({"text": "Automated weekly data cleaning in Python and SQL"}))
    accepted = resumes.propose(remote, resume, BULLET, "no number or result")
    assert accepted.text == "Automated weekly data cleaning in Python and SQL" and accepted.refused == []
    request = fake_openai.requests_to("chat")[-1].json
    assert "Position 1, bullet 2" in request["messages"][1]["content"]
    assert request["response_format"]["json_schema"]["name"] == "FieldWording"
