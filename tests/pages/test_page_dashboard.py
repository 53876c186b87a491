"""AppTest of the staff homes: the counselor's "who needs attention" across cohorts with links to the student
view, and the admin's head counts, locked accounts, today's activity and provider health."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from core.access import Role
from core.coaching import cohorts
from core.db import utcnow
from core.models import Analysis, User
from core.student import cvs
from tests.cohort_data import add_analysis, set_last_active
from tests.conftest import CORPUS
from tests.pages.shown import texts

CV_FILE = "07_carla_mendes.txt"


def with_cv(ctx, student, scores: list[int]) -> None:
    """A CV and analyses of it against one job, oldest first."""
    cv = cvs.upload_cv(ctx, student, CV_FILE, (CORPUS / "resumes" / CV_FILE).read_bytes())
    start = utcnow() - timedelta(days=len(scores))
    ids = [add_analysis(ctx, student, score, at=start + timedelta(days=n)) for n, score in enumerate(scores)]
    with ctx.db.session() as s:
        s.execute(update(Analysis).where(Analysis.id.in_(ids)).values(cv_id=cv.id))


def test_counselor_home_lists_who_needs_attention_with_links(open_app, make_user, app_env):
    ctx = app_env
    counselor, stranger = make_user(role=Role.COUNSELOR), make_user(role=Role.COUNSELOR)
    spring = cohorts.create_cohort(ctx, counselor, name="Spring")
    autumn = cohorts.create_cohort(ctx, counselor, name="Autumn")
    elsewhere = cohorts.create_cohort(ctx, stranger, name="Not mine")
    no_cv, idle, falling, fine, other = (make_user(name=n) for n in ("Nora NoCV", "Ivan Idle", "Fay Falling",
                                                                      "Finn Fine", "Otto Other"))  # fmt: skip
    for student, cohort in ((no_cv, spring), (idle, spring), (falling, autumn), (fine, autumn), (other, elsewhere)):
        cohorts.join_cohort(ctx, student, cohort.invite_code, consent=True)
    with_cv(ctx, idle, [50])
    with_cv(ctx, falling, [70, 55])
    with_cv(ctx, fine, [40, 60])
    with_cv(ctx, other, [80, 20])
    now = utcnow()
    for student, days in ((no_cv, 1), (idle, 20), (falling, 1), (fine, 1), (other, 1)):
        set_last_active(ctx, student, now - timedelta(days=days))

    at = open_app(counselor)
    assert not at.exception
    shown = {text.split(" · ")[0].strip("*"): text for text in texts(at.main, "markdown") if text.startswith("**")}
    assert set(shown) == {"Nora NoCV", "Ivan Idle", "Fay Falling"}  # not Finn (rising), not Otto (not theirs)
    captions = texts(at, "caption")
    assert "no CV yet" in captions and "inactive for 20 days" in captions and "score fell from 70 to 55" in captions
    links = sorted((link.proto.page, link.proto.query_string) for link in at.get("page_link")
                   if link.proto.label == "Open")  # fmt: skip
    assert links == sorted(("student", f"student={s.id}") for s in (no_cv, idle, falling))


def test_admin_home_shows_users_locks_today_and_provider_health(open_app, make_user, app_env):
    admin = make_user(role=Role.ADMIN)
    locked = make_user()
    make_user(role=Role.COUNSELOR)
    with app_env.db.session() as s:
        s.get(User, locked.id).locked_until = utcnow() + timedelta(minutes=10)
    at = open_app(admin)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Users"] == "3" and metrics["Locked accounts"] == "1"
    assert "1 student · 1 counselor · 1 admin" in texts(at, "caption")
    assert any(text.startswith("**Today (UTC):** 3 joined") for text in texts(at, "markdown"))
    assert any("checked backend" in text for text in texts(at, "success") + texts(at, "info") + texts(at, "warning"))
