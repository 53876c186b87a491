"""JSON answers in the seed API's shape.

`{"success": true, "data"}`, or `{"success": false, "error", "code", "details"}` with the HTTP status.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from core.errors import AppError, ErrorCode

# Codes the HTTP layer adds to the services' ErrorCode values.
UNAUTHORIZED = "UNAUTHORIZED"
RATE_LIMITED = "RATE_LIMITED"
REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
MISSING_FILE = "MISSING_FILE"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
INVALID_SIGNATURE = "INVALID_SIGNATURE"
INTERNAL_ERROR = "INTERNAL_ERROR"

STATUS_BY_CODE: dict[ErrorCode, int] = {
    ErrorCode.INVALID_CREDENTIALS: 401,
    ErrorCode.INSUFFICIENT_CREDITS: 402,
    ErrorCode.PERMISSION_DENIED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.AI_SERVICE_ERROR: 502,
    ErrorCode.STORAGE_ERROR: 503,
    ErrorCode.SERVER_BUSY: 503,
}


def success(data: Any, *, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"success": True, "data": data}, headers=headers)


def failure(
    status: int, code: str, message: str, details: dict[str, Any] | None = None, *,
    headers: dict[str, str] | None = None,
) -> JSONResponse:  # fmt: skip
    body = {"success": False, "error": message, "code": code, "details": details or {}}
    return JSONResponse(body, status_code=status, headers=headers)


def from_app_error(error: AppError) -> JSONResponse:
    """A service's AppError as its HTTP status (400 unless it names a better one)."""
    details = {key: value for key, value in error.details.items() if isinstance(value, str | int | float | bool)}
    return failure(STATUS_BY_CODE.get(error.code, 400), str(error.code), error.message, details)
