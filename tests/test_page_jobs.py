"""AppTest of Jobs: target roles, add/edit/delete a job, save from the catalogue, counselor view."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core import cohorts, jobs
from core.accounts import Role

PAGE = "app_pages/jobs.py"
JD = "Data Analyst\nRequirements\n- SQL and Microsoft Excel.\n"


def texts(at: AppTest, kind: str) -> list[str]:
    return [element.value for element in getattr(at, kind)]


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_target_roles_rank_the_catalogue(open_app, make_user, app_env) -> None:
    student = make_user()
    at = open_app(student, page=PAGE)
    assert not at.exception
    at.text_input(key="jobs_roles_text").input("Data Analyst, data analyst, UX Designer")
    at = submit(at, "Save target roles")
    assert "Target roles saved: Data Analyst, UX Designer." in texts(at, "success")
    assert jobs.target_roles(app_env, student) == ["Data Analyst", "UX Designer"]
    assert "Suggested for your target roles." in texts(at, "caption")
    first_two = [md for md in texts(at, "markdown") if "Asks for:" in md][:2]
    assert any("Data Analyst" in md for md in first_two) and any("UX Designer" in md for md in first_two)


def test_add_edit_delete_and_save_from_catalogue(open_app, make_user, app_env) -> None:
    student = make_user()
    at = open_app(student, page=PAGE)
    at.text_input(key="jobs_new_title").input("Junior Analyst")
    at.text_area(key="jobs_new_text").input(JD)
    at = submit(at, "Save job")
    [job] = jobs.list_jobs(app_env, student)
    assert "Saved Junior Analyst." in texts(at, "success")

    at.button(key=f"jobs_edit_btn_{job.id}").click().run()
    at.text_input(key=f"jobs_edit_{job.id}_title").input("Senior Analyst")
    at = submit(at, "Save changes")
    assert jobs.get_job(app_env, student, job.id).title == "Senior Analyst"

    at.button(key=f"jobs_delete_btn_{job.id}").click().run()
    at.button(key=f"jobs_delete_yes_{job.id}").click().run()
    assert not at.exception
    assert jobs.list_jobs(app_env, student) == []

    at.text_input(key="jobs_query").input("terraform").run()
    at.button(key="jobs_cat_devops_pune").click().run()
    assert not at.exception
    [saved] = jobs.list_jobs(app_env, student)
    assert (saved.source, saved.title) == ("catalogue", "DevOps Engineer")


def test_empty_job_is_refused_in_plain_words(open_app, make_user, app_env) -> None:
    student = make_user()
    at = open_app(student, page=PAGE)
    at.text_input(key="jobs_new_title").input("Nothing here")
    at = submit(at, "Save job")
    assert "Paste the job description text first." in texts(at, "error")
    assert jobs.list_jobs(app_env, student) == []


def test_counselor_sees_cohort_jobs_read_only(open_app, make_user, app_env) -> None:
    counselor = make_user(role=Role.COUNSELOR)
    cohort = cohorts.create_cohort(app_env, counselor, name="Batch")
    job_id = cohorts.publish_job(app_env, counselor, cohort.id, "Cohort Analyst", "Acme", JD)
    at = open_app(counselor, page=PAGE)
    assert not at.exception
    assert "Your cohorts' job descriptions" in texts(at, "subheader")
    assert at.button(key=f"jobs_delete_btn_{job_id}").disabled
    assert not any(b.key and b.key.startswith("jobs_cat_") for b in at.button)  # catalogue is browse-only
