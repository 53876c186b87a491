"""Turn failures into plain sentences: AppErrors show their message, anything else a short apology."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core.errors import AppError, ErrorCode
from core.logging_setup import current_request_id

log = logging.getLogger("interviewprep")


def show_error(error: AppError) -> None:
    st.error(error.message, icon=":material/error:")
    if error.code == ErrorCode.INSUFFICIENT_CREDITS:
        st.page_link("app_pages/wallet.py", label="Buy credits on the Wallet page",
                     icon=":material/account_balance_wallet:")


REFUSALS = (ErrorCode.NOT_FOUND, ErrorCode.PERMISSION_DENIED)


@contextmanager
def not_found_or_not_yours(what: str) -> Iterator[None]:
    """Inside `user_errors()`: a missing and a forbidden target read the same ("`what` was not found or is not
    yours"), so a guessed or shared link never tells whether someone else's record exists."""
    try:
        yield
    except AppError as error:
        if error.code not in REFUSALS:
            raise
        raise AppError(error.code, f"{what} was not found or is not yours.") from error


@contextmanager
def user_errors() -> Iterator[None]:
    """Wrap an action: show AppErrors plainly; log unexpected errors and show a reference, never a traceback."""
    try:
        yield
    except AppError as error:
        show_error(error)
    except Exception:
        reference = current_request_id()  # the id on this run's log lines
        log.exception("unexpected error")
        st.error(f"Something went wrong on our side. Nothing was charged. Reference: {reference}")
