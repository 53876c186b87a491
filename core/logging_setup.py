"""Logging to stdout, one line per record, tagged with the id of the script run that wrote it.

Containers ship stdout to the log collector, so there is no file handler. Streamlit serves many sessions from
one process, each rerun on its own thread; a context variable carries `<session>.<run>` so the lines of one
user's click can be picked out of the interleaved output (and matched to the reference a user is shown).
"""

from __future__ import annotations

import logging
import secrets
import sys
from contextvars import ContextVar
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
HANDLER_NAME = "interviewprep-stdout"
_request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Stamp each record with the request id of the context that emitted it ("-" outside a run)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


def configure(level: str = "INFO", stream: TextIO | None = None) -> None:
    """Install the stdout handler on the root logger once per process; later calls only adjust the level."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    if any(handler.get_name() == HANDLER_NAME for handler in root.handlers):
        return
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.set_name(HANDLER_NAME)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)


def new_session_id() -> str:
    return secrets.token_hex(4)


def start_run(session_id: str, level: str = "INFO") -> str:
    """Call at the top of every script run: configure logging (once) and tag this run's records.

    Returns the request id, `<session_id>.<4 hex digits>`, fresh for each run of the same session.
    """
    configure(level)
    request_id = f"{session_id}.{secrets.token_hex(2)}"
    _request_id.set(request_id)
    return request_id


def current_request_id() -> str:
    return _request_id.get()
