"""Cohorts: invite codes, join with consent, leave, admin moves, published JDs, and who may see whom."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.access import Role
from core.coaching import cohorts, dashboard, notes
from core.errors import AppError, ErrorCode
from core.models import AuditLog, CohortMember, Job
from core.student import analyses, interviews
from tests.cohort_data import add_analysis


@pytest.fixture
def two_cohorts(ctx, make_user):
    """Counselor A coaches cohort A with student a; counselor B coaches cohort B with student b."""
    counselor_a, counselor_b = make_user(Role.COUNSELOR), make_user(Role.COUNSELOR)
    a = cohorts.create_cohort(ctx, counselor_a, name="Cohort A", term="Spring", target_roles="Data Analyst, SRE")
    b = cohorts.create_cohort(ctx, counselor_b, name="Cohort B")
    student_a, student_b = make_user(), make_user()
    cohorts.join_cohort(ctx, student_a, a.invite_code, consent=True)
    cohorts.join_cohort(ctx, student_b, b.invite_code, consent=True)
    return {
        "counselor_a": counselor_a,
        "counselor_b": counselor_b,
        "a": a,
        "b": b,
        "student_a": student_a,
        "student_b": student_b,
    }


def audit_actions(ctx, **where) -> list[str]:
    with ctx.db.session() as s:
        query = select(AuditLog.action).order_by(AuditLog.id)
        for key, value in where.items():
            query = query.where(getattr(AuditLog, key) == value)
        return list(s.scalars(query))


def test_create_cohort_gives_unguessable_code_link_and_makes_creator_counselor(ctx, make_user):
    counselor = make_user(Role.COUNSELOR)
    cohort = cohorts.create_cohort(ctx, counselor, name="  CS   2027 ", term="Spring", target_roles="SRE, sre, Data")
    assert cohort.name == "CS 2027"
    assert cohort.target_roles == ["SRE", "Data"]
    assert len(cohort.invite_code) == 8 and set(cohort.invite_code) <= set(cohorts.CODE_ALPHABET)
    assert cohort.counselors == [counselor.name]
    assert cohorts.invite_link(ctx.settings, cohort.invite_code) == (
        f"http://localhost:8501/?join={cohort.invite_code}"
    )
    other = cohorts.create_cohort(ctx, counselor, name="Other")
    assert other.invite_code != cohort.invite_code
    assert [c.name for c in cohorts.list_cohorts(ctx, counselor)] == ["CS 2027", "Other"]


def test_student_cannot_create_cohort(ctx, make_user):
    with pytest.raises(AppError) as error:
        cohorts.create_cohort(ctx, make_user(), name="Mine")
    assert error.value.code == ErrorCode.PERMISSION_DENIED


def test_join_needs_consent_and_a_valid_code_then_leave(ctx, make_user):
    counselor = make_user(Role.COUNSELOR)
    cohort = cohorts.create_cohort(ctx, counselor, name="CS")
    student = make_user()
    with pytest.raises(AppError, match="consent"):
        cohorts.join_cohort(ctx, student, cohort.invite_code, consent=False)
    with pytest.raises(AppError) as bad:
        cohorts.join_cohort(ctx, student, "NOPE1234", consent=True)
    assert bad.value.code == ErrorCode.NOT_FOUND
    membership = cohorts.join_cohort(ctx, student, f" {cohort.invite_code.lower()} ", consent=True)
    assert membership.name == "CS" and membership.counselors == [counselor.name] and membership.consent_at
    with pytest.raises(AppError, match="already a member"):
        cohorts.join_cohort(ctx, student, cohort.invite_code, consent=True)
    assert cohorts.get_cohort(ctx, counselor, cohort.id).students == 1

    cohorts.leave_cohort(ctx, student, cohort.id)
    assert cohorts.my_cohorts(ctx, student) == []
    assert cohorts.get_cohort(ctx, counselor, cohort.id).students == 0
    assert audit_actions(ctx, subject_user_id=student.id)[-2:] == ["cohort.join", "cohort.leave"]
    with pytest.raises(AppError):
        cohorts.leave_cohort(ctx, student, cohort.id)


def test_regenerated_code_stops_the_old_one(ctx, make_user):
    counselor = make_user(Role.COUNSELOR)
    cohort = cohorts.create_cohort(ctx, counselor, name="CS")
    new = cohorts.regenerate_code(ctx, counselor, cohort.id)
    assert new != cohort.invite_code
    with pytest.raises(AppError):
        cohorts.join_cohort(ctx, make_user(), cohort.invite_code, consent=True)
    cohorts.join_cohort(ctx, make_user(), new, consent=True)


def test_counselor_of_a_cannot_open_student_of_b(ctx, two_cohorts):
    t = two_cohorts
    with pytest.raises(AppError) as error:
        dashboard.student_overview(ctx, t["counselor_a"], t["student_b"].id)
    assert error.value.code == ErrorCode.NOT_FOUND  # the same answer as for a missing id
    for call in (
        lambda: dashboard.cohort_dashboard(ctx, t["counselor_a"], t["b"].id),
        lambda: cohorts.list_students(ctx, t["counselor_a"], t["b"].id),
        lambda: notes.add_note(ctx, t["counselor_a"], t["student_b"].id, "Hi"),
        lambda: notes.notes_about(ctx, t["counselor_a"], t["student_b"].id),
        lambda: cohorts.publish_job(ctx, t["counselor_a"], t["b"].id, "SRE", "", "text"),
    ):
        with pytest.raises(AppError) as error:
            call()
        assert error.value.code == ErrorCode.NOT_FOUND
    assert dashboard.student_overview(ctx, t["counselor_a"], t["student_a"].id).name == t["student_a"].name


def test_access_ends_when_the_student_leaves(ctx, two_cohorts):
    t = two_cohorts
    add_analysis(ctx, t["student_a"], 40, ["sql"])
    assert len(analyses.list_analyses(ctx, t["counselor_a"], student_id=t["student_a"].id)) == 1
    cohorts.leave_cohort(ctx, t["student_a"], t["a"].id)
    for read in (dashboard.student_overview, analyses.list_analyses, interviews.list_interviews):
        with pytest.raises(AppError) as error:
            read(ctx, t["counselor_a"], t["student_a"].id)
        assert error.value.code == ErrorCode.NOT_FOUND
    assert dashboard.cohort_dashboard(ctx, t["counselor_a"], t["a"].id).students == []


def test_students_never_see_each_other(ctx, two_cohorts, make_user):
    t = two_cohorts
    classmate = make_user()
    cohorts.join_cohort(ctx, classmate, t["a"].invite_code, consent=True)
    for call, code in (
        (lambda: dashboard.student_overview(ctx, classmate, t["student_a"].id), ErrorCode.NOT_FOUND),
        (lambda: dashboard.cohort_dashboard(ctx, classmate, t["a"].id), ErrorCode.PERMISSION_DENIED),  # staff only
        (lambda: cohorts.list_students(ctx, classmate, t["a"].id), ErrorCode.PERMISSION_DENIED),
        (lambda: notes.notes_about(ctx, classmate, t["student_a"].id), ErrorCode.NOT_FOUND),
    ):
        with pytest.raises(AppError) as error:
            call()
        assert error.value.code == code
    assert dashboard.student_overview(ctx, t["student_a"], t["student_a"].id).user_id == t["student_a"].id


def test_views_of_a_students_data_are_audit_logged(ctx, two_cohorts, make_user):
    t = two_cohorts
    admin = make_user(Role.ADMIN)
    dashboard.student_overview(ctx, t["counselor_a"], t["student_a"].id)
    dashboard.student_overview(ctx, admin, t["student_b"].id)
    dashboard.student_overview(ctx, t["student_a"], t["student_a"].id)  # one's own data: not a view of others
    dashboard.cohort_dashboard(ctx, t["counselor_a"], t["a"].id)
    with ctx.db.session() as s:
        rows = s.execute(
            select(AuditLog.actor_id, AuditLog.action, AuditLog.subject_user_id, AuditLog.target_id)
            .where(AuditLog.action.startswith("view."))
            .order_by(AuditLog.id)
        ).all()
    assert rows == [
        (t["counselor_a"].id, "view.student_overview", t["student_a"].id, None),
        (admin.id, "view.student_overview", t["student_b"].id, None),
        (t["counselor_a"].id, "view.cohort_dashboard", None, str(t["a"].id)),
    ]


def test_admin_assigns_counselors_and_moves_students(ctx, two_cohorts, make_user):
    t = two_cohorts
    admin = make_user(Role.ADMIN)
    assert {c.name for c in cohorts.list_cohorts(ctx, admin)} == {"Cohort A", "Cohort B"}
    cohorts.assign_counselor(ctx, admin, t["b"].id, t["counselor_a"].id)
    assert cohorts.get_cohort(ctx, t["counselor_a"], t["b"].id).students == 1
    with pytest.raises(AppError, match="already"):
        cohorts.assign_counselor(ctx, admin, t["b"].id, t["counselor_a"].id)
    with pytest.raises(AppError, match="Only counselor"):
        cohorts.assign_counselor(ctx, admin, t["b"].id, t["student_a"].id)
    cohorts.remove_counselor(ctx, admin, t["b"].id, t["counselor_a"].id)
    with pytest.raises(AppError):
        cohorts.get_cohort(ctx, t["counselor_a"], t["b"].id)

    cohorts.move_student(ctx, admin, t["student_a"].id, t["a"].id, t["b"].id)
    assert [m.name for m in cohorts.my_cohorts(ctx, t["student_a"])] == ["Cohort B"]
    assert {p.id for p in cohorts.list_students(ctx, t["counselor_b"], t["b"].id)} == {
        t["student_a"].id,
        t["student_b"].id,
    }
    with pytest.raises(AppError):
        dashboard.student_overview(ctx, t["counselor_a"], t["student_a"].id)
    with pytest.raises(AppError) as error:
        cohorts.move_student(ctx, t["counselor_b"], t["student_a"].id, t["b"].id, t["a"].id)
    assert error.value.code == ErrorCode.PERMISSION_DENIED


def test_publish_job_to_cohort_is_seen_by_members_only(ctx, two_cohorts):
    t = two_cohorts
    job_id = cohorts.publish_job(ctx, t["counselor_a"], t["a"].id, " Data  Analyst ", "Acme", "SQL, Python")
    with ctx.db.session() as s:
        job = s.get(Job, job_id)
        assert (job.source, job.cohort_id, job.owner_id, job.title) == ("cohort", t["a"].id, None, "Data Analyst")
    assert [j.id for j in cohorts.cohort_jobs(ctx, t["student_a"])] == [job_id]
    assert cohorts.cohort_jobs(ctx, t["student_b"]) == []
    assert [j.title for j in cohorts.cohort_jobs(ctx, t["counselor_a"], t["a"].id)] == ["Data Analyst"]
    with pytest.raises(AppError):
        cohorts.publish_job(ctx, t["counselor_a"], t["a"].id, "Empty", "", "   ")
    cohorts.unpublish_job(ctx, t["counselor_a"], job_id)
    assert cohorts.cohort_jobs(ctx, t["student_a"]) == []


def test_notes_reach_the_student_and_check_the_report_owner(ctx, two_cohorts):
    t = two_cohorts
    analysis_a = add_analysis(ctx, t["student_a"], 45, ["sql"], job_title="Data Analyst")
    analysis_b = add_analysis(ctx, t["student_b"], 45, ["sql"])
    with pytest.raises(AppError, match="does not belong"):
        notes.add_note(ctx, t["counselor_a"], t["student_a"].id, "Look", analysis_id=analysis_b)
    notes.add_note(ctx, t["counselor_a"], t["student_a"].id, "Great progress overall.")
    note = notes.add_note(ctx, t["counselor_a"], t["student_a"].id, "Add SQL projects.", analysis_id=analysis_a)
    assert note.about == "Report: Data Analyst" and note.author == t["counselor_a"].name
    mine = notes.notes_for_student(ctx, t["student_a"])
    assert [n.body for n in mine] == ["Add SQL projects.", "Great progress overall."]
    assert notes.notes_for_student(ctx, t["student_b"]) == []
    with pytest.raises(AppError):
        notes.delete_note(ctx, t["counselor_b"], note.id)
    notes.delete_note(ctx, t["counselor_a"], note.id)
    assert len(notes.notes_about(ctx, t["counselor_a"], t["student_a"].id)) == 1


def test_role_change_drops_memberships_that_no_longer_fit(ctx, two_cohorts, make_user):
    from core.accounts import admin as admin_service

    t = two_cohorts
    admin = make_user(Role.ADMIN)
    admin_service.set_role(ctx, admin, t["counselor_a"].id, Role.STUDENT)
    with ctx.db.session() as s:
        assert s.scalars(select(CohortMember).where(CohortMember.user_id == t["counselor_a"].id)).all() == []
