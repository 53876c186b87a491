"""Jobs: save/edit/delete, who may see a job, cohort JDs, catalogue copies and search, target roles."""

from __future__ import annotations

import pytest

from core.access import Role
from core.coaching import cohorts
from core.engine import catalogue
from core.errors import AppError, ErrorCode
from core.student import jobs

JD = "Data Analyst\nRequirements\n- SQL and Microsoft Excel.\n- 2+ years of experience.\n"


def test_save_list_edit_delete_own_job(ctx, make_user) -> None:
    student = make_user()
    job = jobs.save_job(ctx, student, title=" Data  Analyst ", text=JD, company="Acme", location="Pune")
    assert (job.title, job.company, job.location, job.source, job.owner_id) == (
        "Data Analyst", "Acme", "Pune", "saved", student.id,
    )  # fmt: skip
    assert [j.id for j in jobs.list_jobs(ctx, student)] == [job.id]
    edited = jobs.update_job(ctx, student, job.id, title="Senior Data Analyst", text=JD + "- Tableau.\n")
    assert edited.title == "Senior Data Analyst" and "Tableau" in jobs.get_job(ctx, student, job.id).text
    assert edited.company is None  # cleared fields stay cleared
    jobs.delete_job(ctx, student, job.id)
    assert jobs.list_jobs(ctx, student) == []


def test_untitled_job_takes_its_first_line(ctx, make_user) -> None:
    assert jobs.save_job(ctx, make_user(), title="  ", text=JD).title == "Data Analyst"


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_job_description_is_refused(ctx, make_user, text) -> None:
    with pytest.raises(AppError) as caught:
        jobs.save_job(ctx, make_user(), title="Analyst", text=text)
    assert caught.value.code == ErrorCode.MISSING_JOB_DESCRIPTION


def test_another_student_cannot_see_or_change_my_job(ctx, make_user) -> None:
    me, other = make_user(), make_user()
    job = jobs.save_job(ctx, me, title="Analyst", text=JD)
    assert jobs.list_jobs(ctx, other) == []
    for action in (
        lambda: jobs.get_job(ctx, other, job.id),
        lambda: jobs.update_job(ctx, other, job.id, title="x", text=JD),
        lambda: jobs.delete_job(ctx, other, job.id),
    ):
        with pytest.raises(AppError) as caught:
            action()
        assert caught.value.code == ErrorCode.NOT_FOUND
    assert jobs.get_job(ctx, me, job.id).title == "Analyst"
    assert jobs.get_job(ctx, make_user(role=Role.ADMIN), job.id).id == job.id


def test_cohort_job_is_visible_to_members_only(ctx, make_user) -> None:
    counselor, member, outsider = make_user(role=Role.COUNSELOR), make_user(), make_user()
    cohort = cohorts.create_cohort(ctx, counselor, name="Batch 2026")
    cohorts.join_cohort(ctx, member, cohort.invite_code, consent=True)
    job_id = cohorts.publish_job(ctx, counselor, cohort.id, "Cohort Analyst", "Acme", JD)
    assert [(j.id, j.source) for j in jobs.list_jobs(ctx, member)] == [(job_id, "cohort")]
    assert jobs.get_job(ctx, member, job_id).cohort_id == cohort.id
    assert [j.id for j in jobs.list_jobs(ctx, counselor)] == [job_id]
    assert jobs.list_jobs(ctx, outsider) == []
    with pytest.raises(AppError) as caught:
        jobs.get_job(ctx, outsider, job_id)
    assert caught.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(AppError):  # members do not edit a cohort's JD
        jobs.delete_job(ctx, member, job_id)


def test_counselor_sees_a_coached_students_job(ctx, make_user) -> None:
    counselor, student, stranger = make_user(role=Role.COUNSELOR), make_user(), make_user(role=Role.COUNSELOR)
    cohort = cohorts.create_cohort(ctx, counselor, name="Batch")
    cohorts.join_cohort(ctx, student, cohort.invite_code, consent=True)
    job = jobs.save_job(ctx, student, title="Analyst", text=JD)
    assert jobs.get_job(ctx, counselor, job.id).id == job.id
    with pytest.raises(AppError):
        jobs.get_job(ctx, stranger, job.id)


def test_catalogue_copy_is_made_once_per_student(ctx, make_user) -> None:
    first, second = make_user(), make_user()
    a = jobs.from_catalogue(ctx, first, "data_analyst_mumbai")
    b = jobs.from_catalogue(ctx, first, "data_analyst_mumbai")
    c = jobs.from_catalogue(ctx, second, "data_analyst_mumbai")
    assert a.id == b.id != c.id
    assert (a.source, a.title, a.company, a.location) == (
        "catalogue",
        "Data Analyst",
        "Harbourline Retail",
        "Mumbai, India",
    )
    assert a.text.startswith("Data Analyst\n")
    with pytest.raises(AppError) as caught:
        jobs.from_catalogue(ctx, first, "no_such_job")
    assert caught.value.code == ErrorCode.NOT_FOUND


def test_pasted_job_description_is_not_duplicated(ctx, make_user) -> None:
    student = make_user()
    with ctx.db.session() as session:
        one = jobs.add_job(session, student, title="", text=JD, source="pasted").id
    with ctx.db.session() as session:
        two = jobs.add_job(session, student, title="", text=JD, source="pasted").id
    assert one == two


def test_catalogue_search_by_title_skill_and_location() -> None:
    assert len(catalogue.all_jobs()) >= 10
    assert jobs.search_catalogue("data analyst")[0].key == "data_analyst_mumbai"
    assert jobs.search_catalogue("terraform")[0].key == "devops_pune"
    assert {j.key for j in jobs.search_catalogue("", "remote")} == {
        "frontend_react_remote", "fullstack_intern_remote", "ux_designer_remote",
    }  # fmt: skip
    assert [j.key for j in jobs.search_catalogue("react", "remote")][:2] == [
        "frontend_react_remote", "fullstack_intern_remote",
    ]  # fmt: skip
    assert jobs.search_catalogue("underwater basket weaving") == []
    for posting in catalogue.all_jobs():  # every posting parses into something matchable
        assert posting.required_skills, posting.key


def test_target_roles_are_cleaned_stored_and_rank_suggestions(ctx, make_user) -> None:
    student = make_user()
    assert jobs.target_roles(ctx, student) == []
    saved = jobs.set_target_roles(ctx, student, [" Data Analyst ", "data analyst", "", "Business  Analyst"])
    assert saved == ["Data Analyst", "Business Analyst"] == jobs.target_roles(ctx, student)
    top = [p.key for p in jobs.suggested_catalogue(ctx, student, limit=2)]
    assert set(top) == {"data_analyst_mumbai", "business_analyst_gurugram"}
    with pytest.raises(AppError) as caught:
        jobs.set_target_roles(ctx, student, [f"Role {i}" for i in range(11)])
    assert caught.value.code == ErrorCode.INVALID_INPUT
