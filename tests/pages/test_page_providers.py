"""AppTest of Admin → Providers: the public-address warning and an honest summary of what was checked."""

from __future__ import annotations

from core.access import Role
from tests.pages.shown import texts


def open_providers(open_app, make_user, url: str | None):
    at = open_app(make_user(role=Role.ADMIN))
    if url:
        at.context["url"] = url
    at.switch_page("app_pages/admin_providers.py").run()
    assert not at.exception
    return at


def test_warns_when_links_point_elsewhere_than_the_browser(open_app, make_user, monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    at = open_providers(open_app, make_user, "https://prep.example.edu/admin_providers")
    warning = next(w.value for w in at.warning if "Links this app sends" in w.value)
    assert "http://localhost:8501" in warning and "https://prep.example.edu" in warning


def test_no_warning_when_the_browser_uses_the_public_address(open_app, make_user, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://prep.example.edu")
    at = open_providers(open_app, make_user, "https://prep.example.edu/admin_providers")
    assert not any("Links this app sends" in text for text in texts(at, "warning"))
