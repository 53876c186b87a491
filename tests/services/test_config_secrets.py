"""Production refuses guessable cookie keys; development generates its own key once (issue #21, hole 2)."""

from __future__ import annotations

import re
import secrets
import stat
from pathlib import Path

import pytest

from core.config import EXAMPLE_COOKIE_KEYS, PROJECT_ROOT, Settings

EXCLUDED = {".venv", ".git", "data", "node_modules"}


def published_example_keys() -> set[str]:
    """Every AUTH_COOKIE_KEY value in any *.example file of the repository, read independently of core.config."""
    keys = set()
    for path in PROJECT_ROOT.rglob("*.example"):
        if EXCLUDED & set(path.relative_to(PROJECT_ROOT).parts):
            continue
        for line in path.read_text().splitlines():
            match = re.match(r"""\s*AUTH_COOKIE_KEY\s*[=:]\s*["']?([^"'\s#]+)""", line)
            if match:
                keys.add(match.group(1))
    return keys


def production(key: str | None, **extra: object) -> Settings:
    return Settings(app_env="production", auth_cookie_key=key, **extra)


def test_the_example_files_publish_keys_and_the_list_knows_them_all():
    published = published_example_keys()
    assert len(published) >= 2  # deploy/.env.example and .streamlit/secrets.toml.example
    assert published <= EXAMPLE_COOKIE_KEYS  # the image ships without the example files


@pytest.mark.parametrize("key", sorted(EXAMPLE_COOKIE_KEYS))
def test_production_refuses_every_published_key(key: str):
    with pytest.raises(RuntimeError, match="example value published"):
        production(key).check_production_ready()


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (None, "not set"),
        ("", "not set"),
        ("Zp4kQ9wX2mR7vB1nT8sL3c", "shorter than 32 bytes"),
        ("k" * 40, "not random enough"),
        ("passwordpasswordpasswordpassword", "not random enough"),
        ("1234567890" * 4, "not random enough"),
    ],
)
def test_production_refuses_short_or_low_entropy_keys(key: str | None, reason: str):
    with pytest.raises(RuntimeError, match=reason):
        production(key).check_production_ready()


@pytest.mark.parametrize("make_key", [lambda: secrets.token_urlsafe(32), lambda: secrets.token_urlsafe(48),
                                      lambda: secrets.token_hex(32)], ids=["urlsafe-32", "urlsafe-48", "hex-32"])
def test_production_accepts_a_random_key(make_key):
    key = make_key()  # drawn in the test, not at collection: xdist workers must collect the same test ids
    settings = production(key)
    settings.check_production_ready()
    assert settings.cookie_key() == key


def test_production_without_a_key_never_falls_back_to_a_generated_one(tmp_path: Path):
    with pytest.raises(RuntimeError, match="AUTH_COOKIE_KEY"):
        production(None, data_dir=tmp_path).cookie_key()
    assert not (tmp_path / "auth_cookie_key").exists()


def test_development_generates_a_private_random_key_once_and_reuses_it(tmp_path: Path):
    first = Settings(app_env="development", data_dir=tmp_path / "a").cookie_key()
    path = tmp_path / "a" / "auth_cookie_key"
    assert path.read_text() == first and len(first) >= 48
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings(app_env="development", data_dir=tmp_path / "a").cookie_key() == first
    other = Settings(app_env="development", data_dir=tmp_path / "b").cookie_key()
    assert other != first and other not in EXAMPLE_COOKIE_KEYS
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["auth_cookie_key"]  # no draft left behind


def test_production_needs_bcrypt_rounds_of_at_least_12():
    key = secrets.token_urlsafe(32)
    with pytest.raises(RuntimeError, match="BCRYPT_ROUNDS of at least 12"):
        production(key, bcrypt_rounds=4).check_production_ready()
    production(key, bcrypt_rounds=12).check_production_ready()
    Settings(app_env="development", bcrypt_rounds=4).check_production_ready()
