"""Data export, account deletion (rows and stored files), and the admin's user tools and audit log."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from core.access import Role
from core.accounts import admin, privacy, users
from core.coaching import cohorts, notes
from core.errors import AppError, ErrorCode
from core.models import (
    CV,
    Analysis,
    Base,
    CohortMember,
    Flashcard,
    Interview,
    Note,
    Transaction,
    User,
    Wallet,
)
from core.storage import new_key
from core.student import cvs, interviews
from tests.cohort_data import add_analysis, add_cards, add_interview
from tests.conftest import CORPUS, PASSWORD


def store_cv(ctx, user, data: bytes = b"%PDF-1.4 my cv") -> str:
    key = new_key(user.id, "pdf")
    ctx.storage.put(key, data, "application/pdf")
    with ctx.db.session() as s:
        s.add(
            CV(
                user_id=user.id,
                filename="My CV.pdf",
                file_type="pdf",
                size_bytes=len(data),
                sha256="a" * 64,
                storage_key=key,
                text="cv text",
                parsed={"skills": ["python"]},
            )
        )
    return key


@pytest.fixture
def student_with_everything(ctx, make_user):
    counselor = make_user(Role.COUNSELOR)
    cohort = cohorts.create_cohort(ctx, counselor, name="CS")
    student = make_user(name="Dana Doe")
    cohorts.join_cohort(ctx, student, cohort.invite_code, consent=True)
    key = store_cv(ctx, student)
    analysis_id = add_analysis(ctx, student, 55, ["sql"])
    with ctx.db.session() as s:  # an analysis paid for by a ledger charge (FK analyses.charge_id -> transactions)
        wallet = s.get(Wallet, student.id)
        wallet.balance -= 1
        charge = Transaction(
            user_id=student.id, kind="charge", amount=-1, balance_after=wallet.balance, reason="CV analysis"
        )
        s.add(charge)
        s.flush()
        s.get(Analysis, analysis_id).charge_id = charge.id
    add_interview(ctx, student, 70)
    add_cards(ctx, student, due=2)
    notes.add_note(ctx, counselor, student.id, "Keep going", analysis_id=analysis_id)
    return {"student": student, "counselor": counselor, "key": key, "cohort": cohort}


def counts(ctx, user_id: int) -> dict[str, int]:
    owned = {
        User: User.id,
        Wallet: Wallet.user_id,  # (ledger rows are kept, pseudonymised: tests/services/test_erasure.py)
        CV: CV.user_id,
        Analysis: Analysis.user_id,
        Interview: Interview.user_id,
        Flashcard: Flashcard.user_id,
        Note: Note.student_id,
        CohortMember: CohortMember.user_id,
    }
    with ctx.db.session() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m).where(col == user_id))
            for m, col in owned.items()
        }


def test_export_contains_all_rows_and_the_file(ctx, student_with_everything):
    student = student_with_everything["student"]
    archive = zipfile.ZipFile(io.BytesIO(privacy.export_user_data(ctx, student)))
    names = archive.namelist()
    data = json.loads(archive.read("data.json"))
    assert data["user"]["email"] == student.email and "password_hash" not in data["user"]
    assert len(data["analyses"]) == 1 and data["analyses"][0]["report"]["analysis"]["missing_skills"] == ["sql"]
    assert len(data["interviews"]) == 1 and len(data["interview_results"]) == 1
    assert len(data["flashcards"]) == 2 and data["notes_from_counselors"][0]["body"] == "Keep going"
    assert data["cohorts"][0]["cohort"] == "CS" and data["cohorts"][0]["consent_at"]
    assert [t["kind"] for t in data["transactions"]] == ["welcome", "charge"]
    cv_files = [n for n in names if n.startswith("files/")]
    assert len(cv_files) == 1 and cv_files[0].endswith("My_CV.pdf")
    assert archive.read(cv_files[0]) == b"%PDF-1.4 my cv"


def test_delete_account_needs_confirmation_then_removes_rows_and_files(ctx, student_with_everything):
    t = student_with_everything
    student = t["student"]
    with pytest.raises(AppError, match="Type your email"):
        privacy.delete_account(ctx, student, confirm_email="wrong@example.com")
    assert ctx.storage.exists(t["key"])
    privacy.delete_account(ctx, student, confirm_email=student.email.upper())
    assert set(counts(ctx, student.id).values()) == {0}
    assert not ctx.storage.exists(t["key"])
    assert users.load_actor(ctx, student.id) is None
    with pytest.raises(AppError):
        users.authenticate(ctx, student.email, PASSWORD)
    # the counselor, the cohort and the audit record remain
    assert cohorts.get_cohort(ctx, t["counselor"], t["cohort"].id).students == 0
    entries = admin.audit_log(
        ctx,
        users.create_user(ctx, email="root@example.com", name="Root", password=PASSWORD, role=Role.ADMIN),
        action="user.delete",
    )
    assert [(e.actor, e.subject, e.details["by_self"]) for e in entries] == [
        (None, f"deleted user #{student.id}", True)
    ]


def test_answer_recordings_are_exported_and_erased_with_the_account(ctx, make_user):
    """Practice answers can carry a voice recording in storage: it is the student's data like their CV file."""
    student = make_user()
    cv = cvs.upload_cv(ctx, student, "cv.txt", (CORPUS / "resumes" / "07_carla_mendes.txt").read_bytes())
    interview = interviews.start_practice(ctx, student, cv.id)
    question = interview.questions[0]["id"]
    answered = interviews.answer(ctx, student, interview.id, question, "I rebuilt our lead funnel.", audio=b"RIFF-me")
    key = answered.answer_for(question)["audio"]["key"]
    with ctx.db.session() as s:
        cv_key = s.get(CV, cv.id).storage_key

    archive = zipfile.ZipFile(io.BytesIO(privacy.export_user_data(ctx, student)))
    assert archive.read(f"files/interview_{interview.id}_{question}.wav") == b"RIFF-me"
    assert archive.read(f"files/{cv.id}_cv.txt").startswith(b"CARLA MENDES")

    privacy.delete_account(ctx, student, confirm_email=student.email)
    assert not ctx.storage.exists(key) and not ctx.storage.exists(cv_key)


