"""What can be checked of the deployment without Docker: compose.yaml and the Dockerfile are consistent with
the code, and the app starts with compose's environment against PostgreSQL and an S3 server (moto)."""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
import yaml

from core.config import Settings
from core.storage import S3Storage
from tests.e2e.harness import ROOT, AppServer, chromium_problem, cli, launch_chromium

APP_SERVICES = ("migrate", "app1", "app2")
VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Docker Compose's ${NAME}, ${NAME:-default} and ${NAME:?error} substitution."""

    def substitute(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        value = variables.get(name)
        if (value and operator in (":-", ":?", None)) or (value is not None and operator in ("-", "?")):
            return value
        if operator and operator.endswith("?"):
            raise KeyError(f"{name}: {argument}")
        return argument or ""

    return VARIABLE.sub(substitute, value)


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def compose_app_env(variables: dict[str, str]) -> dict[str, str]:
    """The app replicas' environment as compose would pass it, given the .env `variables`."""
    environment = load_compose()["services"]["app1"]["environment"]
    return {key: interpolate(str(value), variables) for key, value in environment.items()}


def test_compose_has_the_services_and_wiring():
    services = load_compose()["services"]
    assert set(services) == {*APP_SERVICES, "proxy", "postgres", "minio"}
    for name in ("app1", "app2"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["environment"] == services["app1"]["environment"]
    assert services["migrate"]["command"] == ["python", "-m", "core.cli", "migrate"]
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["proxy"]["depends_on"] == {name: {"condition": "service_healthy"} for name in ("app1", "app2")}
    assert "/ready" in " ".join(services["app1"]["healthcheck"]["test"])
    mounted = [volume.split(":")[0] for volume in services["proxy"]["volumes"]]
    assert all((ROOT / path).is_file() for path in mounted)


def test_compose_app_environment_names_real_settings():
    env = compose_app_env({"AUTH_COOKIE_KEY": secrets.token_urlsafe(32), "STREAMLIT_SERVER_COOKIE_SECRET": "s",
                           "POSTGRES_PASSWORD": "pw", "MINIO_ROOT_PASSWORD": "minio-pw"})
    fields = {name.upper() for name in Settings.model_fields}
    assert {key for key in env if not key.startswith("STREAMLIT_")} <= fields
    assert {"APP_ENV", "AUTH_COOKIE_KEY", "DATABASE_URL", "STORAGE_BACKEND", "S3_ENDPOINT_URL"} <= set(env)
    settings = Settings(**{key.lower(): value for key, value in env.items() if not key.startswith("STREAMLIT_")})
    assert settings.is_production and settings.storage_backend == "s3"
    assert settings.database_url == "postgresql+psycopg://interviewprep:pw@postgres:5432/interviewprep"
    settings.check_production_ready()
    with pytest.raises(KeyError, match="AUTH_COOKIE_KEY"):
        compose_app_env({"POSTGRES_PASSWORD": "pw", "MINIO_ROOT_PASSWORD": "minio-pw"})


def test_proxy_is_sticky_and_checks_health():
    config = (ROOT / "deploy" / "haproxy.cfg").read_text()
    servers = re.findall(r"^\s*server (\S+) (\S+):8501 .*cookie (\S+)", config, re.MULTILINE)
    assert [(name, host) for name, host, _ in servers] == [("app1", "app1"), ("app2", "app2")]
    assert len({cookie for *_, cookie in servers}) == 2
    assert re.search(r"^\s*cookie \S+ insert", config, re.MULTILINE)
    assert "option httpchk GET /ready" in config
    assert re.search(r"timeout tunnel\s+\d+h", config)  # websockets outlive ordinary request timeouts


def test_dockerfile_copies_existing_files_and_runs_as_non_root():
    lines = (ROOT / "Dockerfile").read_text().replace("\\\n", " ").splitlines()
    instructions = [line.split(None, 1) for line in lines if line.strip() and not line.lstrip().startswith("#")]
    by_name: dict[str, list[str]] = {}
    for name, argument in instructions:
        by_name.setdefault(name, []).append(argument)
    assert by_name["FROM"] == ["python:3.11-slim"]
    for copy in by_name["COPY"]:
        *sources, _target = [part for part in shlex.split(copy) if not part.startswith("--")]
        assert all((ROOT / source).exists() for source in sources), copy
    assert by_name["USER"] == ["app"]
    assert "/ready" in by_name["HEALTHCHECK"][0]
    command = by_name["CMD"][-1]
    assert command.index("core.cli migrate") < command.index("streamlit run server.py")
    copied = {part for copy in by_name["COPY"] for part in shlex.split(copy)}
    imported_top_level = {"app.py", "server.py", "app_pages", "core", "migrations", "prompts", "alembic.ini"}
    assert imported_top_level <= copied


# --- the app with compose's environment on PostgreSQL and S3 ---------------------------------------


@pytest.fixture(scope="module")
def compose_server(postgres_url: str, s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[AppServer]:
    """The app started as compose starts a replica: migrate, then streamlit, with compose's variables;
    only the two host names (postgres, minio) point at the local test servers."""
    env = compose_app_env({"AUTH_COOKIE_KEY": secrets.token_urlsafe(32),
                           "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32),
                           "POSTGRES_PASSWORD": "unused", "MINIO_ROOT_PASSWORD": "test"})
    env |= {"DATABASE_URL": postgres_url, "S3_ENDPOINT_URL": s3_endpoint,
            "S3_BUCKET": f"deploy-{uuid.uuid4().hex[:12]}", "S3_ACCESS_KEY_ID": "test"}
    workdir = tmp_path_factory.mktemp("compose-app")  # BCRYPT_ROUNDS: production refuses fewer than 12
    env |= {"DATA_DIR": str(workdir), "UPLOAD_DIR": str(workdir / "uploads"), "BCRYPT_ROUNDS": "12"}
    cli(env, "migrate")
    with AppServer(env, workdir / "streamlit.log") as server:
        yield server


def test_app_serves_with_compose_environment(compose_server: AppServer):
    with urllib.request.urlopen(compose_server.url + "/", timeout=10) as response:
        assert response.status == 200
        assert b"<noscript>" in response.read()
    settings = Settings(**{k.lower(): v for k, v in compose_server.env.items() if not k.startswith("STREAMLIT_")})
    assert "bucket" in S3Storage(settings).health()  # the same S3 settings reach the bucket (created on first use)
    with urllib.request.urlopen(compose_server.url + "/ready", timeout=10) as response:  # PostgreSQL and S3 answer
        assert json.loads(response.read()) == {"status": "ready", "down": [], "checks": {"database": "ok",
                                                                                          "storage": "ok"}}
    assert compose_server.process.poll() is None, compose_server.log_tail()


def test_student_signs_in_on_the_compose_deployment(compose_server: AppServer):
    """A browser session proves the production checks, PostgreSQL and the sign-in gate all work together."""
    problem = chromium_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem)
        pytest.skip(problem)
    from playwright.sync_api import expect, sync_playwright

    from core.accounts import users
    from core.context import AppContext
    from tests.e2e.harness import StreamlitPage

    env = {k.lower(): v for k, v in compose_server.env.items() if not k.startswith("STREAMLIT_")}
    ctx = AppContext(Settings(**env))
    student = users.create_user(ctx, email=f"deploy-{uuid.uuid4().hex[:6]}@example.edu", name="Dee Ploy",
                                   password="Deploy-pass-2026")
    ctx.db.dispose()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            app = StreamlitPage(browser.new_page(), compose_server.url, record=False).open("/")
            app.sign_in(student.email, "Deploy-pass-2026")
            expect(app.heading()).to_have_text("Welcome, Dee Ploy")
        finally:
            browser.close()
    assert compose_server.process.poll() is None, compose_server.log_tail()


def test_interpolate_follows_compose_rules():
    variables = {"SET": "x", "EMPTY": ""}
    assert interpolate("${SET}-${EMPTY}-${MISSING}", variables) == "x--"
    assert interpolate("${EMPTY:-d}/${EMPTY-d}/${MISSING-d}", variables) == "d//d"
    with pytest.raises(KeyError, match="need it"):
        interpolate("${EMPTY:?need it}", variables)
    assert interpolate("a${SET:?no}b", variables) == "axb"
