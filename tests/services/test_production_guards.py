"""Production guards (issue #21, holes 10, 11, 12, 15): no demo seed in production, migrations under an
advisory lock, one answer for missing and forbidden ids, one spelling per e-mail address."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, func, select, text

from core import cli
from core.access import Role
from core.accounts import users
from core.config import PROJECT_ROOT, get_settings
from core.errors import AppError, ErrorCode
from core.models import User
from core.student import progress
from tests.conftest import PASSWORD, throwaway_postgres


@pytest.fixture
def production_cli(app_env, monkeypatch) -> Iterator:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SEED_DEMO", "1")
    get_settings.cache_clear()
    yield app_env
    get_settings.cache_clear()


def user_count(ctx) -> int:
    with ctx.db.session() as session:
        return session.scalar(select(func.count(User.id))) or 0


def test_seed_demo_if_empty_in_production_creates_nothing_and_says_why(production_cli, capsys):
    assert cli.main(["seed-demo", "--if-empty"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["seeded"] is False and "APP_ENV=production" in out["reason"]
    assert user_count(production_cli) == 0


def test_seed_demo_in_production_exits_2_with_a_json_error(production_cli, capsys):
    assert cli.main(["seed-demo"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "INVALID_INPUT" and "APP_ENV=production" in error["message"]
    assert user_count(production_cli) == 0


@pytest.fixture
def fresh_postgres_url(postgres_url: str) -> Iterator[str]:
    """An empty, uniquely named database (not the session's migrated one), dropped afterwards."""
    with throwaway_postgres("ip_migrate") as url:
        yield url


def test_three_concurrent_first_migrations_on_postgresql_all_succeed(fresh_postgres_url: str, tmp_path):
    env = {**os.environ, "DATABASE_URL": fresh_postgres_url, "APP_ENV": "development", "DATA_DIR": str(tmp_path)}

    def migrate(_: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "core.cli", "migrate"], cwd=PROJECT_ROOT, env=env,
                              capture_output=True, text=True, timeout=120)  # fmt: skip

    with ThreadPoolExecutor(3) as pool:
        runs = list(pool.map(migrate, range(3)))
    assert [run.returncode for run in runs] == [0, 0, 0], [run.stderr[-2000:] for run in runs]
    engine = create_engine(fresh_postgres_url)
    with engine.connect() as conn:
        assert len(conn.execute(text("SELECT version_num FROM alembic_version")).all()) == 1
    engine.dispose()


def test_a_counselor_gets_the_same_answer_for_a_stranger_and_a_missing_id(ctx, make_user):
    counselor = make_user(Role.COUNSELOR)
    stranger = make_user()
    answers = []
    for student_id in (stranger.id, stranger.id + 1000):
        with pytest.raises(AppError) as refused:
            progress.summary(ctx, counselor, student_id)
        answers.append((refused.value.code, refused.value.message))
    assert answers[0] == answers[1] and answers[0][0] == ErrorCode.NOT_FOUND


@pytest.mark.parametrize("look_alike", ["Ａdmin@Example.com", "ADMIN@EXAMPLE.COM", " admin@example.com "])
def test_look_alike_emails_are_the_same_account(ctx, look_alike: str):
    users.create_user(ctx, email="admin@example.com", name="Admin", password=PASSWORD)
    with pytest.raises(AppError, match="already exists"):
        users.create_user(ctx, email=look_alike, name="Impostor", password=PASSWORD)
    assert users.authenticate(ctx, look_alike, PASSWORD).email == "admin@example.com"


def test_ligatures_fold_to_their_letters(ctx):
    actor = users.create_user(ctx, email="ﬁona@example.com", name="Fiona", password=PASSWORD)
    assert actor.email == "fiona@example.com"
    assert users.load_actor_by_email(ctx, "FIONA@example.com") == actor


@pytest.mark.parametrize("password", ["пароль-надёжный-42", "ürünlerimiz-9999", "密码密码密码密码密码-1"])
def test_the_password_rule_counts_any_letter(password: str):
    assert users.password_problems(password) == []
