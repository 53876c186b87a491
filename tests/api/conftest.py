"""The running server (`streamlit run server.py`) on 127.0.0.1, on its own PostgreSQL database, with Razorpay
played by the fake; tests arrange users and tokens through core services on the same database and then make
real HTTP requests with `requests`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from core.access import Actor, Role
from core.accounts import tokens, users
from core.config import Settings
from core.context import AppContext
from tests.conftest import CORPUS, throwaway_postgres
from tests.e2e.harness import AppServer, cli, throwaway_env
from tests.fakes.razorpay_server import FakeRazorpay

WEBHOOK_SECRET = "whsec-test-7f3a"
RATE_LIMIT = 5
JD = (CORPUS / "jds" / "05_data_analyst.txt").read_text()


@pytest.fixture(scope="module")
def api_database(postgres_url: str) -> Iterator[str]:
    """A PostgreSQL database of this module's own (the shared test database is emptied between tests)."""
    with throwaway_postgres("ip_api") as url:
        yield url


@pytest.fixture(scope="module")
def razorpay_fake() -> Iterator[FakeRazorpay]:
    with FakeRazorpay() as fake:
        yield fake


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    """Extra environment for this module's server; a test module overrides it to change a setting."""
    return {"API_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT)}


@pytest.fixture(scope="module")
def server(api_database: str, razorpay_fake: FakeRazorpay, server_settings: dict[str, str],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:  # fmt: skip
    workdir = tmp_path_factory.mktemp("api-server")
    env = throwaway_env(workdir) | {
        "DATABASE_URL": api_database,
        "PAYMENT_PROVIDER": "razorpay",
        "RAZORPAY_KEY_ID": razorpay_fake.key_id,
        "RAZORPAY_KEY_SECRET": razorpay_fake.key_secret,
        "RAZORPAY_BASE_URL": razorpay_fake.url,
        "RAZORPAY_WEBHOOK_SECRET": WEBHOOK_SECRET,
    } | server_settings
    cli(env, "migrate")
    with AppServer(env, workdir / "server.log") as running:
        yield running


@pytest.fixture(scope="module")
def server_ctx(server: AppServer) -> Iterator[AppContext]:
    """A context on the server's database and folders, configured like the server."""
    env = server.env
    ctx = AppContext(Settings(**{key.lower(): value for key, value in env.items()}))
    yield ctx
    ctx.db.dispose()


@pytest.fixture
def new_user(server_ctx: AppContext) -> Callable[..., Actor]:
    def make(role: Role = Role.STUDENT) -> Actor:
        tag = uuid.uuid4().hex[:8]
        return users.create_user(server_ctx, email=f"api-{tag}@example.com", name=f"Api {tag}",
                                 password="Correct-horse-42", role=role)  # fmt: skip

    return make


@pytest.fixture
def token_for(server_ctx: AppContext) -> Callable[[Actor], str]:
    def make(actor: Actor) -> str:
        return tokens.create_token(server_ctx, actor, "tests", 30)[1]

    return make


Call = Callable[..., requests.Response]


@pytest.fixture
def analyze(server: AppServer) -> Call:
    """analyze(token, file=(name, bytes) | None, jd=text | None, path=...) -> the server's response."""

    def call(token: str | None, file: tuple[str, bytes] | None = None, jd: str | None = JD,
             path: str = "/analyze-resume", **extra: object) -> requests.Response:  # fmt: skip
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        files = {"resume": file} if file else None
        data = {"job_description": jd} if jd is not None else {}
        return requests.post(server.url + path, headers=headers, files=files, data=data or None, timeout=60,
                             **extra)  # type: ignore[arg-type]

    return call


def corpus_file(name: str) -> tuple[str, bytes]:
    path: Path = CORPUS / "resumes" / name
    return path.name, path.read_bytes()
