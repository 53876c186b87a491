"""Fixtures for real-browser journeys: one app server and one Chromium per test worker, a fresh browser
context (no cookies) per test, users created through core services, and screenshots on failure.

Add a journey: write tests/e2e/test_e2e_<feature>.py with tests taking `app` (a StreamlitPage on the signed-out
app) and `new_user` (creates a user in the server's database); see test_e2e_auth.py.
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

from core import accounts
from core.accounts import Actor, Role
from core.config import Settings
from core.context import AppContext
from tests.e2e.harness import ROOT, AppServer, StreamlitPage, app_server, chromium_problem, launch_chromium, slug

HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "Journey-pass-2026"
FAILED = pytest.StashKey[bool]()


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
    env = e2e_server.env
    ctx = AppContext(
        Settings(
            app_env="test",
            database_url=env["DATABASE_URL"],
            data_dir=Path(env["DATA_DIR"]),
            upload_dir=Path(env["UPLOAD_DIR"]),
            bcrypt_rounds=4,
            seed_demo=False,
        )
    )
    yield ctx
    ctx.db.dispose()


@pytest.fixture(scope="session")
def new_user(e2e_ctx: AppContext) -> Callable[..., Actor]:
    """new_user(role=Role.STUDENT, name=None) -> Actor with a unique email and password PASSWORD."""

    def make(role: Role = Role.STUDENT, name: str | None = None) -> Actor:
        tag = uuid.uuid4().hex[:8]
        return accounts.create_user(
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
def app(request: pytest.FixtureRequest, browser: Browser, e2e_server: AppServer) -> Iterator[StreamlitPage]:
    """A signed-out tab on the app in a fresh browser context (its own cookies), 1280×900."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = StreamlitPage(context.new_page(), e2e_server.url)
    tab.open("/")
    yield tab
    if request.node.stash.get(FAILED, False):
        _save_failure(request.node, tab, e2e_server)
    context.close()


def _save_failure(item: pytest.Item, tab: StreamlitPage, server: AppServer) -> None:
    """Write each step's screenshot, the final screen and the server log to test-artifacts/<test>/."""
    folder = ARTIFACTS / slug(item.nodeid.split("::", 1)[-1])
    shutil.rmtree(folder, ignore_errors=True)
    with suppress(PlaywrightError):  # the page may be gone; the earlier steps are still worth saving
        tab.step("at failure")
    tab.save_shots(folder)
    (folder / "server.log").write_text(server.log_tail(20_000))
