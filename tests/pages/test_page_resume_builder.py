"""AppTest of the résumé builder: start from a CV, fill the missing phone in the walk, edit, tailor to a job
(score before → after), preview and downloads, save versions that appear in My CVs, refusals shown plainly."""

from __future__ import annotations

import json

from core.access import Role
from core.engine.resume_builder.model import validate
from core.models import Cohort, CohortMember
from core.student import cvs, jobs, resumes
from tests.conftest import CORPUS
from tests.engine.test_resume_builder import ZOE
from tests.fakes.openai_server import API_KEY, answer
from tests.pages.shown import texts

PAGE = "app_pages/resume_builder.py"
CARLA = (CORPUS / "resumes" / "07_carla_mendes.txt").read_bytes()
NO_PHONE = CARLA.replace(b" | 801-555-0156", b"")
JD = (CORPUS / "jds" / "08_digital_marketing_manager.txt").read_text(encoding="utf-8")


def test_a_new_student_chooses_where_to_start(open_app, make_user) -> None:
    at = open_app(make_user(), page=PAGE)
    assert not at.exception
    assert at.title[0].value == "Résumé builder"
    assert any("Choose where to start" in info for info in texts(at, "info"))
    at.button(key="rb_blank").click().run()
    assert not at.exception
    assert any("No name in the contact details." in md for md in texts(at, "markdown"))


def test_start_from_a_cv_fill_the_phone_save_and_find_it_in_my_cvs(open_app, make_user, app_env) -> None:
    student = make_user()
    upload = cvs.upload_cv(app_env, student, "carla.txt", NO_PHONE)
    at = open_app(student, page=PAGE)
    at.button(key="rb_from_cv").click().run()
    assert not at.exception
    assert any("Started from carla.txt." in s for s in texts(at, "success"))
    assert "No phone in the contact details." in " ".join(texts(at, "markdown"))
    assert not [b for b in at.button if b.key == "rb_suggest"]  # no model configured: no assistant button
    assert any("No language model is configured" in c for c in texts(at, "caption"))

    at.text_input(key=f"rb_{at.session_state['rb_round']}_answer_contact.phone").set_value("801-555-0156")
    at.button(key="rb_apply").click().run()
    assert not at.exception
    assert at.session_state["rb_draft"]["contact"]["phone"] == "801-555-0156"
    assert "No phone in the contact details." not in " ".join(texts(at, "markdown"))

    at.button(key="rb_save").click().run()
    assert not at.exception
    [version] = resumes.list_versions(app_env, student)
    assert version.resume.contact.phone == "801-555-0156" and version.source == "cv"
    saved = cvs.get_cv(app_env, student, version.cv_id or 0)
    assert any(f"Saved version 1. It is in My CVs as {saved.filename}" in s for s in texts(at, "success"))
    assert saved.parsed["phone"] == "801-555-0156" and upload.parsed["phone"] is None

    at.button(key="rb_save").click().run()  # unchanged: nothing new
    assert any("Nothing changed since version 1" in i for i in texts(at, "info"))
    assert len(resumes.list_versions(app_env, student)) == 1
    assert any("First version" in c for c in texts(at, "caption"))  # the Versions tab
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"PDF", "Word (DOCX)", "JSON Resume", "Markdown"} <= labels


def test_tailor_to_a_pasted_job_shows_the_score_rise_and_adds_only_what_was_ticked(
    open_app, make_user, app_env
) -> None:
    student = make_user()
    with app_env.db.session() as session:
        jobs.add_job(session, student, title="Digital Marketing Manager", text=JD)
    cvs.upload_cv(app_env, student, "carla.txt", CARLA)
    at = open_app(student, page=PAGE)
    at.button(key="rb_from_cv").click().run()
    at.button(key="rb_find_gaps").click().run()
    assert not at.exception
    plan = at.session_state["rb_tailor"]
    assert plan["gaps"], "the job asks for something the CV does not show"
    first = plan["gaps"][0]
    skills_before = list(at.session_state["rb_draft"]["skills"])
    bullets_before = [list(j["bullets"]) for j in at.session_state["rb_draft"]["experience"]]
    round_ = at.session_state["rb_round"]
    at.checkbox(key=f"rb_{round_}_tick_0").check().run()
    at.button(key="rb_tailor_apply").click().run()
    assert not at.exception
    rescore = at.session_state["rb_rescore"]
    assert rescore["after"]["overall"] > rescore["before"]["overall"]
    draft = at.session_state["rb_draft"]
    added = [s for s in draft["skills"] if s not in skills_before]
    added += [b for j, before in zip(draft["experience"], bullets_before, strict=True) for b in j["bullets"]
              if b not in before]  # fmt: skip
    assert added == rescore["added"] and len(added) == 1 and first["label"] in added[0]
    assert at.metric[0].value == f"{rescore['after']['overall']} / 100"
    assert at.table, "the breakdown before → after"
    at.button(key="rb_save").click().run()
    [version] = resumes.list_versions(app_env, student)
    assert (version.source, version.job_title) == ("tailored", "Digital Marketing Manager")


