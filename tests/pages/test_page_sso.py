"""AppTest of single sign-on on the sign-in gate: exactly the configured providers get a button, a provider that
is down gets a sentence, and an identity st.user brings back signs in (or is refused) through core.accounts.sso.

The OIDC flow itself (st.login, the provider, the callback) runs in the browser test against a real provider:
tests/e2e/test_e2e_sso.py.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.access import Role
from core.models import SsoIdentity, User
from tests.conftest import APP_FILE, free_port
from tests.signed_in import sign_in

DEAD = f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"  # nothing listens there


def provider(**extra: Any) -> dict[str, Any]:
    return {"client_id": "app", "client_secret": "secret", "server_metadata_url": DEAD, **extra}


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-some-length",
    "google": provider(),
    "uni": provider(label="Example University", allowed_domains=["example.edu"]),
    "half": {"client_id": "app"},  # not usable by st.login: no button
}


def open_sign_in(auth: dict[str, Any] | None, user: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(APP_FILE, default_timeout=20)
    if auth is not None:
        at.secrets["auth"] = auth
    if user is not None:
        at.user = user
    return at.run()


def sso_buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button if b.label.startswith("Continue with")]


def claims(email: str, *, verified: bool = True, provider_name: str = "uni") -> dict[str, Any]:
    return {"is_logged_in": True, "provider": provider_name, "iss": "https://idp.example.edu", "sub": f"s-{email}",
            "email": email, "email_verified": verified, "name": "Ada Lovelace"}  # fmt: skip


def test_sign_in_page_shows_exactly_the_configured_providers(app_env):
    at = open_sign_in(AUTH)
    assert not at.exception
    assert sso_buttons(at) == ["Continue with Google", "Continue with Example University"]
    assert "Sign in" in [b.label for b in at.button]  # the password form stays


def test_without_auth_secrets_there_is_no_single_sign_on(app_env):
    at = open_sign_in(None)
    assert not at.exception and sso_buttons(at) == []
    assert sso_buttons(open_sign_in({**AUTH, "cookie_secret": ""})) == []  # st.login would refuse this [auth]


def test_a_provider_that_is_down_gets_a_sentence_not_a_redirect(app_env):
    at = open_sign_in(AUTH)
    at.button(key="sso_uni").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Example University is not answering right now. Try again in a few minutes, or sign in with your password."
    ]


def test_identity_from_the_provider_signs_in_a_new_student_on_the_dashboard(app_env):
    at = open_sign_in(AUTH, claims("ada@example.edu"))
    assert not at.exception
    assert at.title[0].value == "Welcome, Ada Lovelace"
    assert at.session_state["actor"].role == Role.STUDENT
    with app_env.db.session() as s:
        assert s.scalar(select(func.count(SsoIdentity.id))) == 1
        assert s.scalar(select(User.password_hash).where(User.email == "ada@example.edu")) is None
    at.switch_page("app_pages/account.py").run()
    assert "Set a password" in [h.value for h in at.subheader]
    assert not [box.label for box in at.text_input if box.label == "Current password"]  # never asked for one
    assert {"New password", "Repeat new password"} <= {box.label for box in at.text_input}


def test_refused_identity_shows_its_sentence_and_offers_to_sign_out_of_the_provider(app_env):
    at = open_sign_in(AUTH, claims("eve@gmail.com"))
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Sign-in with Example University is open to @example.edu addresses only, and eve@gmail.com is not one. "
        "Use your institution's account."
    ]
    assert "Sign out of Example University" in [b.label for b in at.button]
    assert "actor" not in at.session_state or at.session_state["actor"] is None


def test_admin_providers_page_lists_each_oidc_provider_and_whether_it_answers(app_env, make_user):
    admin_actor = make_user(role=Role.ADMIN)
    at = AppTest.from_file(APP_FILE, default_timeout=30)
    at.secrets["auth"] = AUTH
    sign_in(at, admin_actor)
    at.run().switch_page("app_pages/admin_providers.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    rows = table[table["Used for"] == "Single sign-on (OIDC)"]
    assert list(rows["Backend"]) == ["Google (google)", "Example University (uni)"]
    assert list(rows["Reachable"]) == ["NO", "NO"]
    assert rows["Detail"].iloc[1] == ("The discovery document could not be read (ConnectionError). "
                                      "Open to @example.edu only.")
    assert "google" in at.warning[0].value and "uni" in at.warning[0].value


def test_sign_out_of_an_sso_session_also_signs_out_of_the_provider(app_env):
    at = open_sign_in(AUTH, claims("bo@example.edu"))
    assert at.title[0].value == "Welcome, Ada Lovelace"
    at.sidebar.button(key="sign_out").click().run()
    assert not at.exception
    assert at.user.get("is_logged_in") is False  # st.logout ran: Streamlit's identity is gone too
    assert sso_buttons(at) == ["Continue with Google", "Continue with Example University"]


def test_identity_from_a_provider_no_longer_configured_is_refused(app_env):
    at = open_sign_in(AUTH, claims("cy@example.edu", provider_name="retired"))
    assert [e.value for e in at.error] == [
        "Signing in with that provider is no longer offered. Choose another way to sign in."
    ]
    assert "Sign out of the provider" in [b.label for b in at.button]
