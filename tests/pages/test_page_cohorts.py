"""AppTest of the cohort pages on demo data: dashboard → weakest student → note → the student reads it."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from core import demo
from core.accounts import users
from core.coaching import cohorts, dashboard
from core.db import utcnow
from core.errors import AppError
from core.models import AuditLog, Cohort
from tests.cohort_data import add_analysis, add_interview, set_last_active
from tests.conftest import APP_FILE, PASSWORD
from tests.pages.shown import texts

COUNSELOR_PAGES = ("app_pages/cohorts.py", "app_pages/student.py", "app_pages/admin_users.py",
                   "app_pages/admin_audit.py")  # fmt: skip


@pytest.fixture
def demo_data(app_env):
    """The demo accounts with a known history: CS2027 students scored 20, 25, ... so the weakest is obvious."""
    ctx = app_env
    logins = demo.seed(ctx, history=False)
    now = utcnow()
    cs = [users.load_actor_by_email(ctx, email) for email in logins.students[:15]]
    for n, student in enumerate(cs):
        add_analysis(ctx, student, 20 + 5 * n, ["sql", "tableau"][: 1 + n % 2], at=now - timedelta(days=10))
        add_analysis(ctx, student, 25 + 5 * n, ["tableau"], at=now - timedelta(days=1))
        set_last_active(ctx, student, now - timedelta(days=1 if n % 3 else 20))
    add_interview(ctx, cs[0], 60)
    with ctx.db.session() as s:
        cohort_ids = {c.invite_code: c.id for c in s.scalars(select(Cohort))}
    return {
        "ctx": ctx,
        "counselor1": users.load_actor_by_email(ctx, logins.counselors[0]),
        "counselor2": users.load_actor_by_email(ctx, logins.counselors[1]),
        "admin": users.load_actor_by_email(ctx, logins.admin),
        "cs": cs,
        "ba": [users.load_actor_by_email(ctx, email) for email in logins.students[15:]],
        "cohorts": cohort_ids,
    }


def table(at, index: int = 0):
    return at.dataframe[index].value


def test_counselor_finds_weakest_student_leaves_note_student_reads_it(open_app, demo_data):
    d = demo_data
    at = open_app(d["counselor1"], page="app_pages/cohorts.py")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Students": "15", "Active in last 7 days": "10", "Median best ATS": "60",
                       "Interviews done": "1"}  # fmt: skip
    rows = table(at)
    assert len(rows) == 15 and rows.iloc[0]["Student"] == d["cs"][0].name and rows.iloc[0]["Best score"] == 25
    assert len(at.get("plotly_chart")) == 4
    skills = next(c for c in at.get("plotly_chart") if "missing skills" in c.proto.spec)
    assert json.loads(skills.proto.spec)["data"][0]["y"][-1] == "tableau"

    at.checkbox(key="filter_low").check().run()
    assert list(table(at)["Best score"]) == [25, 30, 35, 40, 45]
    at.checkbox(key="filter_inactive").check().run()
    assert list(table(at)["Best score"]) == [25, 40]
    csv_text = at.get("download_button")[0].proto
    assert csv_text.label == "Download CSV"

    at.button(key="open_student_button").click().run()
    assert not at.exception
    assert at.header[0].value == d["cs"][0].name
    assert {m.label: m.value for m in at.metric}["Best ATS"] == "25"
    # AppTest keeps rerunning the page it was switched to by the test, so switch explicitly to keep interacting
    at.query_params["student"] = str(d["cs"][0].id)
    at.switch_page("app_pages/student.py").run()
    at.selectbox(key="student_report").select_index(0).run()
    assert not at.exception
    assert not at.error
    assert any("Role compatibility 25 / 100" in m.value for m in at.markdown)
    # The interview tab is the student's own interview view (core.ui.interview_view), read-only.
    assert at.selectbox(key="student_interview").value is not None
    assert {"Overall": "60", "Technical": "60"}.items() <= {m.label: m.value for m in at.metric}.items()
    assert any(e.label.startswith("Question 1: Tell me about a project.") for e in at.expander)
    at.text_area[0].input("Focus on SQL: add one project with a query you wrote.")
    next(b for b in at.button if b.label == "Save note").click().run()
    assert not at.exception
    assert "Saved. The student can read it now." in [s.value for s in at.success]

    student_at = open_app(d["cs"][0], page="app_pages/my_cohorts.py")
    assert "Focus on SQL: add one project with a query you wrote." in texts(student_at, "markdown")
    with d["ctx"].db.session() as s:
        views = s.scalars(
            select(AuditLog.action).where(
                AuditLog.actor_id == d["counselor1"].id, AuditLog.subject_user_id == d["cs"][0].id
            )
        ).all()
    assert "view.student_overview" in views and "note.add" in views


def test_counselor_of_other_cohort_cannot_open_student(open_app, demo_data):
    d = demo_data
    at = open_app(d["counselor2"])
    at.query_params["student"] = str(d["cs"][0].id)
    at.switch_page("app_pages/student.py").run()
    assert not at.exception
    assert "This student was not found or is not yours." in [e.value for e in at.error]
    assert not at.header


def test_a_missing_student_reads_the_same_as_someone_elses(open_app, demo_data):
    at = open_app(demo_data["admin"])
    at.query_params["student"] = "999999"
    at.switch_page("app_pages/student.py").run()
    assert not at.exception
    assert "This student was not found or is not yours." in [e.value for e in at.error]
    assert not at.header


def test_student_cannot_open_counselor_or_admin_pages(open_app, demo_data):
    at = open_app(demo_data["cs"][0])
    for page in COUNSELOR_PAGES:
        with pytest.raises(ValueError, match="Could not find"):
            at.switch_page(page)


def test_invite_link_survives_sign_in_then_join_needs_consent_and_leave(demo_data, make_user):
    """A signed-out student opens the link, signs in, and lands on My cohorts with the code filled in."""
    d = demo_data
    newcomer = make_user()
    link = urlsplit(cohorts.invite_link(d["ctx"].settings, "CS2027"))
    at = AppTest.from_file(APP_FILE, default_timeout=20)
    at.query_params.update(parse_qsl(link.query))
    at.run()
    assert [t.value for t in at.title] == ["InterviewPrep"] and not at.exception  # the sign-in page, no error
    email_box, password_box = (box for box in at.text_input if box.key is None)
    email_box.input(newcomer.email)
    password_box.input(PASSWORD)
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert [t.value for t in at.title] == ["My cohorts"]
    assert at.text_input(key="join_code").value == "CS2027"
    next(b for b in at.button if b.label == "Join").click().run()
    assert any("Tick the consent box" in e.value for e in at.error)
    at.checkbox(key="join_consent").check()
    next(b for b in at.button if b.label == "Join").click().run()
    assert any("You joined Computer Science" in s.value for s in at.success)
    at.button(key=f"leave_{d['cohorts']['CS2027']}").click().run()
    at.button(key=f"leave_yes_{d['cohorts']['CS2027']}").click().run()
    assert cohorts.my_cohorts(d["ctx"], newcomer) == []


def test_account_page_exports_and_deletes(open_app, make_user, app_env):
    student = make_user()
    at = open_app(student, page="app_pages/account.py")
    at.button(key="export_prepare").click().run()
    assert not at.exception
    assert [b.proto.label for b in at.get("download_button")] == ["Download my data (zip)"]
    at.text_input(key="delete_confirm").input(student.email)
    at.button(key="delete_account").click().run()
    assert [t.value for t in at.title] == ["InterviewPrep"]  # signed out: the account is gone
    assert users.load_actor(app_env, student.id) is None


def test_admin_pages_manage_users_and_show_audit(open_app, demo_data):
    d = demo_data
    at = open_app(d["admin"], page="app_pages/admin_users.py")
    at.text_input(key="user_search").input("student01@").run()
    assert list(table(at)["Email"]) == [d["cs"][0].email]
    at.button(key="lock").click().run()
    assert users.load_actor(d["ctx"], d["cs"][0].id) is None
    at.button(key="unlock").click().run()
    assert users.load_actor(d["ctx"], d["cs"][0].id) is not None

    at.switch_page("app_pages/cohorts.py").run()
    assert not at.exception
    assert at.selectbox(key="cohort_id").options[:2] != []
    at.switch_page("app_pages/admin_audit.py").run()
    at.text_input(key="audit_action").input("user.").run()
    assert set(table(at)["Action"]) >= {"user.lock", "user.unlock"}


def test_admin_assigns_a_counselor_and_moves_a_student_on_the_cohorts_page(open_app, demo_data):
    d = demo_data
    cs, ba, student = d["cohorts"]["CS2027"], d["cohorts"]["BA2027"], d["cs"][0]
    at = open_app(d["admin"], page="app_pages/cohorts.py")
    at.selectbox(key="cohort_id").set_value(cs).run()
    at.selectbox(key="assign_who").set_value(d["counselor2"].id)
    at.button(key="assign").click().run()
    assert not at.exception and not at.error
    assert d["counselor2"].name in cohorts.get_cohort(d["ctx"], d["admin"], cs).counselors

    at.selectbox(key="move_who").set_value(student.id)
    at.selectbox(key="move_to").set_value(ba)
    at.button(key="move").click().run()
    assert f"Moved {student.name} to Business Analytics — Class of 2027." in [s.value for s in at.success]
    assert [m.cohort_id for m in cohorts.my_cohorts(d["ctx"], student)] == [ba]
    # counselor1 coaches CS only, so the moved student is out of reach; counselor2 now coaches both
    with pytest.raises(AppError):
        dashboard.student_overview(d["ctx"], d["counselor1"], student.id)
    assert dashboard.student_overview(d["ctx"], d["counselor2"], student.id).cohorts == [
        "Business Analytics — Class of 2027"
    ]
