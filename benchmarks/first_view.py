"""First view of every page in a fresh process, as AppTest sees it (server time, no browser).

Usage: python benchmarks/first_view.py [--no-warm]

Seeds the demo data (with history) into a temporary SQLite database once, then for every page of every role
starts a new Python process that (unless --no-warm) runs the server's start-up warm-up, signs in as the demo
user of that role and times the first AppTest run of app.py on that page. A fresh process per page is the
worst case a user meets: the first click after a deploy. Prints one line per page and the slowest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, sys, time
warm = sys.argv[3] == "warm"
t0 = time.perf_counter()
if warm:
    from core.ui.warmup import warm_up
    warm_up()
warmed = time.perf_counter() - t0
from streamlit.testing.v1 import AppTest
email, page = sys.argv[1], sys.argv[2]
from streamlit.components.v2.component_manager import BidiComponentManager
at = AppTest.from_file("app.py", default_timeout=60)
# The server scans installed packages for components once at start; AppTest does it in each test's first run
# (0.7 s here), which no user waits for, so it is done before the clock starts.
components = BidiComponentManager()
components.discover_and_register_components(start_file_watching=False)
at._bidi_component_manager = components
if email:
    from core.accounts.users import load_actor_by_email
    from core.context import default_context
    from tests.signed_in import sign_in
    sign_in(at, load_actor_by_email(default_context(), email))
start = time.perf_counter()
at.run()
if page:
    at.switch_page(page).run()
first = time.perf_counter() - start
start = time.perf_counter()
at.run()
again = time.perf_counter() - start
print(json.dumps({"warm_up": warmed, "first": first, "rerun": again, "errors": len(at.exception)}))
"""


def main() -> None:
    warm = "--no-warm" not in sys.argv
    folder = Path(tempfile.mkdtemp())
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
        "DATA_DIR": str(folder),
        "UPLOAD_DIR": str(folder / "uploads"),
        "BCRYPT_ROUNDS": "4",
        "SEED_DEMO": "1",
    }
    subprocess.run([sys.executable, "-m", "core.cli", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    seeded = subprocess.run(
        [sys.executable, "-m", "core.cli", "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    logins = json.loads(seeded.stdout)

    from core.access import Role
    from core.ui.navigation import PAGES

    who = {Role.ADMIN: logins["admin"], Role.COUNSELOR: logins["counselors"][0], Role.STUDENT: logins["students"][0]}
    cases = [("signed out", "", "")]
    cases += [(f"{role.value}", who[role], spec.path) for spec in PAGES for role in spec.roles]
    print(f"first view in a fresh process ({'with' if warm else 'without'} start-up warm-up), seconds")
    worst = (0.0, "")
    for label, email, page in cases:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, email, page, "warm" if warm else "cold"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            print(f"  {label:10} {page or 'sign-in':32} FAILED\n{done.stderr[-800:]}")
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"  {label:10} {page or 'app_pages/sign_in.py':32} first {row['first']:5.2f}  rerun {row['rerun']:5.2f}"
            f"  (warm-up {row['warm_up']:4.2f}, process {time.perf_counter() - started:4.1f}, "
            f"errors {row['errors']})"
        )
        worst = max(worst, (row["first"], f"{label} {page or 'sign-in'}"))
    print(f"slowest first view: {worst[0]:.2f} s ({worst[1]})")


if __name__ == "__main__":
    main()
