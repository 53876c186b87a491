"""Screenshots of every page at phone (390 px) and desktop (1280 px) width, into docs/screenshots/<page>-<width>.png.

On demand, not part of the test run: `.venv/bin/python scripts/screenshots.py`. Starts the app on a throwaway
database seeded with the demo data, signs in as a student, a counselor and an admin in Debian's Chromium, and
opens each page through the sidebar. A page several roles share is shot as the first role that has it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, sync_playwright

from core.accounts import Role
from core.demo import DEMO_PASSWORD, DOMAIN
from core.ui.navigation import SIGN_IN_PAGE, pages_for
from tests.e2e.harness import ROOT, StreamlitPage, app_server, chromium_problem, launch_chromium

OUT = ROOT / "docs" / "screenshots"
WIDTHS = (1280, 390)
HEIGHT = {1280: 900, 390: 844}
SIGN_INS = {Role.STUDENT: f"student01@{DOMAIN}", Role.COUNSELOR: f"counselor1@{DOMAIN}", Role.ADMIN: f"admin@{DOMAIN}"}


def shoot(app: StreamlitPage, name: str) -> None:
    """Save the current page at each width; on a phone the sidebar is closed, as a visitor first sees it."""
    for width in WIDTHS:
        app.page.set_viewport_size({"width": width, "height": HEIGHT[width]})
        collapse = app.page.get_by_test_id("stSidebarCollapseButton").locator("button")
        if width < 640 and collapse.is_visible():
            collapse.click()
        app.page.wait_for_timeout(400)  # let the layout settle after the resize
        path = OUT / f"{name}-{width}.png"
        app.page.screenshot(path=str(path), full_page=True)
        print(f"saved {path.relative_to(ROOT)}", flush=True)
    app.page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT[WIDTHS[0]]})


def new_tab(browser: Browser, url: str) -> StreamlitPage:
    page = browser.new_context(viewport={"width": WIDTHS[0], "height": HEIGHT[WIDTHS[0]]}).new_page()
    return StreamlitPage(page, url, record=False).open("/")


def main() -> None:
    problem = chromium_problem()
    if problem:
        sys.exit(problem)
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    done: set[str] = set()
    with (
        tempfile.TemporaryDirectory() as tmp,
        app_server(Path(tmp), seed_demo=True) as server,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        shoot(new_tab(browser, server.url), Path(SIGN_IN_PAGE).stem)
        for role, email in SIGN_INS.items():
            app = new_tab(browser, server.url).sign_in(email, DEMO_PASSWORD)
            for spec in (spec for specs in pages_for(role).values() for spec in specs):
                if spec.path in done:
                    continue
                app.go_to(spec.title)
                shoot(app, Path(spec.path).stem)
                done.add(spec.path)
            app.page.context.close()
        browser.close()
    print(f"{2 * (len(done) + 1)} screenshots in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
