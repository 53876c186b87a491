"""Hostile text is bounded before parsing: refused at upload with TEXT_TOO_LONG, cut when parsed directly,
each within 5 s; UTF-16 text without a byte-order mark is read."""

from __future__ import annotations

import time

import pytest

from core.config import Settings
from core.engine.documents import MAX_TOKEN_CHARS, bound_text, extract_text, parse_cv
from core.engine.jd import parse_jd
from core.engine.resume import parse_resume
from core.errors import AppError, ErrorCode

HOSTILE = {
    "4 MB single word": "a" * (4 * 1024 * 1024),
    "5 MB many lines": "Python developer at Acme, jane@example.com 2020 - 2022\n" * (5 * 1024 * 1024 // 56),
    "80,000-char token": "x@" * 40_000 + " hello",
    "80,000-char e-mail-like token": "a." * 40_000 + "@example.com",
}


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(app_env="test", max_upload_mb=6, max_pdf_pages=20, extraction_timeout_seconds=5)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_upload_is_refused_quickly_with_a_clear_code(name: str, settings: Settings) -> None:
    started = time.perf_counter()
    with pytest.raises(AppError) as caught:
        extract_text(HOSTILE[name].encode(), "cv.txt", settings)
    assert caught.value.code == ErrorCode.TEXT_TOO_LONG
    assert "characters" in caught.value.message
    assert time.perf_counter() - started <= 5


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_parsed_directly_is_bounded(name: str) -> None:
    started = time.perf_counter()
    resume = parse_resume(HOSTILE[name])
    parse_jd(HOSTILE[name])
    assert time.perf_counter() - started <= 5
    assert resume["email"] is None or len(resume["email"]) <= MAX_TOKEN_CHARS


def test_bound_text_cuts_tokens_and_keeps_ordinary_text() -> None:
    ordinary = "Jane Example\njane@example.com\nPython, SQL"
    assert bound_text(ordinary) == ordinary
    assert max(len(token) for token in bound_text("a" * 10_000 + " b").split()) == MAX_TOKEN_CHARS


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(encoding: str, settings: Settings) -> None:
    text = "Jane Example\njane@example.com\nEXPERIENCE\nEngineer, Acme 2020 - 2022\n"
    document = extract_text(text.encode(encoding), "cv.txt", settings)
    assert document.text == text.strip()


def test_binary_with_nul_bytes_is_still_refused(settings: Settings) -> None:
    with pytest.raises(AppError) as caught:
        extract_text(bytes(range(256)) * 20, "cv.txt", settings)
    assert caught.value.code == ErrorCode.INVALID_FILE_FORMAT


def test_parse_cv_runs_the_parser_in_a_worker(settings: Settings) -> None:
    text = "Jane Example\njane@example.com\nEXPERIENCE\nEngineer, Acme  Jan 2020 - Jan 2022"
    from datetime import date

    assert parse_cv(text, settings, date(2026, 11, 1)) == parse_resume(text, date(2026, 11, 1))


def test_parse_cv_stops_at_the_time_limit_with_a_clear_code() -> None:
    tight = Settings(app_env="test", max_upload_mb=6, max_pdf_pages=20, extraction_timeout_seconds=0.001)
    started = time.perf_counter()
    with pytest.raises(AppError) as caught:
        parse_cv("Python developer, Acme 2020 - 2022\n" * 2500, tight)
    assert caught.value.code == ErrorCode.TEXT_TOO_LONG
    assert "too long" in caught.value.message
    assert time.perf_counter() - started <= 5


@pytest.mark.parametrize("run", ["a" * 2, "a.", "a-", "Aa", "x@", "1-"])
def test_contact_patterns_are_linear_in_the_token_length(run: str) -> None:
    """Unbounded text straight into the patterns: 4× the length costs about 4× the time, not 16×."""
    from core.engine import resume, skills

    for pattern in (resume._EMAIL_RE, resume._URL_RE, resume._PHONE_RE, skills._MASK):
        seconds = []
        for length in (20_000, 80_000):
            token = run * (length // len(run))
            started = time.perf_counter()
            pattern.findall(token)
            seconds.append(time.perf_counter() - started)
        assert seconds[1] < 0.25, (pattern.pattern[:40], seconds)  # quadratic: 80,000 characters took 68 s
