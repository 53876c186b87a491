"""Signed webhooks from the payment provider (and, per conversation, from Tavus).

Razorpay: the raw body's HMAC-SHA256 with the webhook secret must equal `X-Razorpay-Signature` (400 if not);
a `payment_link.*` event is settled through the same path as the return redirect and reconciliation, so a
payment is credited once however many of them arrive; other events are acknowledged with 200 and ignored.
"""

from __future__ import annotations

import json
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from core.api import responses
from core.api.bodies import MAX_EVENT_BYTES, read_body
from core.billing import purchases
from core.context import AppContext
from core.errors import AppError
from core.integrations.payments import webhook_link_status, webhook_signature_valid

log = logging.getLogger(__name__)

async def razorpay(request: Request, ctx: AppContext) -> JSONResponse:
    secret = ctx.settings.razorpay_webhook_secret
    if not secret or ctx.settings.payment_provider != "razorpay":
        return responses.failure(503, "WEBHOOK_NOT_CONFIGURED", "Razorpay webhooks are not set up on this server.")
    body = await read_body(request, MAX_EVENT_BYTES)
    if body is None:
        return responses.failure(413, responses.REQUEST_TOO_LARGE, "The webhook body is too large.")
    if not webhook_signature_valid(body, request.headers.get("x-razorpay-signature", ""), secret):
        log.warning("razorpay webhook with a bad signature")
        return responses.failure(400, responses.INVALID_SIGNATURE, "The X-Razorpay-Signature does not match the body.")
    try:
        status = webhook_link_status(json.loads(body))
    except ValueError:  # not JSON (or not UTF-8), or not the Razorpay event it claims to be
        log.warning("razorpay webhook with a signed but malformed body")
        return responses.failure(400, "INVALID_INPUT", "The webhook body is not a Razorpay event.")
    if status is None:
        return JSONResponse({"success": True, "handled": False})
    try:
        result = await run_in_threadpool(purchases.settle_webhook, ctx, status)
    except AppError as error:  # e.g. an amount that does not match the pack: logged; retrying will not help
        log.error("razorpay webhook for %s not credited: %s", status.ref, error.message)
        return JSONResponse({"success": True, "handled": False})
    return JSONResponse({"success": True, "handled": result is not None,
                         "credited_now": bool(result and result.credited_now)})  # fmt: skip
