"""Fixtures for real-browser journeys: one app server and one Chromium per test worker, a fresh browser
context (no cookies) per test, users created through core services, and screenshots on failure.

Add a journey: write tests/e2e/test_e2e_<feature>.py with tests taking `app` (a StreamlitPage on the signed-out
app), `new_tab` (another person's tab, e.g. a student reading what a counselor wrote) and `new_user` (creates a
user in the server's database); see test_e2e_auth.py.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from core.access import Actor, Role
from core.accounts import users
from core.context import AppContext
from core.student import analyses, cvs, jobs
from tests.conftest import CORPUS
from tests.e2e.harness import (
    ROOT,
    AppServer,
    StreamlitPage,
    app_server,
    chromium_problem,
    launch_chromium,
    server_context,
    slug,
)

HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "Journey-pass-2026"
FAILED = pytest.StashKey[bool]()


def matched(ctx: AppContext, student: Actor, cv_file: str, job_key: str = "data_analyst_mumbai") -> int:
    """Arrange, as the student would have done it: upload a corpus CV, match it against a catalogue job, and
    return the ATS score."""
    cv = cvs.upload_cv(ctx, student, cv_file, (CORPUS / "resumes" / cv_file).read_bytes())
    job = jobs.from_catalogue(ctx, student, job_key)
    return analyses.run_analysis(ctx, student, cv.id, job_id=job.id).overall_score


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/e2e is marked `e2e` (select with -m e2e, leave out with -m 'not e2e')."""
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture(scope="session")
def chromium() -> None:
    """Skip locally without Debian's Chromium; in CI (CI=true) its absence is a failure."""
    problem = chromium_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)


@pytest.fixture(scope="session")
def e2e_server(chromium: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with app_server(tmp_path_factory.mktemp("e2e-app")) as server:
        yield server


@pytest.fixture(scope="session")
def e2e_ctx(e2e_server: AppServer) -> Iterator[AppContext]:
    """A context on the server's database, for arranging data through core services."""
    with server_context(e2e_server) as ctx:
        yield ctx


@pytest.fixture(scope="session")
def new_user(e2e_ctx: AppContext) -> Callable[..., Actor]:
    """new_user(role=Role.STUDENT, name=None) -> Actor with a unique email and password PASSWORD."""

    def make(role: Role = Role.STUDENT, name: str | None = None) -> Actor:
        tag = uuid.uuid4().hex[:8]
        return users.create_user(
            e2e_ctx,
            email=f"{role}-{tag}@example.edu",
            name=name or f"{role.title()} {tag}",
            password=PASSWORD,
            role=role,
        )

    return make


@pytest.fixture(scope="session")
def browser(chromium: None) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def new_tab(
    request: pytest.FixtureRequest, browser: Browser, e2e_server: AppServer
) -> Iterator[Callable[..., StreamlitPage]]:
    """new_tab(**context_options) -> a signed-out tab in a fresh browser context (its own cookies): another
    person at another computer, 1280×900 unless told otherwise (harness.PHONE: a phone). Every tab's steps are
    saved when the test fails."""
    opened: list[StreamlitPage] = []

    def make(**context_options: object) -> StreamlitPage:
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **context_options})
        tab = StreamlitPage(context.new_page(), e2e_server.url)
        opened.append(tab)
        return tab.open("/")

    yield make
    if request.node.stash.get(FAILED, False):
        _save_failure(request.node, opened, e2e_server)
    for tab in opened:
        tab.page.context.close()


@pytest.fixture
def app(new_tab: Callable[..., StreamlitPage]) -> StreamlitPage:
    """A signed-out tab on the app, 1280×900."""
    return new_tab()


def _save_failure(item: pytest.Item, tabs: list[StreamlitPage], server: AppServer) -> None:
    """Write each tab's step screenshots and final screen, and the server log, to test-artifacts/<test>/
    (the second and later tabs into tab-2/, tab-3/...)."""
    folder = ARTIFACTS / slug(item.nodeid.split("::", 1)[-1])
    shutil.rmtree(folder, ignore_errors=True)
    for number, tab in enumerate(tabs, 1):
        with suppress(PlaywrightError):  # the page may be gone; the earlier steps are still worth saving
            tab.step("at failure")
        tab.save_shots(folder if number == 1 else folder / f"tab-{number}")
    (folder / "server.log").write_text(server.log_tail(20_000))
