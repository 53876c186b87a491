"""CLI: seed-demo is idempotent; create-user makes the first admin; bad input exits 2 with a JSON error."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core import cli
from core.accounts import users
from core.config import get_settings
from core.demo import DEMO_PASSWORD
from core.models import CV, Analysis, Cohort, CohortMember, User


@pytest.fixture
def cli_env(app_env, monkeypatch):
    """The CLI reads settings from the environment, like the app."""
    get_settings.cache_clear()
    yield app_env
    get_settings.cache_clear()


def run(capsys, *argv: str) -> tuple[int, dict]:
    code = cli.main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def counts(ctx) -> tuple[int, ...]:
    with ctx.db.session() as s:
        return tuple(s.scalar(select(func.count(model.id))) for model in (User, Cohort, CohortMember, Analysis, CV))


def test_seed_demo_twice_creates_nothing_twice(cli_env, capsys, monkeypatch):
    code, first = run(capsys, "seed-demo")
    assert code == 0 and first["created_users"] == 33 and first["password"] == DEMO_PASSWORD
    user_count, cohorts, members, analyses, cvs = first_counts = counts(cli_env)
    assert (user_count, cohorts, members) == (33, 2, 32)
    assert analyses >= 60 and cvs >= 60, "every demo student has a history of analyses over CV versions"
    code, second = run(capsys, "seed-demo")
    assert code == 0 and second["created_users"] == 0
    assert counts(cli_env) == first_counts
    assert users.authenticate(cli_env, first["admin"], DEMO_PASSWORD).role == "admin"
    code, third = run(capsys, "seed-demo", "--if-empty")
    assert code == 0 and third == {"seeded": False, "reason": "SEED_DEMO is off"}
    monkeypatch.setenv("SEED_DEMO", "1")
    get_settings.cache_clear()
    code, fourth = run(capsys, "seed-demo", "--if-empty")
    assert code == 0 and fourth == {"seeded": False, "reason": "database already has users"}


def test_create_user_admin_from_env_password(cli_env, capsys, monkeypatch):
    monkeypatch.setenv("INTERVIEWPREP_PASSWORD", "First-admin-pass-1")
    code, out = run(capsys, "create-user", "--role", "admin", "--email", "Boss@Example.com", "--name", "The Boss")
    assert code == 0 and out["role"] == "admin" and out["email"] == "boss@example.com"
    assert users.authenticate(cli_env, "boss@example.com", "First-admin-pass-1").is_admin
    code, out = run(capsys, "create-user", "--email", "boss@example.com", "--name", "Again")
    assert code == 2 and out["error"]["code"] == "INVALID_INPUT"
