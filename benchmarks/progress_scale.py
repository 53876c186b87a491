"""Page render times for one heavy student: 1,000 analyses, 300 cards and 10,000 reviews.

Usage: python benchmarks/progress_scale.py [DATABASE_URL]   (default: a temporary SQLite file; a PostgreSQL URL
must name a throwaway database). Prints the service query times and AppTest render times of Dashboard, Progress
and Flashcards.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from core import access  # noqa: E402
from core.accounts import users  # noqa: E402
from core.config import Settings  # noqa: E402
from core.context import AppContext  # noqa: E402
from core.db import utcnow  # noqa: E402
from core.models import Analysis, Flashcard, Review  # noqa: E402
from core.student import deck, progress  # noqa: E402
from tests.signed_in import sign_in  # noqa: E402

JOBS = ["Data Analyst", "Backend Engineer", "Product Manager", "UX Designer", "DevOps Engineer"]
START = datetime(2025, 11, 1)


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples) * 1000


def seed(ctx: AppContext) -> access.Actor:
    student = users.create_user(ctx, email="heavy@bench.example", name="Heavy User", password="Bench-pass-123")
    with ctx.db.session() as s:
        s.execute(insert(Analysis), [
            {"user_id": student.id, "job_title": JOBS[i % 5], "cv_filename": "cv.pdf",
             "overall_score": 40 + i % 50, "keyword_density": 50, "skills_match": 40 + i % 50,
             "experience_relevance": 70, "education_match": 100, "format_optimization": 80, "provider": "local",
             "credits_charged": 1, "created_at": START + timedelta(hours=8 * i),
             "report": {"analysis": {"matching_skills": ["sql", "python"][: 1 + i % 2],
                                     "missing_skills": ["tableau", "python"][i % 2:]}}}
            for i in range(1000)
        ])
        deck.add_generated(s, student.id, [{"front": f"Question {i}?", "back": "Answer.", "skill": JOBS[i % 5].lower()}
                                           for i in range(300)])
        s.flush()
        card_ids = s.scalars(select(Flashcard.id).where(Flashcard.user_id == student.id)).all()
        s.execute(insert(Review), [
            {"user_id": student.id, "flashcard_id": card_ids[i % 300], "rating": 1 + i % 4,
             "reviewed_at": utcnow() - timedelta(minutes=8 * i), "review_log": {}}
            for i in range(10_000)
        ])
    return student


def render(page: str, email: str) -> float:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    sign_in(at, users.load_actor_by_email(AppContext(Settings()), email))
    at.run()
    if page != "app_pages/dashboard.py":
        at.switch_page(page)
    begin = time.perf_counter()
    at.run()
    assert not at.exception, at.exception
    return (time.perf_counter() - begin) * 1000


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    os.environ.update(DATABASE_URL=url, SEED_DEMO="0", BCRYPT_ROUNDS="4", UPLOAD_DIR=tempfile.mkdtemp())
    ctx = AppContext(Settings())
    ctx.db.upgrade()
    student = seed(ctx)
    print(f"database: {ctx.db.engine.dialect.name}; 1,000 analyses, 300 cards, 10,000 reviews for one student")
    for name, call in [
        ("score_history", lambda: progress.score_history(ctx, student, student.id)),
        ("skill_gains", lambda: progress.skill_gains(ctx, student, student.id)),
        ("activity", lambda: progress.activity(ctx, student, student.id)),
        ("summary", lambda: progress.summary(ctx, student, student.id)),
        ("review_days", lambda: deck.review_days(ctx, student, student.id)),
        ("due_count", lambda: deck.due_count(ctx, student)),
        ("list_cards", lambda: deck.list_cards(ctx, student)),
    ]:
        print(f"  {name:14s} {timed(call):7.1f} ms median")
    for page in ("app_pages/dashboard.py", "app_pages/progress.py", "app_pages/flashcards.py"):
        print(f"  render {page:26s} {statistics.median(render(page, student.email) for _ in range(3)):7.0f} ms median")


if __name__ == "__main__":
    main()
