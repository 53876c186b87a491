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


def test_not_checked_rows_are_not_counted_as_answering(open_app, make_user):
    at = open_providers(open_app, make_user, None)
    table = at.dataframe[0].value
    not_checked = list(table.loc[table["Reachable"] == "not checked", "Backend"])
    answered = list(table.loc[table["Reachable"] == "yes", "Backend"])
    assert not_checked  # offline defaults: demo payments, no video, the local engine have nothing to reach
    [summary] = texts(at, "success") or texts(at, "info")
    assert "Every active backend answered" not in summary
    opening = {0: "No backend was checked.", 1: "The one checked backend answered."}
    assert summary.startswith(opening.get(len(answered), f"All {len(answered)} checked backends answered."))
    assert f"{len(not_checked)} not checked (off, or nothing to reach): {', '.join(not_checked)}." in summary
