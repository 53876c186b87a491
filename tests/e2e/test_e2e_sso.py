"""Single sign-on journeys against a real OpenID Connect provider: the `oidc-provider` package (tests/oidc/) on
127.0.0.1, its users configured below, driven through the whole authorization-code flow in Chromium.

The app runs with its own secrets file ([auth] pointing at that provider, plus one whose discovery URL has nothing
listening), on its own database. Without Node.js these tests fail in CI (CI=true) and skip locally.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import ColumnElement, func, select

from core.access import Role
from core.accounts import admin, users
from core.context import AppContext
from core.models import AuditLog, SsoIdentity, User, Wallet
from tests.e2e.harness import ROOT, AppServer, StreamlitPage, cli, free_port, server_context, throwaway_env

OIDC_DIR = ROOT / "tests" / "oidc"
PASSWORD = "Journey-pass-2026"
CLIENT_ID, CLIENT_SECRET = "interviewprep", "test-client-secret-not-for-production"
UNI = "Continue with Example University"
# The provider's users; the key is what one types as "login" on its sign-in page (and the subject it reports).
ACCOUNTS = {
    "newstudent": {"email": "new.student@example.edu", "email_verified": True, "name": "Nia Student"},
    "linked": {"email": "linked.user@example.edu", "email_verified": True, "name": "Linked At Provider"},
    "unverified": {"email": "unverified@example.edu", "email_verified": False, "name": "Una Verified"},
    "outsider": {"email": "outsider@gmail.com", "email_verified": True, "name": "Otto Outsider"},
    "disabled": {"email": "disabled.user@example.edu", "email_verified": True, "name": "Dee Disabled"},
}


def node_problem() -> str | None:
    if not shutil.which("node") or not shutil.which("npm"):
        return "Node.js and npm are needed for the single sign-on tests (the oidc-provider package)."
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=OIDC_DIR, capture_output=True, text=True)
        if done.returncode:
            return f"npm ci in tests/oidc failed:\n{done.stderr[-2000:]}"
    return None


@pytest.fixture(scope="module")
def node(chromium: None) -> None:
    problem = node_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the OIDC provider exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the OIDC provider did not answer {url}:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def sso_app(node: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[AppServer, str]]:
    """(the app server, the provider's issuer URL): both started here, the provider knowing the app's callback."""
    workdir = tmp_path_factory.mktemp("e2e-sso")
    app_port, idp_port = free_port(), free_port()
    issuer, callback = f"http://127.0.0.1:{idp_port}", f"http://127.0.0.1:{app_port}/oauth2callback"
    client = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [callback],
              "post_logout_redirect_uris": [callback]}  # fmt: skip
    idp_log = workdir / "oidc.log"
    with idp_log.open("wb") as log:
        idp = subprocess.Popen(
            ["node", "server.mjs"], cwd=OIDC_DIR, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "OIDC_PORT": str(idp_port), "OIDC_CLIENT": json.dumps(client),
                 "OIDC_ACCOUNTS": json.dumps(ACCOUNTS)},
        )  # fmt: skip
    secrets = workdir / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "{callback}"
cookie_secret = "e2e-cookie-secret-{app_port}-0123456789abcdef"

[auth.uni]
label = "Example University"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
allowed_domains = ["example.edu"]
# oidc-provider has no "select_account" prompt (Streamlit's default); "consent" asks on every sign-in instead.
client_kwargs = {{ prompt = "consent" }}

[auth.offline]
label = "Offline College"
client_id = "x"
client_secret = "y"
server_metadata_url = "http://127.0.0.1:{free_port()}/.well-known/openid-configuration"
""")
    env = throwaway_env(workdir)
    cli(env, "migrate")
    server = AppServer(env, workdir / "streamlit.log", port=app_port, extra_args=("--secrets.files", str(secrets)))
    try:
        wait_for(f"{issuer}/.well-known/openid-configuration", idp, idp_log)
        with server:
            yield server, issuer
    finally:
        idp.terminate()
        idp.wait(10)


@pytest.fixture(scope="module")
def sso_ctx(sso_app: tuple[AppServer, str]) -> Iterator[AppContext]:
    with server_context(sso_app[0]) as ctx:
        yield ctx


@pytest.fixture(scope="module")
def e2e_server(sso_app: tuple[AppServer, str]) -> AppServer:
    """This module's app server for the shared `app` / `new_tab` fixtures (fresh contexts, screenshots on failure)."""
    return sso_app[0]


@pytest.fixture
def tab(app: StreamlitPage) -> StreamlitPage:
    """A signed-out tab in a fresh browser context (no cookies at the app or at the provider)."""
    return app


def at_provider(page: Page, issuer: str) -> None:
    page.wait_for_url(f"{issuer}/**")


def back_at_app(tab: StreamlitPage) -> None:
    tab.page.wait_for_url(f"{tab.base_url}/**")
    tab.wait_idle()


def start(tab: StreamlitPage, issuer: str, label: str = UNI) -> None:
    tab.button(label).click()
    at_provider(tab.page, issuer)
    tab.step(f"at provider after {label}")


def provider_login(tab: StreamlitPage, login: str) -> None:
    page = tab.page
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password: the test provider checks none")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # consent
    back_at_app(tab)
    tab.step(f"back from provider as {login}")


