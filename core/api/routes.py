"""The API's routes, for server.py to hand to `st.App(routes=...)`.

Each path answers its documented methods and a JSON 405 for the rest (otherwise Streamlit's catch-all would
answer a GET with the app's HTML page). A handler that fails unexpectedly answers a JSON 500 and logs why.
Every answer carries `Server-Timing: app;dur=<ms>`, the time spent in the handler.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from functools import cache

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from core.api import analyze, health, openapi, responses, tavus_callbacks, webhooks
from core.api.ratelimit import RateLimiter
from core.context import AppContext

log = logging.getLogger(__name__)

Handler = Callable[[Request], Awaitable[Response]]
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


def _guarded(methods: tuple[str, ...], handler: Handler) -> Handler:
    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        if request.method not in methods and not (request.method == "HEAD" and "GET" in methods):
            allowed = ", ".join(methods)
            response: Response = responses.failure(
                405, responses.METHOD_NOT_ALLOWED, f"Use {allowed} here.", headers={"Allow": allowed}
            )
        else:
            try:
                response = await handler(request)
            except Exception:
                log.exception("API handler failed: %s %s", request.method, request.url.path)
                response = responses.failure(500, responses.INTERNAL_ERROR, "Something went wrong on our side.")
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    return endpoint


def build_routes(context: Callable[[], AppContext]) -> list[BaseRoute]:
    """Routes whose handlers get the process's AppContext from `context()` on each request."""

    @cache
    def limiter() -> RateLimiter:
        return RateLimiter(context().settings.api_rate_limit_per_minute)

    async def ready(request: Request) -> Response:
        return await health.ready(request, context())

    async def analyze_resume(request: Request) -> Response:
        return await analyze.analyze_resume(request, context(), limiter())

    async def razorpay(request: Request) -> Response:
        return await webhooks.razorpay(request, context())

    async def tavus(request: Request) -> Response:
        return await tavus_callbacks.tavus(request, context())

    async def schema(_request: Request) -> Response:
        return JSONResponse(openapi.document())

    table: list[tuple[str, tuple[str, ...], Handler]] = [
        ("/health", ("GET",), health.health),
        ("/ready", ("GET",), ready),
        ("/analyze-resume", ("POST",), analyze_resume),
        ("/api/v1/analyze-resume", ("POST",), analyze_resume),
        ("/webhooks/razorpay", ("POST",), razorpay),
        ("/webhooks/tavus/{token}", ("POST",), tavus),
        ("/openapi.json", ("GET",), schema),
    ]
    return [Route(path, _guarded(methods, handler), methods=ALL_METHODS) for path, methods, handler in table]
