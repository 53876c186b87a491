"""The HTTP API against the running server: health, readiness, and the paid /analyze-resume with API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from sqlalchemy import update

from core.accounts import tokens
from core.api.analyze import REPORT_KEYS
from core.billing import ledger
from core.db import utcnow
from core.errors import AppError
from core.models import ApiToken, User
from core.student import analyses, cvs
from tests.api.conftest import RATE_LIMIT, corpus_file


def assert_error(response: requests.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False and body["code"] == code, body
    assert body["error"] and isinstance(body["details"], dict)
    return body


# --- health, readiness, routes -----------------------------------------------------------------------


def test_health_answers_as_the_seed(server):
    response = requests.get(server.url + "/health", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "healthy", "service": "Resume Analysis API"}


def test_ready_checks_database_and_storage(server):
    response = requests.get(server.url + "/ready", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "down": [], "checks": {"database": "ok", "storage": "ok"}}


def test_wrong_method_is_a_json_405_not_the_app_page(server):
    response = requests.get(server.url + "/analyze-resume", timeout=10)
    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["Allow"] == "POST"


def test_openapi_describes_every_route(server):
    document = requests.get(server.url + "/openapi.json", timeout=10).json()
    assert document["openapi"].startswith("3.")
    assert {"/health", "/ready", "/analyze-resume", "/api/v1/analyze-resume", "/webhooks/razorpay",
            "/openapi.json"} <= set(document["paths"])  # fmt: skip


def test_the_streamlit_app_is_served_beside_the_api(server):
    assert b"<noscript>" in requests.get(server.url + "/", timeout=10).content


# --- analysis -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "path"),
    [("01_marcus_bell.pdf", "/analyze-resume"), ("03_olivia_grant.docx", "/api/v1/analyze-resume"),
     ("07_carla_mendes.txt", "/analyze-resume")],
)  # fmt: skip
def test_each_file_type_is_analysed_charged_and_stored(server_ctx, new_user, token_for, analyze, name, path):
    student = new_user()
    before = ledger.balance(server_ctx, student)
    response = analyze(token_for(student), corpus_file(name), path=path)
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"success", "data"} and body["success"] is True
    assert tuple(body["data"]) == REPORT_KEYS
    assert 0 <= body["data"]["ats_score"]["overall_score"] <= 100
    assert ledger.balance(server_ctx, student) == before - server_ctx.settings.price_cv_analysis
    [summary] = analyses.list_analyses(server_ctx, student)  # in the history, as from the Job match page
    assert summary.id == int(response.headers["X-Analysis-Id"])
    assert summary.cv_filename == name
    stored = analyses.get_analysis(server_ctx, student, summary.id)
    assert stored.overall_score == body["data"]["ats_score"]["overall_score"]
    assert float(response.headers["Server-Timing"].split("dur=")[1]) > 0


def test_the_same_cv_twice_is_stored_once_and_charged_twice(server_ctx, new_user, token_for, analyze):
    student = new_user()
    token = token_for(student)
    for _ in range(2):
        assert analyze(token, corpus_file("02_aisha_mohammed.pdf")).status_code == 200
    assert len(cvs.list_cvs(server_ctx, student)) == 1
    assert len(analyses.list_analyses(server_ctx, student)) == 2
    assert ledger.balance(server_ctx, student) == server_ctx.settings.welcome_credits - 2


@pytest.mark.parametrize(
    ("file", "jd", "code"),
    [
        (("cv.exe", b"MZ\x90\x00binary"), "Data analyst", "INVALID_FILE_FORMAT"),
        (("cv.pdf", b"this is not a pdf at all"), "Data analyst", "INVALID_FILE_FORMAT"),
        (("cv.pdf", b"%PDF-1.4\n1 0 obj <</Type /Catalog>> broken"), "Data analyst", "PDF_PROCESSING_ERROR"),
        (("cv.txt", b""), "Data analyst", "EMPTY_FILE"),
        (("cv.txt", b"a" * (5 * 1024 * 1024 + 10)), "Data analyst", "FILE_TOO_LARGE"),
        (("cv.txt", b"Jane Doe\nSkills: SQL, Python"), "   ", "MISSING_JOB_DESCRIPTION"),
        (("cv.txt", b"Jane Doe\nSkills: SQL, Python"), None, "MISSING_JOB_DESCRIPTION"),
        (None, "Data analyst", "MISSING_FILE"),
    ],
    ids=["exe", "fake-pdf", "broken-pdf", "empty", "too-large", "blank-jd", "no-jd", "no-file"],
)
def test_bad_input_is_a_400_with_its_code_and_costs_nothing(server_ctx, new_user, token_for, analyze, file, jd,
                                                            code):  # fmt: skip
    student = new_user()
    assert_error(analyze(token_for(student), file, jd=jd), 400, code)
    assert ledger.balance(server_ctx, student) == server_ctx.settings.welcome_credits
    assert analyses.list_analyses(server_ctx, student) == []


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(server_ctx, new_user, token_for, analyze):
    student = new_user()
    huge = ("cv.txt", b"a" * (6 * 1024 * 1024))
    assert_error(analyze(token_for(student), huge), 413, "REQUEST_TOO_LARGE")
    assert ledger.balance(server_ctx, student) == server_ctx.settings.welcome_credits


def test_an_empty_wallet_is_a_402_and_nothing_is_stored(server_ctx, new_user, token_for, analyze):
    student = new_user()
    ledger.charge(server_ctx, student, server_ctx.settings.welcome_credits, "spent elsewhere")
    assert_error(analyze(token_for(student), corpus_file("01_marcus_bell.pdf")), 402, "INSUFFICIENT_CREDITS")
    assert analyses.list_analyses(server_ctx, student) == []
    assert ledger.balance(server_ctx, student) == 0


# --- tokens -------------------------------------------------------------------------------------------


def test_no_token_or_an_unknown_one_is_a_401(analyze):
    for token in (None, "ip_not-a-real-token", "Basic abc"):
        response = analyze(token, corpus_file("07_carla_mendes.txt"))
        assert_error(response, 401, "UNAUTHORIZED")
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_revoked_expired_and_disabled_tokens_stop_working(server_ctx, new_user, analyze):
    student = new_user()
    revoked_info, revoked = tokens.create_token(server_ctx, student, "revoked", 30)
    expired_info, expired = tokens.create_token(server_ctx, student, "expired", 30)
    tokens.revoke_token(server_ctx, student, revoked_info.id)
    with server_ctx.db.session() as session:
        session.execute(update(ApiToken).where(ApiToken.id == expired_info.id)
                        .values(expires_at=utcnow() - timedelta(seconds=1)))  # fmt: skip
    for token in (revoked, expired):
        assert_error(analyze(token, corpus_file("07_carla_mendes.txt")), 401, "UNAUTHORIZED")
    _, live = tokens.create_token(server_ctx, student, "live", 30)
    with server_ctx.db.session() as session:
        session.execute(update(User).where(User.id == student.id).values(disabled=True))
    assert_error(analyze(live, corpus_file("07_carla_mendes.txt")), 401, "UNAUTHORIZED")
    assert ledger.balance(server_ctx, student) == server_ctx.settings.welcome_credits


def test_tokens_are_stored_hashed_and_record_their_last_use(server_ctx, new_user, analyze):
    student = new_user()
    info, secret = tokens.create_token(server_ctx, student, "  My  laptop ", 90)
    assert info.name == "My laptop" and secret.startswith(info.prefix) and info.last_used_at is None
    with server_ctx.db.session() as session:
        row = session.get(ApiToken, info.id)
        assert secret not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    assert analyze(secret, corpus_file("07_carla_mendes.txt")).status_code == 200
    [listed] = tokens.list_tokens(server_ctx, student)
    assert listed.last_used_at is not None and listed.expires_at - listed.created_at == timedelta(days=90)


def test_a_token_charges_and_stores_only_for_its_owner(server_ctx, new_user, token_for, analyze):
    owner, other = new_user(), new_user()
    response = analyze(token_for(owner), corpus_file("01_marcus_bell.pdf"))
    assert response.status_code == 200
    assert ledger.balance(server_ctx, other) == server_ctx.settings.welcome_credits
    assert analyses.list_analyses(server_ctx, other) == []
    with pytest.raises(AppError, match="NOT_FOUND"):  # the other student cannot open the owner's report
        analyses.get_analysis(server_ctx, other, int(response.headers["X-Analysis-Id"]))
    other_token = tokens.list_tokens(server_ctx, owner)[0]
    with pytest.raises(AppError, match="NOT_FOUND"):  # nor revoke the owner's token
        tokens.revoke_token(server_ctx, other, other_token.id)


def test_more_than_the_limit_a_minute_is_a_429(new_user, token_for, analyze):
    token = token_for(new_user())
    for _ in range(RATE_LIMIT):
        assert_error(analyze(token, None), 400, "MISSING_FILE")
    response = analyze(token, corpus_file("07_carla_mendes.txt"))
    body = assert_error(response, 429, "RATE_LIMITED")
    assert 1 <= int(response.headers["Retry-After"]) == body["details"]["retry_after_seconds"] <= 60
    assert analyze(token_for(new_user()), None).status_code == 400  # another token has its own allowance
