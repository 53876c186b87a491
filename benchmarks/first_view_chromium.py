"""First view of every page of every role in headless Chromium, in a freshly started server process.

Usage: python benchmarks/first_view_chromium.py

Seeds the demo data (with history) into a temporary SQLite database, starts `streamlit run server.py` as
deployed (its start-up warm-up included), then for each role signs the demo user in and opens every page of
their navigation once, in order, through the sidebar. The sign-in page's figure is the browser's whole page
load (static files included); every other one is from the click to the end of the script run it caused (the
harness's quiet window is not counted): what a user waits for on the first click after a deploy. Prints one
line per page, the slowest, and the sign-in page.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from core.access import Role  # noqa: E402
from core.ui.navigation import pages_for  # noqa: E402
from tests.e2e.harness import QUIET_MS, AppServer, StreamlitPage, cli, launch_chromium, throwaway_env  # noqa: E402

SETTLE_SECONDS = 10


def timed(tab: StreamlitPage, action) -> float:
    """Seconds from the action to the end of the run it caused (without the quiet window that confirms it)."""
    started = time.perf_counter()
    tab.act(action)
    return time.perf_counter() - started - QUIET_MS / 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = throwaway_env(Path(folder))
        cli(env, "migrate")
        demo = json.loads(cli(env, "seed-demo"))
        logins = {Role.STUDENT: demo["students"][0], Role.COUNSELOR: demo["counselors"][0], Role.ADMIN: demo["admin"]}
        rows: list[tuple[str, str, float]] = []
        with AppServer(env, Path(folder) / "server.log") as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            time.sleep(SETTLE_SECONDS)  # let the start-up warm-up finish, as it has before real users arrive
            for role, email in logins.items():
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                tab = StreamlitPage(context.new_page(), server.url, record=False)
                started = time.perf_counter()
                tab.page.goto(server.url)
                tab.wait_idle()
                rows.append((str(role), "sign-in page", time.perf_counter() - started - QUIET_MS / 1000))
                tab.field("Email").fill(email)
                tab.field("Password").fill(demo["password"])
                rows.append((str(role), "sign in → home", timed(tab, tab.button("Sign in").click)))
                for specs in pages_for(role).values():
                    for spec in specs:
                        if spec.path.endswith("dashboard.py"):
                            continue  # the home page: timed by the sign-in above
                        tab.show_sidebar()
                        link = tab.nav().get_by_role("link", name=spec.title, exact=True)
                        rows.append((str(role), spec.title, timed(tab, link.click)))
                context.close()
            browser.close()
    print(f"{'role':10} {'page':24} first view (s)")
    for role, title, seconds in rows:
        print(f"{role:10} {title:24} {seconds:6.2f}")
    slowest = max(rows[1:], key=lambda row: row[2])
    print(f"slowest page: {slowest[0]} {slowest[1]} {slowest[2]:.2f} s; sign-in page {rows[0][2]:.2f} s")


if __name__ == "__main__":
    main()
