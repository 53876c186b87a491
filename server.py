"""The one server: Streamlit's `st.App` around app.py, plus the HTTP API (core/api) beside it.

Run it with `streamlit run server.py` (Streamlit finds `app` and serves it through its uvicorn runner,
honouring .streamlit/config.toml and the usual --server.* flags), or `uvicorn server:app`.
The migrations run once at start-up, before the first request, so every route sees the current schema, and the
warm-up (core/ui/warmup.py) loads the pages' modules and the engine's data then, not on a user's first click.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from streamlit import config as streamlit_config

from core.api.routes import build_routes
from core.config import Settings
from core.context import AppContext, default_context
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


def accept_uploads_up_to(megabytes: int) -> None:
    """Let Streamlit's upload route take what MAX_UPLOAD_MB calls for (Settings.upload_transport_mb), however the
    server was started; never lowered, since voice recordings share the cap."""
    if streamlit_config.get_option("server.maxUploadSize") < megabytes:
        streamlit_config.set_option("server.maxUploadSize", megabytes, "MAX_UPLOAD_MB (server.py)")


mirror_secrets_into_env()
accept_uploads_up_to(Settings().upload_transport_mb)


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    await run_in_threadpool(lambda: context().db.upgrade())
    await run_in_threadpool(warm_up)
    yield
    context().db.dispose()


app = st.App(ROOT / "app.py", routes=build_routes(context), lifespan=lifespan)
