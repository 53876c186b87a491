"""CV records on SQLite and PostgreSQL: upload, dedupe, default, delete, failure atomicity, who may see what."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError

from core.access import Actor, Role
from core.context import AppContext
from core.errors import AppError, ErrorCode
from core.models import CV, Analysis, AuditLog, Cohort, CohortMember
from core.student import cvs
from tests.conftest import CORPUS, free_port
from tests.fakes.mistral_server import API_KEY, FakeMistral, ocr_pages

RESUMES = CORPUS / "resumes"
LABELS = json.loads((CORPUS / "labels.json").read_text())["resumes"]
TEXT_FILES = sorted(name for name, label in LABELS.items() if label["text_layer"])
SCANNED = next(name for name, label in LABELS.items() if not label["text_layer"])
TXT_CV = "07_carla_mendes.txt"


def corpus_bytes(name: str) -> bytes:
    return (RESUMES / name).read_bytes()


def upload(ctx: AppContext, actor: Actor, name: str = TXT_CV) -> cvs.CVRecord:
    return cvs.upload_cv(ctx, actor, name, corpus_bytes(name))


def storage_key(ctx: AppContext, cv_id: int) -> str:
    with ctx.db.session() as session:
        return session.get(CV, cv_id).storage_key


def stored_files(ctx: AppContext) -> list[Path]:
    root = ctx.settings.upload_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def cv_rows(ctx: AppContext) -> int:
    with ctx.db.session() as session:
        return len(session.scalars(select(CV.id)).all())


def code_of(call: Callable[[], object]) -> ErrorCode:
    with pytest.raises(AppError) as err:
        call()
    return err.value.code


# --- upload -----------------------------------------------------------------------------------


def test_every_corpus_cv_uploads_parses_and_round_trips(ctx: AppContext, make_user) -> None:
    student = make_user()
    records = [upload(ctx, student, name) for name in TEXT_FILES]
    for name, record in zip(TEXT_FILES, records, strict=True):
        data = corpus_bytes(name)
        assert (record.filename, record.file_type, record.size_bytes) == (name, name.rsplit(".")[1], len(data))
        assert record.parsed["email"] == LABELS[name]["email"]
        assert record.text.strip()
        assert cvs.download_cv(ctx, student, record.id) == (name, data)
    assert [r.is_default for r in records] == [True] + [False] * (len(records) - 1)
    assert len(stored_files(ctx)) == len(TEXT_FILES)
    assert {r.id for r in cvs.list_cvs(ctx, student)} == {r.id for r in records}


def test_scanned_pdf_without_ocr_is_refused_and_nothing_is_kept(ctx: AppContext, make_user) -> None:
    student = make_user()
    assert code_of(lambda: upload(ctx, student, SCANNED)) == ErrorCode.NO_TEXT_LAYER
    assert cv_rows(ctx) == 0
    assert stored_files(ctx) == []


def test_scanned_pdf_is_read_by_ocr_when_configured(ctx: AppContext, make_user, fake_mistral: FakeMistral) -> None:
    fake_mistral.script("ocr", ocr_pages(["# Bianca Russo\nbianca.russo@example.com", "## Experience\nNurse"]))
    ocr_ctx = AppContext(
        ctx.settings.model_copy(update={"mistral_api_key": API_KEY, "mistral_base_url": fake_mistral.origin}), ctx.db
    )
    record = upload(ocr_ctx, make_user(), SCANNED)
    assert record.file_type == "pdf"
    assert "bianca.russo@example.com" in record.text
    assert record.parsed["email"] == "bianca.russo@example.com"
    assert len(fake_mistral.requests_to("ocr")) == 1


def test_hostile_file_gets_its_code_and_nothing_is_kept(ctx: AppContext, make_user) -> None:
    student = make_user()
    assert code_of(lambda: cvs.upload_cv(ctx, student, "cv.pdf", os.urandom(4096))) == ErrorCode.INVALID_FILE_FORMAT
    assert code_of(lambda: cvs.upload_cv(ctx, student, "cv.txt", b"")) == ErrorCode.EMPTY_FILE
    assert cv_rows(ctx) == 0
    assert stored_files(ctx) == []


def test_file_name_is_sanitised(ctx: AppContext, make_user) -> None:
    record = cvs.upload_cv(ctx, make_user(), "../../etc/\x00cv.txt", corpus_bytes(TXT_CV))
    assert record.filename == "cv.txt"


def test_same_bytes_twice_return_the_first_cv(ctx: AppContext, make_user) -> None:
    student = make_user()
    first = upload(ctx, student)
    again = cvs.upload_cv(ctx, student, "renamed.txt", corpus_bytes(TXT_CV))
    assert (again.id, again.filename, again.reused, first.reused) == (first.id, TXT_CV, True, False)
    assert cv_rows(ctx) == 1
    assert len(stored_files(ctx)) == 1


def test_dedupe_is_per_student(ctx: AppContext, make_user) -> None:
    a, b = make_user(), make_user()
    cv_a, cv_b = upload(ctx, a), upload(ctx, b)
    assert cv_a.id != cv_b.id
    assert (cv_b.user_id, cv_b.is_default, cv_b.reused) == (b.id, True, False)
    assert len(stored_files(ctx)) == 2


def test_upload_works_on_s3(ctx: AppContext, make_user, s3_settings) -> None:
    s3_ctx = AppContext(s3_settings.model_copy(update={"database_url": ctx.db.url}), ctx.db)
    student = make_user()
    record = upload(s3_ctx, student)
    key = storage_key(s3_ctx, record.id)
    assert key.startswith(f"{student.id}/") and s3_ctx.storage.exists(key)
    assert cvs.download_cv(s3_ctx, student, record.id) == (TXT_CV, corpus_bytes(TXT_CV))
    cvs.delete_cv(s3_ctx, student, record.id)
    assert not s3_ctx.storage.exists(key)


# --- default ----------------------------------------------------------------------------------


def test_default_moves_and_is_handed_on_when_deleted(ctx: AppContext, make_user) -> None:
    student = make_user()
    assert cvs.default_cv(ctx, student) is None
    first, second, third = (upload(ctx, student, name) for name in TEXT_FILES[:3])
    assert cvs.default_cv(ctx, student).id == first.id
    assert cvs.set_default(ctx, student, second.id).is_default
    assert next((r.id, r.is_default) for r in cvs.list_cvs(ctx, student)) == (second.id, True)
    assert sum(r.is_default for r in cvs.list_cvs(ctx, student)) == 1
    cvs.delete_cv(ctx, student, second.id)
    assert cvs.default_cv(ctx, student).id == third.id  # the newest remaining
    cvs.delete_cv(ctx, student, third.id)
    cvs.delete_cv(ctx, student, first.id)
    assert cvs.default_cv(ctx, student) is None


# --- delete -----------------------------------------------------------------------------------


def test_delete_removes_file_and_row_and_analyses_keep_their_report(ctx: AppContext, make_user) -> None:
    student = make_user()
    record = upload(ctx, student)
    key = storage_key(ctx, record.id)
    report = {"ats_score": {"overall_score": 71}}
    with ctx.db.session() as session:
        analysis = Analysis(
            user_id=student.id, cv_id=record.id, cv_filename=record.filename, overall_score=71, keyword_density=60,
            skills_match=70, experience_relevance=80, education_match=90, format_optimization=50, report=report,
        )  # fmt: skip
        session.add(analysis)
        session.flush()
        analysis_id = analysis.id
    cvs.delete_cv(ctx, student, record.id)
    assert not ctx.storage.exists(key)
    assert cv_rows(ctx) == 0
    assert code_of(lambda: cvs.get_cv(ctx, student, record.id)) == ErrorCode.NOT_FOUND
    with ctx.db.session() as session:
        kept = session.get(Analysis, analysis_id)
        assert (kept.cv_id, kept.cv_filename, kept.report) == (None, TXT_CV, report)


def test_delete_keeps_the_row_when_the_file_cannot_be_removed(ctx: AppContext, make_user, s3_settings) -> None:
    s3 = s3_settings.model_copy(update={"database_url": ctx.db.url})
    student = make_user()
    record = upload(AppContext(s3, ctx.db), student)
    unreachable = AppContext(s3.model_copy(update={"s3_endpoint_url": f"http://127.0.0.1:{free_port()}"}), ctx.db)
    assert code_of(lambda: cvs.delete_cv(unreachable, student, record.id)) == ErrorCode.STORAGE_ERROR
    assert cvs.get_cv(ctx, student, record.id).is_default
    assert AppContext(s3, ctx.db).storage.exists(storage_key(ctx, record.id))


# --- failure atomicity ------------------------------------------------------------------------


def test_storage_failure_writes_no_row(ctx: AppContext, make_user, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the upload folder should be")
    broken = AppContext(ctx.settings.model_copy(update={"upload_dir": blocked}), ctx.db)
    assert code_of(lambda: upload(broken, make_user())) == ErrorCode.STORAGE_ERROR
    assert cv_rows(ctx) == 0


@contextmanager
def failing_cv_insert(ctx: AppContext) -> Iterator[None]:
    """Make the database refuse INSERTs into cvs, as a full disk or lost connection would."""

    def refuse(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CVS"):
            raise OperationalError(statement, parameters, Exception("database unavailable"))

    event.listen(ctx.db.engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", refuse)


def test_database_failure_removes_the_stored_file(ctx: AppContext, make_user) -> None:
    student = make_user()
    with failing_cv_insert(ctx), pytest.raises(OperationalError):
        upload(ctx, student)
    assert cv_rows(ctx) == 0
    assert stored_files(ctx) == []
    assert upload(ctx, student).is_default  # and the next attempt works


# --- who may see what -------------------------------------------------------------------------


def coach(ctx: AppContext, counselor: Actor, student: Actor) -> None:
    with ctx.db.session() as session:
        cohort = Cohort(name="Spring", invite_code=f"code-{counselor.id}-{student.id}")
        session.add(cohort)
        session.flush()
        session.add_all([
            CohortMember(cohort_id=cohort.id, user_id=counselor.id, member_role="counselor"),
            CohortMember(cohort_id=cohort.id, user_id=student.id, member_role="student"),
        ])  # fmt: skip


def test_another_student_is_refused_by_every_function(ctx: AppContext, make_user) -> None:
    owner, other = make_user(), make_user()
    cv = upload(ctx, owner)
    upload(ctx, owner, TEXT_FILES[0])
    refusals = {
        "get_cv": lambda: cvs.get_cv(ctx, other, cv.id),
        "download_cv": lambda: cvs.download_cv(ctx, other, cv.id),
        "set_default": lambda: cvs.set_default(ctx, other, cv.id),
        "delete_cv": lambda: cvs.delete_cv(ctx, other, cv.id),
        "list_cvs": lambda: cvs.list_cvs(ctx, other, student_id=owner.id),
    }
    for name, call in refusals.items():
        assert code_of(call) in {ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED}, name
    assert cvs.default_cv(ctx, other) is None
    assert cvs.list_cvs(ctx, other) == []
    mine = cvs.upload_cv(ctx, other, "mine.txt", corpus_bytes(TXT_CV))  # same bytes: a CV of their own
    assert (mine.user_id, mine.reused) == (other.id, False)
    # The owner's CVs are untouched.
    assert next((r.id, r.is_default) for r in cvs.list_cvs(ctx, owner)) == (cv.id, True)
    assert ctx.storage.exists(storage_key(ctx, cv.id))


def test_counselor_reads_only_their_students_cvs_and_never_changes_them(ctx: AppContext, make_user) -> None:
    student, stranger = make_user(), make_user()
    counselor = make_user(role=Role.COUNSELOR)
    coach(ctx, counselor, student)
    cv, strangers_cv = upload(ctx, student), upload(ctx, stranger)
    assert [r.id for r in cvs.list_cvs(ctx, counselor, student_id=student.id)] == [cv.id]
    assert cvs.get_cv(ctx, counselor, cv.id).parsed == cv.parsed
    assert cvs.download_cv(ctx, counselor, cv.id)[1] == corpus_bytes(TXT_CV)
    assert code_of(lambda: cvs.set_default(ctx, counselor, cv.id)) == ErrorCode.NOT_FOUND
    assert code_of(lambda: cvs.delete_cv(ctx, counselor, cv.id)) == ErrorCode.NOT_FOUND
    assert code_of(lambda: cvs.list_cvs(ctx, counselor, student_id=stranger.id)) == ErrorCode.NOT_FOUND
    assert code_of(lambda: cvs.get_cv(ctx, counselor, strangers_cv.id)) == ErrorCode.NOT_FOUND
    assert code_of(lambda: cvs.download_cv(ctx, counselor, strangers_cv.id)) == ErrorCode.NOT_FOUND
    with ctx.db.session() as session:
        views = session.scalars(
            select(AuditLog.action).where(AuditLog.actor_id == counselor.id, AuditLog.action.like("view.%"))
        ).all()
    assert sorted(views) == ["view.cv", "view.cv", "view.cvs"]


def test_admin_may_read_any_students_cvs(ctx: AppContext, make_user) -> None:
    student, admin = make_user(), make_user(role=Role.ADMIN)
    cv = upload(ctx, student)
    assert [r.id for r in cvs.list_cvs(ctx, admin, student_id=student.id)] == [cv.id]
    assert cvs.download_cv(ctx, admin, cv.id)[0] == TXT_CV


def test_unknown_cv_is_not_found(ctx: AppContext, make_user) -> None:
    student = make_user()
    for call in (cvs.get_cv, cvs.download_cv, cvs.set_default, cvs.delete_cv):
        assert code_of(lambda call=call: call(ctx, student, 999_999)) == ErrorCode.NOT_FOUND
