"""The OpenAPI 3.1 description of every route in core/api/routes.py, written by hand.

Written rather than generated: the routes are plain Starlette handlers (FastAPI would be a second framework
under st.App for seven routes), and a written document keeps the seed API's exact shapes visible.
"""

from __future__ import annotations

from functools import cache
from typing import Any

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: str, schema: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description, "content": {JSON: {"schema": _ref(schema)}}}
    if headers:
        answer["headers"] = headers
    return answer


def _error(description: str) -> dict[str, Any]:
    return _answer(description, "Error")


_INT = {"type": "integer"}
_STR = {"type": "string"}
_STRS = {"type": "array", "items": _STR}
_OPEN = {"type": "object"}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["success", "error", "code", "details"],
        "properties": {"success": {"const": False}, "error": _STR, "code": _STR, "details": _OPEN},
    },
    "Health": {
        "type": "object",
        "required": ["status", "service"],
        "properties": {"status": {"const": "healthy"}, "service": {"const": "Resume Analysis API"}},
    },
    "Ready": {
        "type": "object",
        "required": ["status", "down", "checks"],
        "properties": {
            "status": {"enum": ["ready", "unavailable"]},
            "down": _STRS,
            "checks": {"type": "object", "additionalProperties": _STR},
        },
    },
    "Report": {
        "type": "object",
        "required": ["analysis", "insights", "flashcards", "ats_score", "resume_preview"],
        "additionalProperties": False,
        "properties": {
            "analysis": {
                "type": "object",
                "required": ["matching_skills", "missing_skills", "matching_keywords", "missing_keywords",
                             "experience_match", "education_match", "role_compatibility"],
                "properties": {
                    "matching_skills": _STRS, "missing_skills": _STRS,
                    "matching_keywords": _STRS, "missing_keywords": _STRS,
                    "experience_match": _OPEN, "education_match": _OPEN, "role_compatibility": _OPEN,
                },
            },
            "insights": {
                "type": "object",
                "required": ["strengths", "improvements", "recommendations"],
                "properties": {"strengths": _STRS, "improvements": _STRS, "recommendations": _OPEN},
            },
            "flashcards": {
                "type": "array",
                "items": {"type": "object", "required": ["front", "back"],
                          "properties": {"front": _STR, "back": _STR}},
            },
            "ats_score": {
                "type": "object",
                "required": ["overall_score", "breakdown"],
                "properties": {
                    "overall_score": {"type": "integer", "minimum": 0, "maximum": 100},
                    "breakdown": {"type": "object", "additionalProperties": _INT},
                },
            },
            "resume_preview": _STR,
        },
    },
    "AnalysisSuccess": {
        "type": "object",
        "required": ["success", "data"],
        "properties": {"success": {"const": True}, "data": _ref("Report")},
    },
    "WebhookAck": {
        "type": "object",
        "required": ["success", "handled"],
        "properties": {"success": {"const": True}, "handled": {"type": "boolean"},
                       "credited_now": {"type": "boolean"}},
    },
}  # fmt: skip

_ANALYZE = {
    "summary": "Analyse a CV against a job description (charges the analysis price in credits)",
    "security": [{"bearer": []}],
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["resume", "job_description"],
                    "properties": {
                        "resume": {"type": "string", "format": "binary", "description": "PDF, DOCX or TXT"},
                        "job_description": {"type": "string", "minLength": 1},
                        "job_title": {"type": "string", "description": "Optional; else read from the text"},
                    },
                }
            }
        },
    },
    "responses": {
        "200": _answer("The report; it is also stored in the user's history", "AnalysisSuccess", {
            "X-Analysis-Id": {"schema": _STR}, "X-Credits-Charged": {"schema": _STR},
        }),
        "400": _error("INVALID_FILE_FORMAT, FILE_TOO_LARGE, EMPTY_FILE, ENCRYPTED_PDF, PDF_PROCESSING_ERROR, "
                      "DOCX_PROCESSING_ERROR, NO_TEXT_LAYER, MISSING_FILE, MISSING_JOB_DESCRIPTION, INVALID_INPUT"),
        "401": _error("UNAUTHORIZED: no token, or an unknown, revoked or expired one"),
        "402": _error("INSUFFICIENT_CREDITS"),
        "405": _error("METHOD_NOT_ALLOWED"),
        "413": _error("REQUEST_TOO_LARGE"),
        "429": _error("RATE_LIMITED (see Retry-After)"),
        "502": _error("AI_SERVICE_ERROR"),
        "503": _error("STORAGE_ERROR"),
    },
}  # fmt: skip


def _webhook(summary: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "summary": summary,
        "parameters": parameters,
        "requestBody": {"required": True, "content": {JSON: {"schema": _OPEN}}},
        "responses": {
            "200": _answer("Acknowledged (handled or ignored)", "WebhookAck"),
            "400": _error("INVALID_SIGNATURE or INVALID_INPUT"),
            "404": _error("NOT_FOUND: no conversation has this callback token"),
            "405": _error("METHOD_NOT_ALLOWED"),
            "413": _error("REQUEST_TOO_LARGE"),
            "503": _error("WEBHOOK_NOT_CONFIGURED"),
        },
    }


PATHS: dict[str, Any] = {
    "/health": {"get": {"summary": "The process answers", "responses": {"200": _answer("Up", "Health")}}},
    "/ready": {"get": {"summary": "The database and file storage answer", "responses": {
        "200": _answer("Ready", "Ready"), "503": _answer("Something named in `down` does not answer", "Ready"),
    }}},
    "/analyze-resume": {"post": {**_ANALYZE, "operationId": "analyzeResume"}},
    "/api/v1/analyze-resume": {"post": {**_ANALYZE, "operationId": "analyzeResumeV1"}},
    "/webhooks/razorpay": {"post": _webhook("Razorpay events (payment_link.paid credits the pack once)", [
        {"name": "X-Razorpay-Signature", "in": "header", "required": True, "schema": _STR},
    ])},
    "/webhooks/tavus/{token}": {"post": _webhook(
        "Tavus conversation callbacks; the token in the path is the conversation's own secret", [
            {"name": "token", "in": "path", "required": True, "schema": _STR},
        ])},
    "/openapi.json": {"get": {"summary": "This document", "responses": {
        "200": {"description": "OpenAPI 3.1", "content": {JSON: {"schema": _OPEN}}},
    }}},
}  # fmt: skip


@cache
def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "InterviewPrep API", "version": "1.0.0",
                 "description": "The Resume Analysis API (seed-compatible) and the app's webhooks."},
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "A personal API token from the Account page"}},
        },
    }  # fmt: skip
