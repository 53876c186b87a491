"""The one server: Streamlit's `st.App` around app.py, plus the HTTP API (core/api) beside it.

Run it with `streamlit run server.py` (Streamlit finds `app` and serves it through its uvicorn runner,
honouring .streamlit/config.toml and the usual --server.* flags), or `uvicorn server:app`.
The migrations run once at start-up, before the first request, so every route sees the current schema, and the
warm-up (core/ui/warmup.py) loads the pages' modules and the engine's data then, not on a user's first click;
the parser workers (core/engine/worker_pool.py) are started then too, so no upload waits for an interpreter.
Charges left pending by a dead process are refunded at start-up and periodically; at shutdown (SIGTERM) the
running paid actions get a grace period, then are refunded (core/billing/ledger.py).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from types import FrameType

import streamlit as st
from starlette.concurrency import run_in_threadpool
from streamlit import config as streamlit_config

from core.api.routes import build_routes
from core.billing import ledger
from core.config import Settings
from core.context import AppContext, default_context
from core.engine.documents import start_workers, wait_for_workers
from core.student import interviews
from core.ui.state import mirror_secrets_into_env
from core.ui.warmup import warm_up

ROOT = Path(__file__).resolve().parent
log = logging.getLogger(__name__)


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
    ctx = context()
    await run_in_threadpool(ctx.db.upgrade)
    await run_in_threadpool(start_workers, ctx.settings)  # their imports overlap the warm-up
    await run_in_threadpool(warm_up)
    await run_in_threadpool(wait_for_workers, ctx.settings)
    sweeper = asyncio.create_task(_sweep_pending_charges(ctx))
    _refund_running_actions_on_sigterm(ctx)
    yield
    sweeper.cancel()
    await run_in_threadpool(ledger.drain, ctx, ctx.settings.shutdown_grace_seconds)
    ctx.db.dispose()


def _refund_running_actions_on_sigterm(ctx: AppContext) -> None:
    """On SIGTERM (docker stop, a redeploy) uvicorn waits for open requests before it shuts down, and the
    platform kills it a few seconds later: so from the signal on, running paid actions get the grace period,
    then are refunded (ledger.drain), while uvicorn's own handler starts the graceful shutdown as before."""
    previous = signal.getsignal(signal.SIGTERM)

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        grace = ctx.settings.shutdown_grace_seconds
        threading.Thread(target=ledger.drain, args=(ctx, grace), name="refund-on-sigterm", daemon=True).start()
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, on_sigterm)


async def _sweep_pending_charges(ctx: AppContext) -> None:
    """Refund charges a dead process left pending: now (after a crash or kill) and then periodically; also
    unscore and refund video interviews whose transcript is overdue, when nobody reopens them."""
    while True:
        try:
            await run_in_threadpool(ledger.sweep_pending, ctx, ctx.settings.charge_pending_seconds)
            await run_in_threadpool(interviews.settle_stalled_videos, ctx)
        except Exception:  # a database hiccup must not end the sweeping
            log.exception("the pending-charge sweep failed; it runs again later")
        await asyncio.sleep(ctx.settings.charge_sweep_seconds)


app = st.App(ROOT / "app.py", routes=build_routes(context), lifespan=lifespan)
