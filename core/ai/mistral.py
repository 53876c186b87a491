"""Mistral through its official SDK (mistralai 3.x): chat wording, and the client that OCR shares.

Time-out: always passed as `timeout_ms` (3.x otherwise waits 300 s per call). Retries: the SDK bounds
them by elapsed time rather than by count; `retry_config` below makes quick failures (HTTP 429/5xx,
refused connections) get exactly `ai_max_retries` retries, and slow failures fewer, so the total time
stays near (1 + ai_max_retries) × time-out at worst; and the whole call, retries included, runs under one
deadline and size cap (core/deadline.py, whose httpx2 client the SDK is given). A time-out surfaces as
`httpx2.TimeoutException`, not as a Mistral error, so both families are caught.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import httpx2
from mistralai.client import Mistral
from mistralai.client.errors import MistralError, NoResponseError
from mistralai.client.models import SystemMessage, UserMessage
from mistralai.client.utils import BackoffStrategy, RetryConfig
from pydantic import BaseModel

from core import deadline
from core.ai import prompts
from core.ai.base import InvalidAnswer, http_problem, label, parse_answer
from core.ai.schemas import wire_schema
from core.config import Settings
from core.errors import AppError, ErrorCode

T = TypeVar("T", bound=BaseModel)
RETRY_INTERVAL_MS = 1000
CLIENT_ERRORS = (MistralError, NoResponseError, httpx2.HTTPError)


def build_client(settings: Settings, api_key: str, server_url: str | None) -> Mistral:
    return Mistral(
        api_key=api_key,
        server_url=server_url.rstrip("/").removesuffix("/v1") if server_url else None,
        timeout_ms=int(settings.ai_timeout_seconds * 1000),
        retry_config=_retry_config(settings.ai_max_retries),
        client=deadline.httpx2_client(),
    )


def _retry_config(max_retries: int) -> RetryConfig:
    """Constant 1 s back-off with an elapsed-time budget that ends after `max_retries` quick retries."""
    if max_retries <= 0:
        return RetryConfig("none", BackoffStrategy(0, 0, 1.0, 0), retry_connection_errors=False)
    budget_ms = int((max_retries - 0.5) * RETRY_INTERVAL_MS)
    backoff = BackoffStrategy(RETRY_INTERVAL_MS, RETRY_INTERVAL_MS, 1.0, budget_ms, jitter_ms=0)
    return RetryConfig("backoff", backoff, retry_connection_errors=True)


class MistralProvider:
    name = "mistral"

    def __init__(self, client: Mistral, model: str, timeout_seconds: float, max_bytes: int) -> None:
        self.model = model
        self._client = client
        self._timeout = timeout_seconds
        self._max_bytes = max_bytes

    def complete(self, prompt_name: str, variables: Mapping[str, Any], schema: type[T]) -> T:
        system, user = prompts.render(prompt_name, variables)
        messages: list[SystemMessage | UserMessage] = [SystemMessage(content=system), UserMessage(content=user)]
        with deadline.limit(self._timeout, self._max_bytes) as budget:
            try:
                response = self._client.chat.complete(
                    model=self.model,
                    messages=messages,
                    response_format={
                        "type": "json_schema",
                        "json_schema": {
                            "name": schema.__name__,
                            "schema_definition": wire_schema(schema, strict=True),
                            "strict": True,
                        },
                    },
                )
            except CLIENT_ERRORS as exc:
                message = deadline.describe(budget, label(self.name), self._timeout, self._max_bytes)
                raise AppError(ErrorCode.AI_SERVICE_ERROR, message or describe(self.name, exc, self._timeout)) from exc
        if not response.choices:
            raise InvalidAnswer(self.name, "no choices")
        choice = response.choices[0]
        content = choice.message.content if choice.message else None
        return parse_answer(self.name, _text(content), choice.finish_reason, schema)

    def ping(self) -> int:
        return count_models(self._client)


def count_models(client: Mistral) -> int:
    """List the models (a free call): proves the service is reachable and the key accepted."""
    return len(client.models.list().data or [])


def _text(content: Any) -> str | None:
    """Mistral may return the message as a list of chunks; keep their text."""
    if content is None or isinstance(content, str):
        return content
    return "".join(getattr(chunk, "text", "") for chunk in content)


def describe(provider: str, exc: Exception, timeout: float) -> str:
    """A sentence for the user; never the response body or the key."""
    if isinstance(exc, httpx2.TimeoutException):
        return f"{label(provider)} did not answer in time ({timeout:g} s)."
    if isinstance(exc, httpx2.HTTPError):
        return f"{label(provider)} could not be reached."
    if isinstance(exc, MistralError) and exc.status_code >= 400:
        return http_problem(provider, exc.status_code)
    return f"{label(provider)} failed ({type(exc).__name__})."
