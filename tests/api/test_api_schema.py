"""Schemathesis against the running server's /openapi.json: no 5xx, and every answer matches the document.

All of Schemathesis's checks run but one: `positive_data_acceptance` wants any schema-valid request accepted,
and no schema can say "the `resume` bytes are a readable CV", so a generated PNG named resume.png is rightly a
400 INVALID_FILE_FORMAT. Bounded in time: a few examples per operation (about 30 s in all on 2 cores).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from core.access import Actor
from tests.e2e.harness import AppServer


@pytest.fixture(scope="module")
def server_settings() -> dict[str, str]:
    return {"API_RATE_LIMIT_PER_MINUTE": "10000"}  # generated calls must reach the handlers, not the limiter


@pytest.fixture
def api_schema(server: AppServer) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def token(server_ctx, new_user, token_for) -> str:
    student: Actor = new_user()
    return token_for(student)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_route_keeps_its_contract(case: schemathesis.Case, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance],
                           timeout=30)
