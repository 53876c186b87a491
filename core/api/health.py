"""`/health` (the process answers; the seed's reply) and `/ready` (the database and storage answer too)."""

from __future__ import annotations

import logging

from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from core.context import AppContext
from core.errors import AppError

log = logging.getLogger(__name__)

HEALTHY = {"status": "healthy", "service": "Resume Analysis API"}


async def health(_request: Request) -> JSONResponse:
    return JSONResponse(HEALTHY)


def _check_database(ctx: AppContext) -> str | None:
    try:
        with ctx.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"; the reason goes to the log
        log.warning("readiness: database down: %s", exc)
        return "The database does not answer."
    return None


def _check_storage(ctx: AppContext) -> str | None:
    try:
        ctx.storage.health()
    except AppError as error:
        return error.message
    except Exception as exc:  # noqa: BLE001
        log.warning("readiness: storage down: %s", exc)
        return "File storage does not answer."
    return None


async def ready(_request: Request, ctx: AppContext) -> JSONResponse:
    """200 when every dependency answers; 503 naming the ones that do not."""
    problems = {
        name: problem
        for name, check in (("database", _check_database), ("storage", _check_storage))
        if (problem := await run_in_threadpool(check, ctx))
    }
    checks = {name: problems.get(name, "ok") for name in ("database", "storage")}
    if problems:
        return JSONResponse({"status": "unavailable", "down": sorted(problems), "checks": checks}, status_code=503)
    return JSONResponse({"status": "ready", "down": [], "checks": checks})