def test_a_bad_json_file_and_an_over_long_field_are_refused_plainly(open_app, make_user, app_env) -> None:
    student = make_user()
    at = open_app(student, page=PAGE)
    at.get("file_uploader")[0].set_value(("resume.json", b"{broken", "application/json"))
    at.run()
    assert any("This file is not valid JSON (line 1, column 2)." in e for e in texts(at, "error"))
    good = json.dumps({"basics": {"name": "Ann Lee", "email": "ann@example.com"}}).encode()
    at.get("file_uploader")[0].set_value(("ann.json", good, "application/json"))
    at.run()
    assert at.session_state["rb_draft"]["contact"]["name"] == "Ann Lee"
    at.text_area(key=f"rb_{at.session_state['rb_round']}_summary").set_value("x" * 1600)
    at.button(key="FormSubmitter:rb_edit-Apply changes").click().run()
    assert not at.exception
    assert any("Summary is 1,600 characters; the limit is 1,500." in e for e in texts(at, "error"))
    assert at.session_state["rb_draft"]["summary"] == ""
    assert resumes.list_versions(app_env, student) == [] and cvs.list_cvs(app_env, student) == []


def test_a_counselor_sees_the_students_versions_read_only(open_app, make_user, app_env) -> None:
    student, counselor = make_user(), make_user(role=Role.COUNSELOR)
    with app_env.db.session() as session:
        cohort = Cohort(name="Spring", invite_code="spring-code")
        session.add(cohort)
        session.flush()
        session.add_all([CohortMember(cohort_id=cohort.id, user_id=counselor.id, member_role="counselor"),
                         CohortMember(cohort_id=cohort.id, user_id=student.id, member_role="student")])  # fmt: skip
    version = resumes.save_version(app_env, student, validate(ZOE), source="blank").version
    at = open_app(counselor)
    at.query_params["student"] = str(student.id)
    at.switch_page("app_pages/student.py").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="student_resume").value == version.id
    assert any(version.label.split(" · ")[0] in md for md in texts(at, "markdown"))
    assert any("Built 12 Tableau dashboards" in md for md in texts(at, "markdown"))
    assert not [b for b in at.button if b.key and b.key.startswith("student_resumes_load")]  # read-only


def test_with_a_model_each_proposal_is_accepted_or_rejected_and_inventions_are_never_offered(
    open_app, make_user, app_env, fake_openai, monkeypatch
) -> None:
    for name, value in {"AI_PROVIDER": "openai", "AI_API_KEY": API_KEY, "AI_BASE_URL": fake_openai.base_url,
                        "AI_TIMEOUT_SECONDS": "2", "AI_MAX_RETRIES": "0"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    student = make_user()
    resumes.save_version(app_env, student, validate(ZOE), source="blank")
    at = open_app(student, page=PAGE)
    assert "Automated data cleaning in Python and SQL" in " ".join(texts(at, "markdown"))  # the walk's first field

    fake_openai.script("chat", answer({"text": "Automated data cleaning in Python and SQL at Google since 2017"}))
    at.button(key="rb_suggest").click().run()
    assert not at.exception
    [warning] = texts(at, "warning")
    assert "was not offered" in warning and "Google" in warning and "2017" in warning
    assert not [b for b in at.button if b.key == "rb_accept"]

    fake_openai.script("chat", answer({"text": "Automated weekly data cleaning in Python and SQL"}))
    at.button(key="rb_suggest").click().run()
    assert any("Automated weekly data cleaning in Python and SQL" in md for md in texts(at, "markdown"))
    at.button(key="rb_reject").click().run()
    assert at.session_state["rb_draft"]["experience"][0]["bullets"][1] == "Automated data cleaning in Python and SQL"
    assert not [b for b in at.button if b.key == "rb_accept"]

    at.button(key="rb_suggest").click().run()
    at.button(key="rb_accept").click().run()
    assert not at.exception
    assert (
        at.session_state["rb_draft"]["experience"][0]["bullets"][1]
        == "Automated weekly data cleaning in Python and SQL"
    )
    assert len(resumes.list_versions(app_env, student)) == 1  # accepted into the draft; saving is the student's call
