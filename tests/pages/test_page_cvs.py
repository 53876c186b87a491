"""AppTest of My CVs: empty state, upload a corpus CV, see it listed and previewed, refusals, default, delete."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.access import Role
from core.student import cvs
from tests.conftest import CORPUS
from tests.pages.shown import texts

PAGE = "app_pages/cvs.py"
RESUMES = CORPUS / "resumes"


def upload(at: AppTest, name: str, data: bytes | None = None, mime: str = "application/octet-stream") -> AppTest:
    data = (RESUMES / name).read_bytes() if data is None else data
    at.get("file_uploader")[0].set_value((name, data, mime))
    return at.run()


def test_new_student_sees_what_to_do(open_app, make_user) -> None:
    at = open_app(make_user(), page=PAGE)
    assert not at.exception
    assert at.title[0].value == "My CVs"
    assert any("You have no CVs yet" in info for info in texts(at, "info"))
    assert at.get("file_uploader")[0].proto.type == [".pdf", ".docx", ".txt"]


def test_upload_a_cv_lists_and_previews_it(open_app, make_user, app_env) -> None:
    student = make_user()
    at = upload(open_app(student, page=PAGE), "16_jordan_lee.pdf", mime="application/pdf")
    assert not at.exception
    assert "Added 16_jordan_lee.pdf." in texts(at, "success"), texts(at, "error")
    assert any("**16_jordan_lee.pdf**" in md and "Default" in md for md in texts(at, "markdown"))
    assert not any("You have no CVs yet" in info for info in texts(at, "info"))
    assert "Name: Jordan Lee" in texts(at, "markdown")
    assert any("could not find" in warning and "**summary**" in warning for warning in texts(at, "warning"))
    assert "Jordan Lee" in at.text_area[0].value
    download = at.get("download_button")[0]
    assert download.proto.label == "Download"
    [record] = cvs.list_cvs(app_env, student)
    assert (record.filename, record.is_default) == ("16_jordan_lee.pdf", True)
    assert at.get("file_uploader")[0].value is None  # emptied for the next upload

    at = upload(at, "16_jordan_lee.pdf", mime="application/pdf")  # the same file again
    assert "You had already uploaded this file, as 16_jordan_lee.pdf." in texts(at, "success")
    assert len(cvs.list_cvs(app_env, student)) == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("resume.pdf", bytes(range(256)) * 8, "This file is named .pdf but is not a PDF."),
        ("12_bianca_russo.pdf", None, "This PDF is a scanned image with no text we can read."),
        ("empty.txt", b"", "This file is empty."),
    ],
    ids=["not-a-pdf", "scanned-pdf", "empty"],
)
def test_refused_file_shows_its_message_in_plain_words(open_app, make_user, app_env, name, data, message) -> None:
    student = make_user()
    at = upload(open_app(student, page=PAGE), name, data)
    assert not at.exception
    assert any(f"We could not add {name}. {message}" in error for error in texts(at, "error")), texts(at, "error")
    assert not at.status and not at.expander  # in the open, not folded into a box
    at.run()  # a rerun keeps the message without reading the file again
    assert any(message in error for error in texts(at, "error"))
    assert cvs.list_cvs(app_env, student) == []


def test_over_the_limit_shows_the_reason_at_once_and_the_next_file_clears_it(open_app, make_user, app_env) -> None:
    student = make_user()
    at = open_app(student, page=PAGE)
    uploader = at.get("file_uploader")[0]
    assert "up to 5 MB" in uploader.proto.label
    assert uploader.proto.max_upload_size_mb == app_env.settings.upload_transport_mb == 10  # reaches us, up to 10
    big = b"%PDF-1.4\n" + b"0" * int(6.3 * 1024 * 1024)
    at = upload(at, "big.pdf", big, "application/pdf")
    assert not at.exception
    assert texts(at, "error") == ["We could not add big.pdf. This file is 6.3 MB; the limit is 5 MB."]
    assert not at.status and not at.expander

    at = upload(at, "07_carla_mendes.txt")  # the next file: the old reason is gone
    assert not at.exception
    assert texts(at, "error") == []
    assert "Added 07_carla_mendes.txt." in texts(at, "success")


def test_make_default_and_delete_with_confirmation(open_app, make_user, app_env) -> None:
    student = make_user()
    first = cvs.upload_cv(app_env, student, "07_carla_mendes.txt", (RESUMES / "07_carla_mendes.txt").read_bytes())
    second = cvs.upload_cv(app_env, student, "15_rafael_duran.txt", (RESUMES / "15_rafael_duran.txt").read_bytes())
    at = open_app(student, page=PAGE)
    at.button(key=f"cv_open_{second.id}").click().run()
    assert at.subheader[1].value == "15\\_rafael\\_duran.txt"
    at.button(key="cv_make_default").click().run()
    assert "15_rafael_duran.txt is now your default CV." in texts(at, "success")
    assert cvs.default_cv(app_env, student).id == second.id

    at.button(key="cv_delete").click().run()
    assert "and its stored file will be deleted" in " ".join(texts(at, "markdown"))
    at.button(key="cv_delete_cancel").click().run()
    assert len(cvs.list_cvs(app_env, student)) == 2
    assert "cv_confirm_delete" not in at.session_state

    at.button(key="cv_delete").click().run()
    at.button(key="cv_delete_confirm").click().run()
    assert not at.exception
    assert "Deleted 15_rafael_duran.txt." in texts(at, "success")
    assert [r.id for r in cvs.list_cvs(app_env, student)] == [first.id]
    assert cvs.default_cv(app_env, student).id == first.id


def test_counselor_cannot_open_my_cvs(open_app, make_user) -> None:
    at = open_app(make_user(role=Role.COUNSELOR))
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page(PAGE)
