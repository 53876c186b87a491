"""Drive the real app in a real browser: start Streamlit on a throwaway database, launch Debian's Chromium,
and act on pages the way a person does (by visible labels), waiting for Streamlit to finish each run.

Used by the e2e tests (tests/e2e/conftest.py) and by scripts/screenshots.py, so it has no pytest dependency.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, Playwright, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from core.config import Settings
from core.context import AppContext

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Debian's Chromium, never a Playwright browser download; flags keep it quiet and able to run as root in CI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Counts script runs and remembers when the run state last changed, so a wait can tell "my action's run has
# finished and nothing else (e.g. a component reporting a value) started since" from "nothing has started yet".
RUN_WATCH_JS = """
window.__stRuns = 0; window.__stChanged = Date.now();
new MutationObserver((records) => {
  for (const r of records) {
    if (r.target.getAttribute('data-testid') !== 'stApp') continue;
    window.__stChanged = Date.now();
    if (r.target.getAttribute('data-test-script-state') === 'running') window.__stRuns += 1;
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
"""
QUIET_JS = """ms => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector("[data-stale='true']") && Date.now() - window.__stChanged > ms;
}"""
# A phone as Streamlit recognises one (by its user agent: e.g. the sidebar closes after a page is picked).
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "is_mobile": True,
    "has_touch": True,
}
QUIET_MS = 400
TIMEOUT_MS = 20_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throwaway_env(workdir: Path, *, seed_demo: bool = False) -> dict[str, str]:
    """Environment pointing the app at a fresh SQLite database and upload folder under `workdir`."""
    return {
        "APP_ENV": "test",
        "DATABASE_URL": f"sqlite:///{workdir / 'app.db'}",
        "DATA_DIR": str(workdir),
        "UPLOAD_DIR": str(workdir / "uploads"),
        "SEED_DEMO": "1" if seed_demo else "0",
        "BCRYPT_ROUNDS": "4",
    }


def cli(env: dict[str, str], *args: str) -> str:
    """Run `python -m core.cli ARGS` against `env` and return its stdout (raises with stderr on failure)."""
    done = subprocess.run(
        [str(PYTHON), "-m", "core.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise RuntimeError(f"core.cli {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


@dataclass
class AppServer:
    """`streamlit run server.py` (the app and its HTTP API, as deployed) as a subprocess on a free loopback
    port; its output goes to `log_path`."""

    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    extra_args: tuple[str, ...] = ()  # more `streamlit run` options, e.g. ("--secrets.files", path)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> AppServer:
        command = [
            str(PYTHON),
            "-m",
            "streamlit",
            "run",
            "server.py",
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            *self.extra_args,
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT
            )
        self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"Streamlit exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Streamlit was not healthy after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def chromium_problem() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH."
    return None


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


@dataclass
class Shot:
    name: str
    png: bytes


class StreamlitPage:
    """One browser tab on the app, with actions that wait for Streamlit's rerun to finish.

    Every high-level action records a screenshot in memory (`shots`); the e2e conftest writes them to
    test-artifacts/ when a test fails, so a failure shows each step that led to it.
    """

    def __init__(self, page: Page, base_url: str, record: bool = True) -> None:
        self.page = page
        page.add_init_script(RUN_WATCH_JS)
        self.base_url = base_url.rstrip("/")
        self.record = record
        self.shots: list[Shot] = []
        page.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)

    # --- waiting and evidence -------------------------------------------------------------------

    def runs(self) -> int:
        return self.page.evaluate("window.__stRuns")

    def wait_idle(self, runs_before: int | None = None) -> None:
        """Wait until Streamlit is connected, not running, shows no stale elements, and has been quiet a moment.

        With `runs_before` (from `runs()` before an action), first wait up to 3 s for the action's run to start.
        """
        if runs_before is not None:
            with suppress(PlaywrightTimeout):  # the action needed no run after all
                self.page.wait_for_function("n => window.__stRuns > n", arg=runs_before, timeout=3000)
        self.page.wait_for_function(QUIET_JS, arg=QUIET_MS, polling=50)

    def act(self, action: Callable[[], object]) -> None:
        """Do something that makes Streamlit rerun, and wait for that run (and any it triggers) to finish."""
        before = self.runs()
        action()
        self.wait_idle(before)

    def step(self, name: str) -> None:
        if self.record:
            self.shots.append(Shot(name, self.page.screenshot(full_page=True)))

    def save_shots(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for number, shot in enumerate(self.shots, 1):
            path = folder / f"{number:02d}-{slug(shot.name)}.png"
            path.write_bytes(shot.png)
            paths.append(path)
        return paths

    # --- navigation -----------------------------------------------------------------------------

    def open(self, path: str = "/") -> StreamlitPage:
        """Load a URL path in this tab (a new Streamlit session: only the remember-me cookie carries over)."""
        self.page.goto(self.base_url + path)
        self.wait_idle()
        self.step(f"open {path}")
        return self

    def reload(self) -> StreamlitPage:
        self.page.reload()
        self.wait_idle()
        self.step("reload")
        return self

    def nav(self) -> Locator:
        return self.page.get_by_test_id("stSidebarNav")

    def show_sidebar(self) -> None:
        """On a phone-width screen the sidebar starts collapsed: open it."""
        expand = self.page.get_by_test_id("stExpandSidebarButton")
        sidebar = self.page.get_by_test_id("stSidebar")
        for _ in range(3):  # a click during a rerun or the slide animation can be lost: try again
            if not expand.is_visible() or sidebar.is_visible():
                return
            with suppress(PlaywrightTimeout):  # it may open by itself meanwhile, as a window widens
                expand.click(timeout=2000)
                sidebar.wait_for(state="visible", timeout=3000)
        expect(sidebar).to_be_visible()

    def hide_sidebar(self) -> None:
        """Close the sidebar (if the page has one), as a phone-width screen first shows a page."""
        if not self.page.get_by_test_id("stSidebar").count():
            return
        collapse = self.page.get_by_test_id("stSidebarCollapseButton").locator("button")
        if collapse.is_visible():
            with suppress(PlaywrightTimeout):  # it may close by itself meanwhile, as a window narrows
                collapse.click(timeout=2000)
        expect(self.page.get_by_test_id("stExpandSidebarButton")).to_be_visible()

    def go_to(self, title: str) -> StreamlitPage:
        """Open a page through the sidebar navigation, as a user would (the session is kept)."""
        self.show_sidebar()
        link = self.nav().get_by_role("link", name=title, exact=True)
        more = self.page.get_by_test_id("stSidebarNavViewButton")
        if not link.is_visible() and more.is_visible():
            more.click()
        self.act(link.click)
        self.step(f"go to {title}")
        return self

    # --- acting by label ------------------------------------------------------------------------

    def field(self, label: str) -> Locator:
        """The visible input with this label (hidden tabs hold inputs with the same labels)."""
        return self.page.get_by_label(label, exact=True).filter(visible=True)

    def fill(self, label: str, value: str) -> StreamlitPage:
        """Type into a text input and leave it (Tab), which is when Streamlit takes the value.

        Outside a form that starts a rerun, which is waited for; inside a form nothing runs until submit.
        """
        box = self.field(label)
        box.fill(value)
        if box.locator("xpath=ancestor::*[@data-testid='stForm']").count():
            box.press("Tab")
        else:
            self.act(lambda: box.press("Tab"))
        return self

    def button(self, label: str) -> Locator:
        return self.page.get_by_role("button", name=label, exact=True).filter(visible=True)

    def click(self, label: str) -> StreamlitPage:
        self.act(self.button(label).click)
        self.step(f"click {label}")
        return self

    def choose(self, label: str, option: str) -> StreamlitPage:
        """Pick an option of a selectbox (open its list, click the option), or of a radio or segmented control."""
        box = self.page.get_by_role("combobox", name=label, exact=True).filter(visible=True)
        if box.count():
            box.click()
            self.act(self.page.get_by_role("option", name=option, exact=True).click)
        else:
            group = self.page.get_by_role("radiogroup", name=label, exact=True).filter(visible=True)
            self.act(group.get_by_role("radio", name=option, exact=True).click)
        self.step(f"choose {option}")
        return self

    def upload(self, label: str, path: Path) -> StreamlitPage:
        """Send a file through a file uploader's own button and the browser's file chooser (`label`: part of the
        uploader's label)."""
        uploader = self.page.get_by_test_id("stFileUploader").filter(has=self.page.get_by_text(label))
        with self.page.expect_file_chooser() as chooser:
            uploader.get_by_role("button", name="Upload", exact=True).click()
        self.act(lambda: chooser.value.set_files(path))
        self.step(f"upload {path.name}")
        return self

    def download(self, label: str) -> bytes:
        """Click a download button and return the file the browser receives."""
        with self.page.expect_download() as arrived:
            self.button(label).click()
        return Path(arrived.value.path()).read_bytes()

    def tab(self, label: str) -> StreamlitPage:
        """Switch tabs (drawn in the browser: no rerun)."""
        self.page.get_by_role("tab", name=label, exact=True).click()
        return self

    # --- reading --------------------------------------------------------------------------------

    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    def metric(self, label: str) -> Locator:
        """The value shown by the metric with this label."""
        label_part = self.page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
        return self.page.get_by_test_id("stMetric").filter(has=label_part).get_by_test_id("stMetricValue")

    def alerts(self) -> Locator:
        return self.page.get_by_test_id("stAlertContentError")

    def cookie_names(self) -> set[str]:
        return {cookie["name"] for cookie in self.page.context.cookies()}

    def wait_for_cookie(self, name: str, timeout: float = TIMEOUT_MS / 1000) -> None:
        """Cookies are written by a browser-side component after the run: poll for one."""
        deadline = time.monotonic() + timeout
        while name not in self.cookie_names():
            if time.monotonic() > deadline:
                raise AssertionError(f"cookie {name!r} not set within {timeout:.0f} s; have {self.cookie_names()}")
            self.page.wait_for_timeout(100)

    # --- the sign-in gate -----------------------------------------------------------------------

    def sign_in(self, email: str, password: str) -> StreamlitPage:
        self.tab("Sign in")
        self.fill("Email", email)
        self.fill("Password", password)
        return self.click("Sign in")

    def register(self, name: str, email: str, password: str) -> StreamlitPage:
        self.tab("Create account")
        self.fill("Full name", name)
        self.fill("Email", email)
        self.fill("Password", password)
        self.fill("Repeat password", password)
        return self.click("Create account")

    def sign_out(self) -> StreamlitPage:
        self.show_sidebar()
        return self.click("Sign out")


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:60] or "step"


@contextmanager
def app_server(workdir: Path, *, seed_demo: bool = False) -> Iterator[AppServer]:
    """Migrate (and optionally seed) a throwaway database under `workdir`, then serve the app on it."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = throwaway_env(workdir, seed_demo=seed_demo)
    cli(env, "migrate")
    if seed_demo:
        cli(env, "seed-demo")
    with AppServer(env, workdir / "streamlit.log") as server:
        yield server


@contextmanager
def server_context(server: AppServer) -> Iterator[AppContext]:
    """A context on a running server's database and files: tests arrange and check data through core services."""
    env = server.env
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
    try:
        yield ctx
    finally:
        ctx.db.dispose()
