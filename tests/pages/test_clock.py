"""Times in the viewer's zone, relative where people expect it (core/ui/clock.py), as pages show them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.student import cvs
from core.ui.clock import relative
from tests.conftest import CORPUS
from tests.pages.shown import texts

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_relative_reads_like_a_calendar():
    assert relative(NOW + timedelta(days=3, hours=1), NOW) == "in 3 days"
    assert relative(NOW - timedelta(hours=2), NOW) == "2 hours ago"
    assert relative(NOW + timedelta(minutes=1, seconds=10), NOW) == "in 1 minute"
    assert relative(NOW + timedelta(seconds=20), NOW) == "just now"
    assert relative((NOW - timedelta(days=1)).replace(tzinfo=None), NOW) == "1 day ago"  # the database's naive UTC


def test_pages_show_times_in_the_browsers_zone(open_app, make_user, app_env):
    student = make_user()
    name = "07_carla_mendes.txt"
    record = cvs.upload_cv(app_env, student, name, (CORPUS / "resumes" / name).read_bytes())
    at = open_app(student)
    at.context["timezone"] = "Asia/Kolkata"
    at.switch_page("app_pages/cvs.py").run()
    assert not at.exception
    kolkata = record.created_at.replace(tzinfo=UTC) + timedelta(hours=5, minutes=30)
    assert any(f"uploaded {kolkata:%d %b %Y %H:%M} IST" in c for c in texts(at, "caption")), texts(at, "caption")

    at.context["timezone"] = "Not/AZone"  # an unknown zone falls back to UTC, said so
    at.run()
    assert any(f"uploaded {record.created_at:%d %b %Y %H:%M} UTC" in c for c in texts(at, "caption"))
