"""The one server: Streamlit's `st.App` around app.py, plus the HTTP API (core/api) beside it.

Run it with `streamlit run server.py` (Streamlit finds `app` and serves it through its uvicorn runner,
honouring .streamlit/config.toml and the usual --server.* flags), or `uvicorn server:app`.
The migrations run once at start-up, before the first request, so every route sees the current schema, and the
warm-up (core/ui/warmup.py) loads the pages' modules and the engine's data then, not on a user's first click;
the parser workers (core/engine/worker_pool.py) are started then too, so no upload waits for an interpreter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool

from core.api.routes import build_routes
from core.context import AppContext, default_context
from core.engine.documents import start_workers
from core.ui.state import mirror_secrets_into_env
from core.ui.warmup import warm_up

ROOT = Path(__file__).resolve().parent


@cache
def context() -> AppContext:
    """The API's context: settings from the environment and secrets.toml, as app.py reads them."""
    mirror_secrets_into_env()
    ctx = default_context()
    ctx.settings.check_production_ready()
    return ctx


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    await run_in_threadpool(lambda: context().db.upgrade())
    await run_in_threadpool(start_workers, context().settings)  # their imports overlap the warm-up
    await run_in_threadpool(warm_up)
    yield
    context().db.dispose()


app = st.App(ROOT / "app.py", routes=build_routes(context), lifespan=lifespan)
