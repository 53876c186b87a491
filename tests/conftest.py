"""Shared fixtures: real SQLite and real PostgreSQL databases, an AppContext, and user factories.

PostgreSQL runs at 127.0.0.1:5432 (user postgres, trust auth) here and in CI. Each test run creates a
throwaway database and drops it at the end. In CI (CI=true) a missing PostgreSQL fails the run;
elsewhere the PostgreSQL variants skip with a message saying how to enable them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from core.access import Actor, Role
from core.accounts import users
from core.config import Settings
from core.context import AppContext
from core.db import Database
from core.models import Base
from tests.signed_in import sign_in

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
CORPUS = Path(__file__).parent / "corpus"
PASSWORD = "Correct-horse-42"


def _postgres_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    problem = _postgres_available()
    if problem:
        message = (
            f"PostgreSQL not reachable ({problem}). Start PostgreSQL on 127.0.0.1:5432 with trust auth "
            "for user postgres, or set TEST_POSTGRES_URL, to run these tests."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with throwaway_postgres(f"ip_test_{worker}") as url:
        yield url


@contextmanager
def throwaway_postgres(prefix: str) -> Iterator[str]:
    """The URL of a new, empty, uniquely named PostgreSQL database, dropped (connections and all) afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _migrated(url: str) -> Database:
    database = Database(url)
    database.upgrade()
    return database


@pytest.fixture(scope="session")
def _sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = _migrated(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def _postgresql_database(postgres_url: str) -> Iterator[Database]:
    database = _migrated(postgres_url)
    yield database
    database.dispose()


def _empty(database: Database) -> None:
    tables = [table.name for table in Base.metadata.sorted_tables]
    with database.engine.begin() as conn:
        if database.is_postgres:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(tables):
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Database:
    """A migrated, empty database: each test runs once on SQLite and once on PostgreSQL."""
    database = request.getfixturevalue(f"_{request.param}_database")
    _empty(database)
    return database


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        app_env="test",
        database_url="sqlite://",
        data_dir=tmp_path / "data",
        upload_dir=tmp_path / "uploads",
        bcrypt_rounds=4,
        seed_demo=False,
    )


@pytest.fixture
def ctx(settings: Settings, database: Database) -> AppContext:
    return AppContext(settings.model_copy(update={"database_url": database.url}), database)


@pytest.fixture
def make_user(ctx: AppContext) -> Callable[..., Actor]:
    """Create users quickly: make_user(), make_user(role=Role.COUNSELOR, email=...)."""
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.STUDENT, email: str | None = None, name: str | None = None) -> Actor:
        n = next(counter)
        return users.create_user(
            ctx,
            email=email or f"{role}{n}@example.com",
            name=name or f"{role.title()} {n}",
            password=PASSWORD,
            role=role,
        )

    return make


# --- AppTest ------------------------------------------------------------------------------------

APP_FILE = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app_env(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    """Point the Streamlit app (which reads settings from the environment) at the test database and folders."""
    s = ctx.settings
    for key, value in {
        "APP_ENV": "test", "DATABASE_URL": s.database_url, "DATA_DIR": str(s.data_dir),
        "UPLOAD_DIR": str(s.upload_dir), "BCRYPT_ROUNDS": str(s.bcrypt_rounds), "SEED_DEMO": "0",
    }.items():
        monkeypatch.setenv(key, value)
    return ctx


@pytest.fixture
def open_app(app_env: AppContext) -> Callable[..., AppTest]:
    """open_app(actor, page="app_pages/wallet.py") -> a run AppTest of app.py, signed in as `actor` (or signed out)."""

    def open_(actor: Actor | None = None, page: str | None = None, timeout: float = 20) -> AppTest:
        at = AppTest.from_file(APP_FILE, default_timeout=timeout)
        if actor is not None:
            sign_in(at, actor)
        at.run()
        if page is not None:
            at.switch_page(page).run()
        return at

    return open_


# --- S3 (a real S3-protocol server: moto) ---------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """URL of a moto S3 server on 127.0.0.1, shared by the session (use a fresh bucket per test)."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_settings(settings: Settings, s3_endpoint: str) -> Settings:
    """Test settings that store files in a new (not yet created) bucket on the moto server."""
    return settings.model_copy(update={
        "storage_backend": "s3", "s3_endpoint_url": s3_endpoint, "s3_bucket": f"test-{uuid.uuid4().hex[:12]}",
        "s3_access_key_id": "test", "s3_secret_access_key": "test",
    })


# --- AI services (loopback fakes speaking the OpenAI and Mistral wire formats) ----------------------

from tests.fakes.mistral_server import FakeMistral  # noqa: E402
from tests.fakes.openai_server import FakeOpenAI  # noqa: E402


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    """A fake OpenAI-compatible server; script replies with tests.fakes.openai_server.answer/error/slow."""
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def fake_mistral() -> Iterator[FakeMistral]:
    """A fake Mistral server (chat, OCR, models); script OCR with tests.fakes.mistral_server.ocr_pages."""
    with FakeMistral() as fake:
        yield fake
