"""Admin → Providers: active backends and reachability through real clients against loopback fakes; no keys shown."""

from __future__ import annotations

import pytest

from core import providers_health
from core.access import Role
from core.config import Settings, TavusPersona
from core.context import AppContext
from core.errors import AppError, ErrorCode
from tests.fakes.mistral_server import FakeMistral
from tests.fakes.openai_server import API_KEY
from tests.fakes.razorpay_server import FakeRazorpay
from tests.fakes.tavus_server import FakeTavus

PAGE = "app_pages/admin_providers.py"


def by_kind(rows: list) -> dict[str, providers_health.ProviderStatus]:
    return {row.kind: row for row in rows}


def test_defaults_are_local_and_offline(ctx, make_user) -> None:
    rows = by_kind(providers_health.check_all(ctx, make_user(role=Role.ADMIN)))
    assert set(rows) == {"ai", "ocr", "storage", "video", "payments"}
    assert (rows["ai"].name, rows["ai"].active, rows["ai"].reachable) == ("local", True, None)
    assert (rows["ocr"].active, rows["video"].active) == (False, False)
    assert (rows["storage"].name, rows["storage"].reachable) == ("local", True)
    assert (rows["payments"].name, rows["payments"].reachable) == ("demo", None)


def test_configured_backends_are_probed_without_revealing_keys(ctx, make_user, fake_openai) -> None:
    with FakeTavus() as tavus, FakeRazorpay() as razorpay:
        settings = ctx.settings.model_copy(update={
            "ai_provider": "openai", "ai_api_key": API_KEY, "ai_base_url": fake_openai.base_url,
            "tavus_api_key": tavus.api_key, "tavus_base_url": tavus.url, "tavus_persona_id": "p-default",
            "payment_provider": "razorpay", "razorpay_key_id": razorpay.key_id,
            "razorpay_key_secret": razorpay.key_secret, "razorpay_base_url": razorpay.url,
        })  # fmt: skip
        rows = by_kind(providers_health.check_all(AppContext(settings, ctx.db), make_user(role=Role.ADMIN)))
        secrets = (API_KEY, tavus.api_key, razorpay.key_secret)
    assert (rows["ai"].name, rows["ai"].reachable) == ("openai", True)
    assert (rows["video"].active, rows["video"].reachable) == (True, True)
    assert (rows["payments"].name, rows["payments"].reachable) == ("razorpay", True)
    assert not any(secret in row.detail for row in rows.values() for secret in secrets)


def test_wrong_keys_and_dead_servers_show_as_unreachable(ctx, make_user, fake_openai) -> None:
    with FakeRazorpay() as razorpay:
        settings = ctx.settings.model_copy(update={
            "ai_provider": "openai", "ai_api_key": "sk-wrong-key", "ai_base_url": fake_openai.base_url,
            "tavus_api_key": "tv-key", "tavus_base_url": "http://127.0.0.1:9",  # nothing listens on port 9
            "payment_provider": "razorpay", "razorpay_key_id": razorpay.key_id,
            "razorpay_key_secret": "not-the-secret", "razorpay_base_url": razorpay.url,
        })  # fmt: skip
        rows = by_kind(providers_health.check_all(AppContext(settings, ctx.db), make_user(role=Role.ADMIN)))
    assert rows["ai"].reachable is False and "Check the API key" in rows["ai"].detail
    assert rows["video"].reachable is False
    assert rows["payments"].reachable is False and "refused the keys" in rows["payments"].detail
    assert not any("sk-wrong-key" in row.detail or "not-the-secret" in row.detail for row in rows.values())


@pytest.mark.parametrize(
    ("setup", "reachable", "words"),
    [
        ({"tavus_persona_id": "p-no-replica"}, False, "Misconfigured: persona p-no-replica has no default replica"),
        ({"tavus_persona_id": "p-no-replica", "tavus_replica_id": "r-anna"}, True, "every configured persona"),
        ({"tavus_replica_id": "r-anna", "tavus_personas": {"sales": TavusPersona(persona_id="p-no-replica")}},
         True, "every configured persona"),  # the role's persona falls back to TAVUS_REPLICA_ID
        ({"tavus_persona_id": "p-default",
          "tavus_personas": {"sales": TavusPersona(persona_id="p-no-replica")}}, False, "p-no-replica"),
        ({}, False, "no replica or persona is set"),
    ],
)
def test_tavus_check_fetches_the_personas_and_requires_a_replica(ctx, make_user, setup, reachable, words) -> None:
    with FakeTavus() as tavus:
        settings = ctx.settings.model_copy(update={"tavus_api_key": tavus.api_key, "tavus_base_url": tavus.url,
                                                   **setup})  # fmt: skip
        rows = by_kind(providers_health.check_all(AppContext(settings, ctx.db), make_user(role=Role.ADMIN)))
        fetched = {r.path for r in tavus.requests if r.path.startswith("/v2/personas/")}
    assert (rows["video"].active, rows["video"].reachable) == (True, reachable)
    assert words in rows["video"].detail and tavus.api_key not in rows["video"].detail
    personas = {setup.get("tavus_persona_id")} | {p.persona_id for p in setup.get("tavus_personas", {}).values()}
    assert fetched == {f"/v2/personas/{p}" for p in personas if p}


