"""AppTest of Jobs: target roles (also shown on Account), add/edit/delete a job, save from the catalogue, the
counselor view, and a JD a counselor publishes on the Cohorts page reaching a student's Jobs and Job match."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.access import Role
from core.billing import ledger
from core.coaching import cohorts
from core.student import analyses, cvs, jobs
from tests.conftest import CORPUS
from tests.pages.shown import texts

PAGE = "app_pages/jobs.py"
JD = "Data Analyst\nRequirements\n- SQL and Microsoft Excel.\n"


def labelled(widgets, label: str):
    return next(w for w in widgets if w.label == label)


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

    at.switch_page("app_pages/account.py").run()  # the profile shows them, with the way back to change them
    assert "**Target roles:** Data Analyst, UX Designer" in texts(at, "markdown")
    assert [link.proto.label for link in at.get("page_link")] == ["Change target roles on the Jobs page"]


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


def test_counselor_publishes_on_cohorts_page_and_student_matches_against_it(open_app, make_user, app_env) -> None:
    counselor, student, outsider = make_user(role=Role.COUNSELOR), make_user(), make_user()
    cohort = cohorts.create_cohort(app_env, counselor, name="Batch")
    cohorts.join_cohort(app_env, student, cohort.invite_code, consent=True)

    at = open_app(counselor, page="app_pages/cohorts.py")
    labelled(at.text_input, "Job title").input("Cohort Analyst")
    labelled(at.text_area, "Job description").input(JD)
    at = submit(at, "Publish to cohort")
    assert not at.exception
    assert any(s.startswith("Published.") for s in texts(at, "success"))
    [job] = jobs.list_jobs(app_env, student)
    assert (job.title, job.source, job.cohort_id) == ("Cohort Analyst", "cohort", cohort.id)
    assert jobs.list_jobs(app_env, outsider) == []

    at = open_app(student, page=PAGE)  # on Jobs: badged, read-only
    assert any("**Cohort Analyst** :violet-badge[from your cohort]" in md for md in texts(at, "markdown"))
    assert at.button(key=f"jobs_edit_btn_{job.id}").disabled and at.button(key=f"jobs_delete_btn_{job.id}").disabled

    cvs.upload_cv(app_env, student, "07_carla_mendes.txt", (CORPUS / "resumes" / "07_carla_mendes.txt").read_bytes())
    at.switch_page("app_pages/job_match.py").run()  # on Job match: offered first, and it runs
    assert at.selectbox(key="jm_job").value == job.id
    assert at.selectbox(key="jm_job").options == ["Cohort Analyst · from your cohort"]
    submit(at, "Run match")
    assert not at.exception
    [report] = analyses.list_analyses(app_env, student)
    assert report.job_title == "Cohort Analyst" and analyses.get_analysis(app_env, student, report.id).job_id == job.id
    assert ledger.balance(app_env, student) == app_env.settings.welcome_credits - 1
