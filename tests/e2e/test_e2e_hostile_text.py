"""Journey in real Chromium: what one person typed reaches another person's screen as text. A student's name, CV
and answers, a counselor's cohort, job and note all carry images, links and bare addresses; on every page that
shows them, in both roles, nothing becomes an image or a link, and no request reaches the tracking server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from playwright.sync_api import expect

from core.access import Role
from core.coaching import cohorts, notes
from core.student import analyses, cvs, interviews
from tests.e2e.conftest import PASSWORD
from tests.e2e.harness import StreamlitPage


class _Pixel(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def pixel() -> Iterator[str]:
    """A tracking server on 127.0.0.1: every request the page makes to it is recorded."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pixel)
    _Pixel.hits = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def hostile(pixel: str, where: str) -> str:
    return (f"![p]({pixel}/{where}.png) [win a prize](http://evil.example/{where}) www.evil.example "
            f"<img src='{pixel}/{where}-html.png'> :red[{where}] **{where}**")  # fmt: skip


def inert(tab: StreamlitPage, pixel: str) -> None:
    """Nothing the users typed became an image or a link on this screen."""
    page = tab.page
    expect(page.get_by_text("![p](").first).to_be_visible()
    images = page.locator(f"img[src^='{pixel}']")
    assert images.count() == 0, images.first.evaluate(
        "e => [e.outerHTML, ...(function* up(n) { while (n = n.parentElement) yield n.dataset.testid })(e)].join(' < ')"
    )
    assert page.locator("a[href*='evil.example']").count() == 0
    assert page.locator(f"a[href^='{pixel}']").count() == 0


def test_hostile_text_renders_as_text_for_every_role(app, new_tab, new_user, e2e_ctx, pixel, tmp_path):
    counselor = new_user(Role.COUNSELOR, name="Cora " + hostile(pixel, "counselor-name")[:150])
    cohort = cohorts.create_cohort(e2e_ctx, counselor, name="Cohort " + hostile(pixel, "cohort")[:150],
                                   term=hostile(pixel, "term")[:100])  # fmt: skip
    student = new_user(name="Eve " + hostile(pixel, "student-name")[:150])
    cohorts.join_cohort(e2e_ctx, student, cohort.invite_code, consent=True)
    job_id = cohorts.publish_job(e2e_ctx, counselor, cohort.id, title="Analyst " + hostile(pixel, "job-title")[:120],
                                 company="Acme", text="Data Analyst. Required: SQL, Python, Excel. "
                                 + hostile(pixel, "job-text"))  # fmt: skip
    cv_text = (
        "Eve Example\neve@example.edu\n+44 20 7946 0000\n\nExperience\nData Analyst, Acme, 2021 - 2024\n"
        f"- Built SQL and Python dashboards {hostile(pixel, 'cv-bullet')}\n\nSkills\nSQL, Python, Excel\n"
    )
    cv = cvs.upload_cv(e2e_ctx, student, "eve.txt", cv_text.encode())
    analyses.run_analysis(e2e_ctx, student, cv.id, job_id=job_id)
    started = interviews.start_practice(e2e_ctx, student, cv.id, job_id)
    interviews.answer(e2e_ctx, student, started.id, started.questions[0]["id"],
                      "I led the SQL migration at Acme. " + hostile(pixel, "answer"))  # fmt: skip
    interviews.finish(e2e_ctx, student, started.id)
    notes.add_note(e2e_ctx, counselor, student.id, "Well done.\n" + hostile(pixel, "note"))

    app.sign_in(counselor.email, PASSWORD)
    inert(app, pixel)  # the sidebar shows the counselor's own name
    app.go_to("Cohorts")
    inert(app, pixel)
    app.click("Open student view")
    inert(app, pixel)
    app.tab("Reports")
    inert(app, pixel)
    app.tab("Interviews")
    app.page.get_by_text("Question 1:").first.click()
    inert(app, pixel)
    app.tab("Notes")
    inert(app, pixel)

    mine = new_tab()
    mine.sign_in(student.email, PASSWORD)
    inert(mine, pixel)
    for title in ("My cohorts", "Job match", "Interviews", "Progress"):
        mine.go_to(title)
        if title in ("Job match", "Interviews"):
            mine.act(mine.page.get_by_test_id("stBaseButton-secondary").get_by_text("Open", exact=True).click)
        inert(mine, pixel)
    assert _Pixel.hits == []
