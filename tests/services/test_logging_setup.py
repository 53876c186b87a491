"""Logging goes to one stdout handler, installed once, and every line carries the id of the run that wrote it."""

from __future__ import annotations

import io
import logging
import re
import threading
from collections.abc import Iterator
from contextvars import copy_context

import pytest

from core import logging_setup


@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """Leave the root logger as it was (pytest's capture handlers included)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    root.handlers = [h for h in handlers if h.get_name() != logging_setup.HANDLER_NAME]
    yield root
    root.handlers, root.level = handlers, level


def test_configure_installs_one_handler_and_tags_lines(root_logger):
    out = io.StringIO()
    logging_setup.configure("debug", stream=out)
    logging_setup.configure("warning", stream=io.StringIO())
    assert [h.get_name() for h in root_logger.handlers].count(logging_setup.HANDLER_NAME) == 1
    assert root_logger.level == logging.WARNING

    def one_run() -> str:
        request_id = logging_setup.start_run("abcd1234", level="info")
        logging.getLogger("core.test").info("charged %d credit", 1)
        return request_id

    request_id = copy_context().run(one_run)
    logging.getLogger("core.test").warning("outside any run")

    first, second = out.getvalue().splitlines()
    assert re.fullmatch(r"abcd1234\.[0-9a-f]{4}", request_id)
    assert first.endswith(f"INFO [{request_id}] core.test: charged 1 credit")
    assert second.endswith("WARNING [-] core.test: outside any run")


def test_concurrent_runs_keep_their_own_ids(root_logger):
    out = io.StringIO()
    logging_setup.configure("info", stream=out)
    ids: dict[str, str] = {}
    barrier = threading.Barrier(2)

    def session(name: str) -> None:
        ids[name] = logging_setup.start_run(name)
        barrier.wait()  # both ids are set before either logs
        logging.getLogger("core.test").info("hello from %s", name)

    threads = [threading.Thread(target=copy_context().run, args=(session, name)) for name in ("aaaa0000", "bbbb1111")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = out.getvalue().splitlines()
    for name, request_id in ids.items():
        assert any(line.endswith(f"[{request_id}] core.test: hello from {name}") for line in lines)
    assert ids["aaaa0000"] != ids["bbbb1111"]


def _failing_page() -> None:
    import streamlit as st

    from core import logging_setup
    from core.ui.feedback import user_errors

    logging_setup.start_run("feed0001")
    with user_errors():
        raise RuntimeError("database exploded")
    st.write("the page goes on")


def test_unexpected_error_shows_the_log_reference_not_a_traceback(root_logger, capsys):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_failing_page).run()
    assert not at.exception
    [error] = at.error
    reference = re.search(r"Reference: (feed0001\.[0-9a-f]{4})$", error.value).group(1)
    assert "database exploded" not in error.value and "Traceback" not in error.value
    assert at.markdown[0].value == "the page goes on"
    log_line = next(line for line in capsys.readouterr().out.splitlines() if "unexpected error" in line)
    assert f"[{reference}] interviewprep: unexpected error" in log_line
