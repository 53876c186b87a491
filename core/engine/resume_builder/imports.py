"""Read an uploaded JSON file as a résumé: JSON Resume or the seed's shape, found by its keys.

Untrusted input: the size is checked before parsing, and anything that is not a JSON object of one of the two
shapes is refused with a sentence saying what is wrong; nothing is stored until it is a valid résumé.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from core.engine.resume_builder import jsonresume, seed
from core.engine.resume_builder.model import Resume
from core.errors import AppError, ErrorCode

MAX_JSON_BYTES = 200_000  # a long résumé as JSON is ~20 KB


def read_json(data: bytes, today: date | None = None) -> tuple[Resume, list[str]]:
    """(résumé, notes on what was not imported)."""
    if len(data) > MAX_JSON_BYTES:
        raise AppError(
            ErrorCode.FILE_TOO_LARGE,
            f"This file is {len(data) / 1000:,.0f} KB; a résumé file is at most {MAX_JSON_BYTES // 1000} KB.",
        )
    document = _parse(data)
    if seed.looks_like(document):
        return seed.import_document(document, today or date.today())
    return jsonresume.import_document(document)


def _parse(data: bytes) -> dict[str, Any]:
    if not data.strip():
        raise AppError(ErrorCode.EMPTY_FILE)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise AppError(ErrorCode.INVALID_FILE_FORMAT, "This file is not UTF-8 text, so it is not JSON.") from None
    except json.JSONDecodeError as exc:
        raise AppError(
            ErrorCode.INVALID_FILE_FORMAT, f"This file is not valid JSON (line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise AppError(ErrorCode.INVALID_FILE_FORMAT, "This JSON is nested far deeper than any résumé.") from None
    if not isinstance(document, dict):
        raise AppError(ErrorCode.INVALID_FILE_FORMAT, "This JSON file does not hold a résumé (expected an object).")
    return document
