"""What users type, checked against the columns it is stored in before any query touches it.

PostgreSQL answers a value longer than its column, a NUL character or a number beyond its integer type
with a DataError (and a text with an unpaired surrogate never even encodes); SQLite stores all of them.
Checking here gives both databases the same INVALID_INPUT error with a plain sentence, never a stack trace.
"""

from __future__ import annotations

from core.errors import AppError, ErrorCode

EMAIL_MAX = 320  # users.email
NAME_MAX = 200  # users.name, cohorts.name, jobs.title / company / location
TERM_MAX = 100  # cohorts.term
LONG_TEXT_MAX = 50_000  # job descriptions and cohort descriptions (Text columns, bounded for sanity)
MAX_CREDITS = 100_000  # any one charge, grant or purchase: far above real use, far below the integer column


def text_problem(value: str, *, limit: int) -> str | None:
    """Why `value` cannot be stored (in plain words), or None when it can."""
    if "\x00" in value:
        return "contains a NUL character (often left by copying from a binary file)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains characters that are not valid text"
    if len(value) > limit:
        return f"is too long: at most {limit:,} characters"
    return None


def check_text(value: str, *, label: str, limit: int) -> str:
    """`value` unchanged when it fits its column; otherwise INVALID_INPUT naming the field."""
    problem = text_problem(value, limit=limit)
    if problem:
        raise AppError(ErrorCode.INVALID_INPUT, f"{label} {problem}.")
    return value


def check_optional(value: str | None, *, label: str, limit: int) -> str | None:
    return None if value is None else check_text(value, label=label, limit=limit)


def storable_email(email: str) -> bool:
    """False for an address no account can have, so look-ups answer "no such user" without a query."""
    return text_problem(email, limit=EMAIL_MAX) is None
