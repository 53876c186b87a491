"""Tavus conversation callbacks: `POST /webhooks/tavus/{token}`.

Tavus signs nothing (docs.tavus.io/sections/webhooks-and-callbacks), so the credential is the path: each
conversation's callback_url carries its own unguessable token (core.student.interviews.start_video). An unknown
token is a 404 that changes nothing. A known one hands the event to the service path polling uses, so a
replayed or duplicated event, or one a poll already saw, changes nothing and scores or refunds nothing twice.
"""

from __future__ import annotations

import json
import logging
import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from core.api import responses
from core.api.bodies import MAX_EVENT_BYTES, read_body
from core.context import AppContext
from core.errors import ErrorCode
from core.integrations.tavus import (
    PERCEPTION_ANALYSIS,
    RECORDING_READY,
    REPLICA_JOINED,
    SHUTDOWN,
    TRANSCRIPTION_READY,
)
from core.student import interviews

log = logging.getLogger(__name__)

HANDLED = {REPLICA_JOINED, SHUTDOWN, TRANSCRIPTION_READY, RECORDING_READY, PERCEPTION_ANALYSIS}
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # secrets.token_urlsafe(32) is 43 of these
UNKNOWN = "No conversation has this callback address."


async def tavus(request: Request, ctx: AppContext) -> JSONResponse:
    token = request.path_params["token"]
    if not TOKEN.fullmatch(token):
        return responses.failure(404, str(ErrorCode.NOT_FOUND), UNKNOWN)
    body = await read_body(request, MAX_EVENT_BYTES)
    if body is None:
        return responses.failure(413, responses.REQUEST_TOO_LARGE, "The callback body is too large.")
    try:
        event = json.loads(body)
    except (ValueError, RecursionError):
        return responses.failure(400, str(ErrorCode.INVALID_INPUT), "The callback body is not JSON.")
    if not isinstance(event, dict):
        return responses.failure(400, str(ErrorCode.INVALID_INPUT), "The callback body is not a JSON object.")
    record = await run_in_threadpool(interviews.record_callback, ctx, token, event)
    if record is None:
        log.warning("tavus callback for an unknown token or conversation")
        return responses.failure(404, str(ErrorCode.NOT_FOUND), UNKNOWN)
    event_type = event.get("event_type")
    log.info("tavus callback %s for interview %s: now %s", str(event_type)[:60], record.id, record.status)
    return JSONResponse({"success": True, "handled": event_type in HANDLED})
