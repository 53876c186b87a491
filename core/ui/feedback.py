"""Turn failures into plain sentences: AppErrors show their message, anything else a short apology."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core.errors import AppError, ErrorCode

log = logging.getLogger("interviewprep")


def show_error(error: AppError) -> None:
    st.error(error.message, icon=":material/error:")
    if error.code == ErrorCode.INSUFFICIENT_CREDITS:
        st.page_link("app_pages/wallet.py", label="Buy credits on the Wallet page",
                     icon=":material/account_balance_wallet:")


@contextmanager
def user_errors() -> Iterator[None]:
    """Wrap an action: show AppErrors plainly; log unexpected errors and show a reference, never a traceback."""
    try:
        yield
    except AppError as error:
        show_error(error)
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception("unexpected error, reference %s", reference)
        st.error(f"Something went wrong on our side. Nothing was charged. Reference: {reference}")