@pytest.mark.parametrize("role", [Role.STUDENT, Role.COUNSELOR])
def test_only_admins_may_check(ctx, make_user, role) -> None:
    with pytest.raises(AppError) as caught:
        providers_health.check_all(ctx, make_user(role=role))
    assert caught.value.code == ErrorCode.PERMISSION_DENIED


def test_admin_page_lists_backends(open_app, make_user) -> None:
    at = open_app(make_user(role=Role.ADMIN), page=PAGE)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Backend"]) == ["local", "mistral-ocr", "local", "tavus", "demo"]
    assert [s.value for s in at.success] == [
        "The one checked backend answered. 4 not checked (off, or nothing to reach): local, mistral-ocr, tavus, demo."
    ]
    at.button(key="providers_refresh").click().run()
    assert not at.exception and len(at.dataframe) == 1


def test_admin_page_with_every_backend_configured_shows_them_reachable_and_no_key(
    open_app, make_user, fake_openai, monkeypatch
) -> None:
    with FakeTavus() as tavus, FakeRazorpay() as razorpay, FakeMistral(api_key="mistral-ocr-secret-42") as ocr:
        env = {
            "AI_PROVIDER": "openai", "AI_API_KEY": API_KEY, "AI_BASE_URL": fake_openai.base_url,
            "MISTRAL_API_KEY": ocr.api_key, "MISTRAL_BASE_URL": ocr.origin,
            "TAVUS_API_KEY": tavus.api_key, "TAVUS_BASE_URL": tavus.url, "TAVUS_PERSONA_ID": "p-default",
            "PAYMENT_PROVIDER": "razorpay", "RAZORPAY_KEY_ID": razorpay.key_id,
            "RAZORPAY_KEY_SECRET": razorpay.key_secret, "RAZORPAY_BASE_URL": razorpay.url,
        }  # fmt: skip
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        at = open_app(make_user(role=Role.ADMIN), page=PAGE)
        secrets = (API_KEY, ocr.api_key, tavus.api_key, razorpay.key_secret)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Used for"]) == ["Language model", "OCR", "File storage", "Video interviews", "Payments"]
    assert list(table["Backend"]) == ["openai", "mistral-ocr", "local", "tavus", "razorpay"]
    assert set(table["Reachable"]) == {"yes"} and set(table["Active"]) == {"yes"}
    shown = table.to_csv() + " ".join(e.value for kind in ("markdown", "caption", "success", "warning")
                                      for e in getattr(at, kind))  # fmt: skip
    assert not any(secret in shown for secret in secrets)


def test_students_cannot_open_the_providers_page(open_app, make_user) -> None:
    at = open_app(make_user())
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page(PAGE)


# --- public address ---------------------------------------------------------------------------------------------


def test_public_base_url_follows_port_unless_set(monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "9123")
    assert Settings().public_base_url == "http://localhost:9123"
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://prep.example.edu")
    assert Settings().public_base_url == "https://prep.example.edu"


def test_public_address_warning_compares_origins_only(settings):
    public_address_warning = providers_health.public_address_warning
    local = settings.model_copy(update={"public_base_url": "http://localhost:8600"})
    assert public_address_warning(local, "http://127.0.0.1:8600/cohorts") is None  # loopback names are one
    assert public_address_warning(local, None) is None  # no browser address known
    assert "http://127.0.0.1:8700" in (public_address_warning(local, "http://127.0.0.1:8700/") or "")
    public = settings.model_copy(update={"public_base_url": "https://prep.example.edu/"})
    assert public_address_warning(public, "https://prep.example.edu:443/admin_providers") is None
    assert public_address_warning(public, "http://prep.example.edu/admin_providers") is not None


def test_summary_counts_only_what_was_checked():
    from core.ai.health import ProviderStatus

    rows = [ProviderStatus("local", "ai", True, None, ""), ProviderStatus("local", "storage", True, True, ""),
            ProviderStatus("tavus", "video", False, None, ""), ProviderStatus("razorpay", "payments", True, False, "")]
    summary = providers_health.summarise(rows)
    assert (summary.checked, summary.answered, summary.failing) == (2, 1, ["razorpay"])
    assert summary.sentence.startswith("1 of 2 checked backends answered. Not answering: razorpay;")
    assert summary.sentence.endswith("2 not checked (off, or nothing to reach): local, tavus.")
    nothing = providers_health.summarise([rows[0], rows[2]])
    assert nothing.sentence == "No backend was checked. 2 not checked (off, or nothing to reach): local, tavus."


@pytest.mark.parametrize(("key_id", "secret"), [("rzp_test_Unknown", None), (None, "not-the-secret")])
def test_a_razorpay_401_of_any_wording_is_refused(ctx, make_user, key_id, secret) -> None:
    """Razorpay answers an unknown key id with "The api key provided is invalid" and a wrong secret with
    "Authentication failed": both are keys refused, not a reachable service that accepted them."""
    with FakeRazorpay() as razorpay:
        settings = ctx.settings.model_copy(update={
            "payment_provider": "razorpay", "razorpay_key_id": key_id or razorpay.key_id,
            "razorpay_key_secret": secret or razorpay.key_secret, "razorpay_base_url": razorpay.url,
        })  # fmt: skip
        rows = by_kind(providers_health.check_all(AppContext(settings, ctx.db), make_user(role=Role.ADMIN)))
    assert (rows["payments"].reachable, rows["payments"].detail) == (False, "Answered, but refused the keys.")
