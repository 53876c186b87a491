"""Screenshots of every page each role sees, at phone (390 px) and desktop (1280 px) width, into
docs/screenshots/<role>-<page>-<width>.png (plus sign_in-<width>.png and a few views further down a page).

On demand, not part of the test run: `.venv/bin/python scripts/screenshots.py`. Starts the app on a throwaway
database seeded with the demo data, signs in as a student, a counselor and an admin in Debian's Chromium, and
opens each page through the sidebar. Shots are of the screen (not the whole scrolling page), reduced to 256
colours, so the folder stays small enough to commit.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image
from playwright.sync_api import Browser, Locator, sync_playwright

from core.access import Role
from core.demo import DEMO_PASSWORD, DOMAIN
from core.ui.navigation import SIGN_IN_PAGE, pages_for
from tests.e2e.harness import ROOT, StreamlitPage, app_server, chromium_problem, launch_chromium

OUT = ROOT / "docs" / "screenshots"
WIDTHS = (1280, 390)
HEIGHT = {1280: 900, 390: 844}
SIGN_INS = {Role.STUDENT: f"student01@{DOMAIN}", Role.COUNSELOR: f"counselor1@{DOMAIN}", Role.ADMIN: f"admin@{DOMAIN}"}
# What the main area shows, once every lazily loaded chart has drawn and no placeholder is left; a page is ready
# for its picture when this stops changing.
LAYOUT_JS = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const charts = [...main.querySelectorAll("[data-testid='stPlotlyChart']")];
  if (main.querySelector("[data-testid='stSkeleton']") || charts.some(c => !c.querySelector('.main-svg'))) return null;
  return main.querySelectorAll('*').length + ':' + main.scrollHeight;
}"""


def click_key(app: StreamlitPage, key: str) -> None:
    """Click the button Streamlit drew for widget `key` (the first, when keys share a prefix)."""
    app.act(app.page.locator(f"[class*='st-key-{key}'] button").first.click)


def open_report(app: StreamlitPage) -> Locator:
    """Open the latest past report; the shot starts at its title."""
    click_key(app, "jm_open_")
    return app.page.get_by_role("heading", level=3).first


def reveal_card(app: StreamlitPage) -> None:
    click_key(app, "fc_reveal")


# Views worth their own picture, further down a page or behind a click: page -> (shot name, how to get there,
# which returns the part of the page to scroll to the top, if any).
EXTRA_VIEWS: dict[str, tuple[str, Callable[[StreamlitPage], Locator | None]]] = {
    "app_pages/job_match.py": ("job_match_report", open_report),
    "app_pages/flashcards.py": ("flashcards_answer", reveal_card),
    "app_pages/cohorts.py": ("cohorts_students", lambda app: app.page.get_by_role("heading", name="Students")),
}
# Pages that show nothing useful until something is chosen: do that before the first shot.
BEFORE_THE_SHOT: dict[str, Callable[[StreamlitPage], None]] = {
    "app_pages/student.py": lambda app: click_key(app, "student_view_open"),
}


def save_png(png: bytes, path: Path) -> None:
    """Store a screenshot with a 256-colour palette: a third of the size, no visible loss on UI text."""
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE)
    image.save(path, optimize=True)


def settle(app: StreamlitPage, quiet_ms: int = 600) -> None:
    """Wait for Streamlit to finish, then for the layout to stop changing (tabs, charts and tables arrive late)."""
    app.wait_idle()
    last, since, deadline = None, time.monotonic(), time.monotonic() + 20
    while time.monotonic() - since < quiet_ms / 1000 and time.monotonic() < deadline:
        now = app.page.evaluate(LAYOUT_JS)
        if now is None or now != last:
            last, since = now, time.monotonic()
        app.page.wait_for_timeout(100)


def shoot(app: StreamlitPage, name: str, top: Locator | None = None) -> None:
    """Save the current screen at each width; on a phone the sidebar is closed, as a visitor first sees it."""
    for width in WIDTHS:
        app.page.set_viewport_size({"width": width, "height": HEIGHT[width]})
        if width < 640:
            app.hide_sidebar()
        else:
            app.show_sidebar()
        app.page.mouse.move(0, HEIGHT[width] - 1)  # no hover effects (chart toolbars, tooltips) in the picture
        settle(app)
        if top is not None:
            top.evaluate("element => element.scrollIntoView({block: 'start'})")
            app.page.wait_for_timeout(200)
        path = OUT / f"{name}-{width}.png"
        save_png(app.page.screenshot(), path)
        print(f"saved {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)", flush=True)
    app.page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT[WIDTHS[0]]})


def new_tab(browser: Browser, url: str) -> StreamlitPage:
    page = browser.new_context(viewport={"width": WIDTHS[0], "height": HEIGHT[WIDTHS[0]]}).new_page()
    return StreamlitPage(page, url, record=False).open("/")


def shoot_role(browser: Browser, url: str, role: Role) -> int:
    """Every page of one role (and the extra views); returns how many views were shot."""
    app = new_tab(browser, url).sign_in(SIGN_INS[role], DEMO_PASSWORD)
    views = 0
    for spec in (spec for specs in pages_for(role).values() for spec in specs):
        app.go_to(spec.title)
        if prepare := BEFORE_THE_SHOT.get(spec.path):
            prepare(app)
        shoot(app, f"{role}-{Path(spec.path).stem}")
        views += 1
        if extra := EXTRA_VIEWS.get(spec.path):
            name, get_there = extra
            shoot(app, f"{role}-{name}", get_there(app))
            views += 1
    app.page.context.close()
    return views


def main() -> None:
    problem = chromium_problem()
    if problem:
        sys.exit(problem)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory() as tmp,
        app_server(Path(tmp), seed_demo=True) as server,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        shoot(new_tab(browser, server.url), Path(SIGN_IN_PAGE).stem)
        views = 1 + sum(shoot_role(browser, server.url, role) for role in SIGN_INS)
        browser.close()
    print(f"{len(WIDTHS) * views} screenshots in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
