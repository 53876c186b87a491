"""AppTest of the e-mailed links: forgot password → the link → a new password that signs in; registering →
the banner → the verification link. Without SMTP the mails are read from the outbox, as an admin would."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from core.access import Role
from core.accounts import admin
from tests.conftest import APP_FILE, PASSWORD
from tests.pages.shown import texts

NEW_PASSWORD = "Brand-new-pass-42"


def latest_link(ctx, make_user, purpose: str) -> str:
    [message, *_] = admin.outbox(ctx, make_user(role=Role.ADMIN))
    found = re.search(rf"/\?{purpose}=([\w-]+)", message.body)
    assert found, message.body
    return found.group(1)


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def sign_in(at: AppTest, email: str, password: str) -> AppTest:
    email_box, password_box = (box for box in at.text_input if box.key is None)
    email_box.input(email)
    password_box.input(password)
    return click(at, "Sign in")


def test_forgot_password_to_a_new_password_that_signs_in(open_app, make_user, app_env):
    student = make_user()
    at = open_app()
    at.text_input(key="forgot_email").input(student.email)
    at = click(at, "Send reset link")
    assert any(s.startswith("If an account uses this address") for s in texts(at, "success"))
    token = latest_link(app_env, make_user, "reset")

    at = AppTest.from_file(APP_FILE, default_timeout=20)
    at.query_params["reset"] = token
    at.run()
    assert "Choose a new password" in [h.value for h in at.subheader]
    assert "reset" not in at.query_params  # the token leaves the address bar at once
    at.text_input(key="reset_new").input(NEW_PASSWORD)
    at.text_input(key="reset_repeat").input(NEW_PASSWORD)
    at = click(at, "Save new password")
    assert "Your password is changed. Sign in with it below." in texts(at, "success")
    at = sign_in(at, student.email, NEW_PASSWORD)
    assert at.title[0].value == f"Welcome, {student.name}"


def test_registering_asks_to_confirm_the_address_until_the_link_is_opened(open_app, make_user, app_env):
    at = open_app()
    at.text_input(key="register_name").input("New Student")
    at.text_input(key="register_email").input("new@example.com")
    at.text_input(key="register_password").input(PASSWORD)
    at.text_input(key="register_repeat").input(PASSWORD)
    at = click(at, "Create account")
    assert any("Confirm your e-mail address" in w for w in texts(at.sidebar, "warning"))
    at.query_params["verify"] = latest_link(app_env, make_user, "verify")
    at.run()
    assert "Your e-mail address is confirmed. Thank you." in texts(at.sidebar, "success")
    at.run()
    assert not at.sidebar.warning
