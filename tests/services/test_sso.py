"""Single sign-on accounts on SQLite and PostgreSQL: linking by verified e-mail, creating students, refusals,
audit, and the providers read from `[auth]` secrets."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from core import providers_health
from core.access import Role
from core.accounts import admin, privacy, sso, users
from core.errors import AppError, ErrorCode
from core.models import AuditLog, SsoIdentity, Transaction, User, Wallet
from tests.conftest import PASSWORD, free_port

ISSUER = "http://127.0.0.1:9/idp"
UNI = sso.Provider("uni", "Example University", f"{ISSUER}/.well-known/openid-configuration", ("example.edu",))
OPEN = sso.Provider("google", "Google", "https://accounts.google.com/.well-known/openid-configuration")


def identity(email: str, *, verified: bool = True, sub: str | None = None, provider: str = "uni") -> sso.Identity:
    claims = {"provider": provider, "iss": ISSUER, "sub": sub or f"sub-{email}", "email": email,
              "email_verified": verified, "name": "Ada Lovelace"}  # fmt: skip
    return sso.identity_of(claims)


def audit_actions(ctx, user_id=None) -> list[tuple[str, dict]]:
    with ctx.db.session() as s:
        query = select(AuditLog.action, AuditLog.details).where(AuditLog.action.like("user.sso%")).order_by(AuditLog.id)
        if user_id is not None:
            query = query.where(AuditLog.subject_user_id == user_id)
        return [(action, details) for action, details in s.execute(query)]


def test_first_sign_in_creates_a_student_with_a_wallet_and_no_password(ctx):
    actor = sso.sign_in(ctx, UNI, identity("Ada@Example.edu"))
    assert actor.email == "ada@example.edu" and actor.role == Role.STUDENT and actor.name == "Ada Lovelace"
    with ctx.db.session() as s:
        user = s.get(User, actor.id)
        assert user.password_hash is None and user.last_active_at is not None
        assert s.get(Wallet, actor.id).balance == ctx.settings.welcome_credits
        assert s.scalars(select(Transaction.kind).where(Transaction.user_id == actor.id)).all() == ["welcome"]
        link = s.scalar(select(SsoIdentity).where(SsoIdentity.user_id == actor.id))
        assert (link.issuer, link.subject, link.provider) == (ISSUER, "sub-Ada@Example.edu", "uni")
    assert audit_actions(ctx, actor.id) == [("user.sso_sign_in", {"provider": "uni", "account": "created"})]
    assert not users.has_password(ctx, actor)
    with pytest.raises(AppError) as no_password:  # an SSO-only account cannot be guessed into with a password
        users.authenticate(ctx, "ada@example.edu", "")
    assert no_password.value.code == ErrorCode.INVALID_CREDENTIALS


def test_existing_password_user_is_linked_not_duplicated_and_keeps_password(ctx, make_user):
    student = make_user(email="grace@example.edu")
    linked = sso.sign_in(ctx, UNI, identity("grace@example.edu"))
    again = sso.sign_in(ctx, UNI, identity("grace@example.edu"))
    assert linked.id == again.id == student.id
    with ctx.db.session() as s:
        assert s.scalar(select(func.count(User.id)).where(User.email == "grace@example.edu")) == 1
        assert s.scalar(select(func.count(SsoIdentity.id))) == 1
        assert s.scalar(select(func.count(Transaction.id)).where(Transaction.user_id == student.id)) == 1
    assert users.authenticate(ctx, "grace@example.edu", PASSWORD).id == student.id
    assert [d["account"] for _, d in audit_actions(ctx, student.id)] == ["linked", "returning"]


def test_linked_identity_is_found_by_subject_even_when_the_email_changes(ctx):
    first = sso.sign_in(ctx, UNI, identity("old@example.edu", sub="s-1"))
    later = sso.sign_in(ctx, UNI, identity("new@example.edu", sub="s-1", verified=False))
    assert later.id == first.id and later.email == "old@example.edu"


def test_unverified_email_is_refused_and_links_nothing(ctx, make_user):
    student = make_user(email="mallory@example.edu")
    with pytest.raises(AppError) as refused:
        sso.sign_in(ctx, UNI, identity("mallory@example.edu", verified=False))
    assert refused.value.code == ErrorCode.SSO_REFUSED
    assert refused.value.message == ("Example University has not verified your e-mail address mallory@example.edu. "
                                     "Verify it with Example University, or sign in with your password.")  # fmt: skip
    with ctx.db.session() as s:
        assert s.scalar(select(func.count(SsoIdentity.id))) == 0
    assert audit_actions(ctx, student.id) == [
        ("user.sso_refused", {"provider": "uni", "email": "mallory@example.edu", "reason": "unverified"})
    ]


def test_string_email_verified_claim_is_understood():
    assert sso.identity_of({"sub": "x", "email": "a@b.co", "email_verified": "true"}).email_verified
    assert not sso.identity_of({"sub": "x", "email": "a@b.co", "email_verified": "false"}).email_verified
    assert not sso.identity_of({"sub": "x", "email": "a@b.co"}).email_verified
    assert sso.identity_of({"sub": "x", "email": "a@b.co", "xms_edov": True}, "xms_edov").email_verified


def test_wrong_domain_is_refused_even_for_a_linked_identity(ctx):
    with pytest.raises(AppError, match=r"open to @example\.edu addresses only, and eve@gmail\.com is not one"):
        sso.sign_in(ctx, UNI, identity("eve@gmail.com"))
    with ctx.db.session() as s:
        assert s.scalar(select(func.count(User.id))) == 0
    assert sso.sign_in(ctx, OPEN, identity("eve@gmail.com", provider="google")).email == "eve@gmail.com"


def test_disabled_user_is_refused_whether_linked_or_not(ctx, make_user):
    admin_actor = make_user(role=Role.ADMIN)
    student = make_user(email="dis@example.edu")
    sso.sign_in(ctx, UNI, identity("dis@example.edu"))
    admin.set_locked(ctx, admin_actor, student.id, True)
    with pytest.raises(AppError, match="This account is disabled"):
        sso.sign_in(ctx, UNI, identity("dis@example.edu"))
    other = make_user(email="dis2@example.edu")
    admin.set_locked(ctx, admin_actor, other.id, True)
    with pytest.raises(AppError, match="This account is disabled"):
        sso.sign_in(ctx, UNI, identity("dis2@example.edu"))
    with ctx.db.session() as s:
        assert s.scalar(select(func.count(SsoIdentity.id)).where(SsoIdentity.user_id == other.id)) == 0


def test_sso_keeps_staff_roles_it_finds_but_never_grants_one(ctx, make_user):
    counselor = make_user(role=Role.COUNSELOR, email="coach@example.edu")
    assert sso.sign_in(ctx, UNI, identity("coach@example.edu")).role == Role.COUNSELOR
    assert sso.sign_in(ctx, UNI, identity("newcoach@example.edu")).role == Role.STUDENT
    assert counselor.role == Role.COUNSELOR


def test_missing_email_or_subject_is_a_sentence(ctx):
    with pytest.raises(AppError, match="did not share your e-mail address"):
        sso.sign_in(ctx, OPEN, sso.identity_of({"provider": "google", "iss": ISSUER, "sub": "x"}))
    with pytest.raises(AppError, match="did not say who you are"):
        sso.sign_in(ctx, OPEN, sso.identity_of({"provider": "google", "email": "a@b.co", "email_verified": True}))


def test_sso_only_user_sets_a_first_password_once(ctx):
    actor = sso.sign_in(ctx, OPEN, identity("set@example.com", provider="google"))
    users.set_first_password(ctx, actor, "First-pass-2026")
    assert users.has_password(ctx, actor)
    assert users.authenticate(ctx, "set@example.com", "First-pass-2026").id == actor.id
    with pytest.raises(AppError, match="already has a password"):
        users.set_first_password(ctx, actor, "Second-pass-2026")


def test_account_deletion_and_export_cover_linked_identities(ctx):
    actor = sso.sign_in(ctx, OPEN, identity("gone@example.com", provider="google"))
    with zipfile.ZipFile(io.BytesIO(privacy.export_user_data(ctx, actor))) as exported:
        data = json.loads(exported.read("data.json"))
    assert [row["provider"] for row in data["sso_identities"]] == ["google"]
    privacy.delete_account(ctx, actor, confirm_email="gone@example.com")
    with ctx.db.session() as s:
        assert s.scalar(select(func.count(SsoIdentity.id))) == 0


def test_providers_are_read_from_the_auth_section_in_order():
    section = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "microsoft": {"client_id": "a", "client_secret": "b", "server_metadata_url": "https://m/.well-known"},
        "uni": {"client_id": "a", "client_secret": "b", "server_metadata_url": "https://u/.well-known",
                "label": "Example University", "allowed_domains": ["Example.edu", "@staff.example.edu"],
                "email_verified_claim": "xms_edov"},
        "broken": {"client_id": "a"},  # misses keys st.login needs: not offered
        "bad_name": {"client_id": "a", "client_secret": "b", "server_metadata_url": "https://b"},
    }
    found = sso.providers(section)
    assert [(p.name, p.label) for p in found] == [("microsoft", "Microsoft"), ("uni", "Example University")]
    assert found[1].allowed_domains == ("example.edu", "staff.example.edu")
    assert (found[0].verified_claim, found[1].verified_claim) == ("email_verified", "xms_edov")
    assert sso.providers({**section, "client_id": "a", "client_secret": "b", "server_metadata_url": "https://d"}
                         )[0].name == "default"  # fmt: skip
    assert sso.providers({k: v for k, v in section.items() if k != "cookie_secret"}) == []
    assert sso.providers(None) == []


class _Discovery(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = {"/ok": {"issuer": "x", "authorization_endpoint": "x"}, "/empty": {}}.get(self.path)
        self.send_response(200 if body is not None else 503)
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def discovery() -> Iterator[str]:
    """Base URL of a loopback server: /ok is a discovery document, /empty lacks its keys, the rest answer 503."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Discovery)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_discovery_problem_tells_answering_from_failing_providers(discovery):
    def check(url: str) -> str | None:
        return sso.discovery_problem(sso.Provider("p", "P", url), timeout=2)

    assert check(discovery + "/ok") is None
    assert check(discovery + "/empty") == "The discovery document has no issuer or authorization endpoint."
    assert check(discovery + "/down") == "The discovery document answered HTTP 503."
    assert check(f"http://127.0.0.1:{free_port()}/ok") == "The discovery document could not be read (ConnectionError)."


def test_admin_providers_page_lists_each_oidc_provider_and_whether_it_answers(ctx, make_user, discovery):
    up = sso.Provider("uni", "Example University", discovery + "/ok", ("example.edu",))
    down = sso.Provider("google", "Google", discovery + "/down")
    rows = [r for r in providers_health.check_all(ctx, make_user(role=Role.ADMIN), sign_in=[up, down])
            if r.kind == "sign-in"]  # fmt: skip
    assert [(r.name, r.reachable, r.detail) for r in rows] == [
        ("Example University (uni)", True, "Discovery document answers. Open to @example.edu only."),
        ("Google (google)", False, "The discovery document answered HTTP 503."),
    ]
    with pytest.raises(AppError):
        providers_health.check_all(ctx, make_user(), sign_in=[up])
