"""Time to render a stored ATS report on the Job match page (AppTest), and to build its PDF and Markdown.

Usage: python benchmarks/report_render.py [RUNS]   (default 5). Uses a temporary SQLite database and upload
folder: one student, one corpus CV, 20 stored reports in the history. Prints the median AppTest run time of
the page with a report open (a rerun, as when a widget changes), the first open of a report from the history
(the "Open" click), the page without a report, and the export times.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.testing.v1 import AppTest

from core import access
from core.accounts import users
from core.billing import grants
from core.config import Settings
from core.context import AppContext
from core.student import analyses, cvs, report_export
from tests.signed_in import sign_in

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
HISTORY = 20


def ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1000:.0f} ms (min {min(samples) * 1000:.0f}, n={len(samples)})"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    folder = Path(tempfile.mkdtemp())
    env = {"APP_ENV": "test", "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}", "DATA_DIR": str(folder),
           "UPLOAD_DIR": str(folder / "uploads"), "BCRYPT_ROUNDS": "4", "SEED_DEMO": "0"}  # fmt: skip
    os.environ.update(env)
    ctx = AppContext(Settings())
    ctx.db.upgrade()
    student = users.create_user(ctx, email="bench@example.com", name="Zoë Bench", password="Bench-pass-123")
    admin = users.create_user(ctx, email="admin@example.com", name="Admin", password="Bench-pass-123",
                                 role=access.Role.ADMIN)  # fmt: skip
    grants.grant(ctx, admin, email=student.email, credits=HISTORY, reason="benchmark")
    cv = cvs.upload_cv(ctx, student, "07_carla_mendes.txt", (CORPUS / "resumes" / "07_carla_mendes.txt").read_bytes())
    jds = sorted((CORPUS / "jds").glob("*.txt"))
    records = [
        analyses.run_analysis(ctx, student, cv.id, pasted_text=jds[i % len(jds)].read_text(encoding="utf-8"))
        for i in range(HISTORY)
    ]
    latest = records[-1]

    def page() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        sign_in(at, student)
        at.run()
        at.switch_page("app_pages/job_match.py").run()
        return at

    at = page()  # warm imports and caches
    empty_runs = [timed(at.run) for _ in range(runs)]
    open_runs = []
    for _ in range(runs):
        at = page()
        open_runs.append(timed(lambda a=at: a.button(key=f"jm_open_{latest.id}").click().run()))
    assert not at.exception, at.exception
    assert at.subheader[0].value == latest.job_title
    rerun_runs = [timed(at.run) for _ in range(runs)]
    pdf_runs = [timed(lambda: report_export.to_pdf(latest)) for _ in range(runs)]
    md_runs = [timed(lambda: report_export.to_markdown(latest)) for _ in range(runs)]

    print(f"history: {HISTORY} stored reports; report JSON {len(str(latest.report)) / 1024:.0f} KB")
    print(f"job match page, no report open (AppTest run):     {ms(empty_runs)}")
    print(f"open a stored report from history (click + run):  {ms(open_runs)}")
    print(f"page with a stored report open (AppTest rerun):   {ms(rerun_runs)}")
    print(f"PDF export with two charts:                       {ms(pdf_runs)}")
    print(f"Markdown export:                                  {ms(md_runs)}")


if __name__ == "__main__":
    main()