def sign_in_with_provider(tab: StreamlitPage, issuer: str, login: str) -> None:
    start(tab, issuer)
    provider_login(tab, login)


def count(ctx: AppContext, model: type, *where: ColumnElement[bool]) -> int:
    with ctx.db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_new_student_is_created_lands_on_dashboard_and_sign_out_ends_the_provider_session(tab, sso_app, sso_ctx):
    issuer = sso_app[1]
    sign_in_with_provider(tab, issuer, "newstudent")
    expect(tab.heading()).to_have_text("Welcome, Nia Student")
    with sso_ctx.db.session() as s:
        user = s.scalar(select(User).where(User.email == "new.student@example.edu"))
        assert user.role == Role.STUDENT and user.password_hash is None and user.last_active_at is not None
        assert s.get(Wallet, user.id).balance == sso_ctx.settings.welcome_credits
        audit = s.scalars(select(AuditLog.details).where(AuditLog.action == "user.sso_sign_in",
                                                         AuditLog.subject_user_id == user.id)).all()  # fmt: skip
        assert audit == [{"provider": "uni", "account": "created"}]

    tab.go_to("Account")
    expect(tab.page.get_by_role("heading", name="Set a password")).to_be_visible()
    expect(tab.page.get_by_label("Current password", exact=True)).to_have_count(0)

    tab.show_sidebar()
    tab.button("Sign out").click()
    at_provider(tab.page, issuer)  # Streamlit sends the browser to the provider's end_session_endpoint
    tab.page.get_by_role("button", name="Yes, sign me out").click()
    back_at_app(tab)
    expect(tab.button(UNI)).to_be_visible()
    tab.open("/")  # a new session: neither our session nor Streamlit's identity cookie signs anyone in
    expect(tab.button(UNI)).to_be_visible()
    start(tab, issuer)
    expect(tab.page.locator("input[name=login]")).to_be_visible()  # the provider asks who you are again
    provider_login(tab, "newstudent")
    expect(tab.heading()).to_have_text("Welcome, Nia Student")
    assert count(sso_ctx, User, User.email == "new.student@example.edu") == 1


def test_existing_password_user_is_linked_not_duplicated(tab, sso_app, sso_ctx):
    existing = users.create_user(sso_ctx, email="linked.user@example.edu", name="Lina Password", password=PASSWORD)
    sign_in_with_provider(tab, sso_app[1], "linked")
    expect(tab.heading()).to_have_text("Welcome, Lina Password")
    assert count(sso_ctx, User, User.email == "linked.user@example.edu") == 1
    assert count(sso_ctx, SsoIdentity, SsoIdentity.user_id == existing.id, SsoIdentity.subject == "linked") == 1
    assert users.authenticate(sso_ctx, "linked.user@example.edu", PASSWORD).id == existing.id  # password kept


REFUSALS = {
    "unverified": "Example University has not verified your e-mail address unverified@example.edu. Verify it with "
                  "Example University, or sign in with your password.",
    "outsider": "Sign-in with Example University is open to @example.edu addresses only, and outsider@gmail.com "
                "is not one. Use your institution's account.",
    "disabled": "This account is disabled. Ask your administrator to enable it.",
}  # fmt: skip


@pytest.mark.parametrize("login", list(REFUSALS))
def test_refused_identities_get_their_sentence(login, tab, sso_app, sso_ctx, make_admin):
    if login == "disabled":
        student = users.create_user(sso_ctx, email="disabled.user@example.edu", name="Dee", password=PASSWORD)
        admin.set_locked(sso_ctx, make_admin(), student.id, True)
    before = count(sso_ctx, User)
    sign_in_with_provider(tab, sso_app[1], login)
    expect(tab.alerts()).to_have_text([REFUSALS[login]])
    expect(tab.page.get_by_role("button", name="Sign in", exact=True).filter(visible=True)).to_be_visible()
    assert count(sso_ctx, User) == before and count(sso_ctx, SsoIdentity, SsoIdentity.subject == login) == 0

    tab.button("Sign out of Example University").click()  # to try another account at the provider
    at_provider(tab.page, sso_app[1])
    tab.page.get_by_role("button", name="Yes, sign me out").click()
    back_at_app(tab)
    expect(tab.alerts()).to_have_count(0)
    expect(tab.button("Sign out of Example University")).to_have_count(0)


def test_cancelled_consent_and_a_provider_that_is_down_get_a_sentence(tab, sso_app):
    start(tab, sso_app[1])
    tab.page.get_by_role("link", name="[ Cancel ]").click()
    back_at_app(tab)
    expect(tab.alerts()).to_have_text(["Signing in with Example University was cancelled or did not finish. "
                                       "Try again, or sign in with your password."])  # fmt: skip
    tab.reload()
    expect(tab.alerts()).to_have_count(0)  # reported once

    tab.click("Continue with Offline College")
    expect(tab.alerts()).to_have_text(["Offline College is not answering right now. Try again in a few minutes, "
                                       "or sign in with your password."])  # fmt: skip


@pytest.fixture(scope="module")
def make_admin(sso_ctx: AppContext) -> Callable[[], object]:
    def make() -> object:
        return users.create_user(sso_ctx, email=f"admin-{time.monotonic_ns()}@example.edu", name="Admin",
                                 password=PASSWORD, role=Role.ADMIN)  # fmt: skip

    return make