def test_admin_deletes_another_account_but_not_their_own(ctx, make_user, student_with_everything):
    t = student_with_everything
    root = make_user(Role.ADMIN)
    with pytest.raises(AppError, match="own account"):
        admin.delete_user(ctx, root, root.id, confirm_email=root.email)
    with pytest.raises(AppError, match="exactly"):
        admin.delete_user(ctx, root, t["student"].id, confirm_email="nope")
    admin.delete_user(ctx, root, t["student"].id, confirm_email=t["student"].email)
    assert set(counts(ctx, t["student"].id).values()) == {0}
    assert not ctx.storage.exists(t["key"])
    admin.delete_user(ctx, root, t["counselor"].id, confirm_email=t["counselor"].email)
    assert admin.search_users(ctx, root, t["counselor"].email) == []
    assert [c.counselors for c in cohorts.list_cohorts(ctx, root)] == [[]]


def test_search_role_lock_unlock_and_reset_password(ctx, make_user):
    root = make_user(Role.ADMIN)
    ana = make_user(email="ana.lopez@example.com", name="Ana Lopez")
    make_user(email="ben@example.com", name="Ben 100%")
    assert [u.email for u in admin.search_users(ctx, root, "LOPEZ")] == [ana.email]
    assert [u.name for u in admin.search_users(ctx, root, "100%")] == ["Ben 100%"]
    assert [u.email for u in admin.search_users(ctx, root, "", role=Role.ADMIN)] == [root.email]
    with pytest.raises(AppError) as error:
        admin.search_users(ctx, ana)
    assert error.value.code == ErrorCode.PERMISSION_DENIED

    admin.set_locked(ctx, root, ana.id, True)
    assert admin.search_users(ctx, root, "ana")[0].status == "locked by admin"
    assert users.load_actor(ctx, ana.id) is None
    with pytest.raises(AppError):
        users.authenticate(ctx, ana.email, PASSWORD)
    admin.set_locked(ctx, root, ana.id, False)
    assert users.authenticate(ctx, ana.email, PASSWORD).id == ana.id

    with pytest.raises(AppError, match="needs"):
        admin.reset_password(ctx, root, ana.id, "short")
    admin.reset_password(ctx, root, ana.id, "Temporary-pass-9")
    assert users.authenticate(ctx, ana.email, "Temporary-pass-9").id == ana.id

    admin.set_role(ctx, root, ana.id, Role.COUNSELOR)
    assert users.load_actor(ctx, ana.id).role == Role.COUNSELOR
    with pytest.raises(AppError, match="own account"):
        admin.set_role(ctx, root, root.id, Role.STUDENT)
    actions = [e.action for e in admin.audit_log(ctx, root, subject_email="ana.lopez")]
    assert actions[:4] == ["user.role", "user.password_reset", "user.unlock", "user.lock"]


def test_audit_log_filters(ctx, make_user):
    root = make_user(Role.ADMIN)
    counselor = make_user(Role.COUNSELOR, email="coach@example.com")
    cohort = cohorts.create_cohort(ctx, counselor, name="CS")
    student = make_user(email="stu@example.com")
    cohorts.join_cohort(ctx, student, cohort.invite_code, consent=True)
    from core.coaching import dashboard

    dashboard.student_overview(ctx, counselor, student.id)
    views = admin.audit_log(ctx, root, action="view.")
    assert [(e.actor, e.action, e.subject) for e in views] == [
        ("coach@example.com", "view.student_overview", "stu@example.com")
    ]
    assert [e.action for e in admin.audit_log(ctx, root, actor_email="coach")][:2] == [
        "view.student_overview",
        "cohort.create",
    ]
    assert admin.audit_log(ctx, root, action="view_", limit=5) == []
    assert len(admin.audit_log(ctx, root, limit=2)) == 2


def test_tables_owned_by_a_user_are_all_exported(ctx):
    """A new per-user table must be added to privacy.OWNED, or exports would silently miss it."""
    exported = {model.__tablename__ for _, model, _ in privacy.OWNED} | {"users", "cohort_members"}
    not_personal = {"cohorts", "audit_log"}
    assert {t.name for t in Base.metadata.sorted_tables} - not_personal == exported
