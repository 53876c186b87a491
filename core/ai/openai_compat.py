"""OpenAI and every server that speaks its chat-completions API (Gemini, Ollama, vLLM, LM Studio).

Uses chat.completions rather than the Responses API, because Gemini's and local servers' OpenAI
compatibility covers chat completions. The response format is `json_schema` (OpenAI, Gemini, Ollama ≥ 0.5,
vLLM and LM Studio accept it; LM Studio refuses `json_object`), and every prompt also asks for JSON in words,
so a server that ignores response_format still answers usably. Retries are the SDK's own (`max_retries`); the
whole call, retries included, runs under one deadline and size cap (core/deadline.py, whose httpx client the
SDK is given), so a slow or flooding server can never hold it longer than `timeout`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import openai
from pydantic import BaseModel

from core import deadline
from core.ai import prompts
from core.ai.base import InvalidAnswer, http_problem, label, parse_answer
from core.ai.schemas import wire_schema
from core.errors import AppError, ErrorCode

T = TypeVar("T", bound=BaseModel)


class OpenAICompatibleProvider:
    def __init__(
        self, name: str, client: openai.OpenAI, model: str, *, timeout: float, max_bytes: int, strict_schema: bool
    ) -> None:
        self.name = name
        self.model = model
        self._client = client
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._strict = strict_schema

    def complete(self, prompt_name: str, variables: Mapping[str, Any], schema: type[T]) -> T:
        system, user = prompts.render(prompt_name, variables)
        with deadline.limit(self._timeout, self._max_bytes) as budget:
            try:
                response = self._create(system, user, schema)
            except openai.OpenAIError as exc:
                message = deadline.describe(budget, label(self.name), self._timeout, self._max_bytes)
                raise AppError(ErrorCode.AI_SERVICE_ERROR, message or describe(self.name, exc, self._timeout)) from exc
        if not response.choices:
            raise InvalidAnswer(self.name, "no choices")
        choice = response.choices[0]
        return parse_answer(self.name, choice.message.content, choice.finish_reason, schema)

    def _create(self, system: str, user: str, schema: type[BaseModel]) -> Any:
        return self._client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            response_format={
                "type": "json_schema",
                "json_schema": {
                    "name": schema.__name__,
                    "schema": wire_schema(schema, strict=self._strict),
                    "strict": self._strict,
                },
            },
        )

    def ping(self) -> int:
        """List the models (a free call): proves the service is reachable and the key accepted."""
        return len(self._client.models.list().data)


def describe(provider: str, exc: openai.OpenAIError, timeout: float) -> str:
    """A sentence for the user; never the response body or the key."""
    if isinstance(exc, openai.APITimeoutError):
        return f"{label(provider)} did not answer in time ({timeout:g} s)."
    if isinstance(exc, openai.APIConnectionError):
        return f"{label(provider)} could not be reached."
    if isinstance(exc, openai.APIStatusError):
        return http_problem(provider, exc.status_code)
    return f"{label(provider)} failed ({type(exc).__name__})."
