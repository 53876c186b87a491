"""One interface for every language model: "complete this prompt into this pydantic schema".

How a service uses it (e.g. the Job Match report)::

    from core.ai.base import enrich
    from core.ai.schemas import InsightsWording

    result = enrich(
        ctx.ai,                                  # the configured Provider (core.ai.build_provider)
        "analysis_insights",                     # prompts/analysis_insights.md
        {"job_title": ..., "report": ..., "resume_excerpt": ...},
        InsightsWording,
        local=lambda: InsightsWording(...),      # the engine's own wording, always available
    )
    result.value    # an InsightsWording, from the model or from local()
    result.source   # "openai" / "gemini" / "ollama" / "mistral", or "local"
    result.note     # None, or a sentence for the report saying why the local wording was used

`enrich` never raises for a provider failure: the user always gets a result. It does raise PromptError
when the variables do not fit the template (a bug, caught by tests even with the local provider).
Scores never come from here; the schemas hold wording only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from core.ai import prompts
from core.errors import AppError, ErrorCode

LOCAL = "local"
LABELS = {"openai": "OpenAI", "gemini": "Gemini", "ollama": "Ollama", "mistral": "Mistral"}
log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)


class Provider(Protocol):
    """A language model backend."""

    @property
    def name(self) -> str:
        """The provider's key in settings ("openai", "mistral", "local" …)."""
        ...

    def complete(self, prompt_name: str, variables: Mapping[str, Any], schema: type[T]) -> T:
        """Render the prompt, ask the model, and return its answer validated as `schema`.

        Raises AppError(AI_SERVICE_ERROR) on any failure; InvalidAnswer (a subclass) when the service
        answered but the answer is not valid JSON for `schema`, which is worth one more try.
        """
        ...


class InvalidAnswer(AppError):
    """The model answered, but not with a complete, valid object of the requested schema."""

    def __init__(self, provider: str, reason: str) -> None:
        super().__init__(ErrorCode.AI_SERVICE_ERROR, f"{label(provider)} gave an unusable answer ({reason}).")


@dataclass(frozen=True)
class Enriched(Generic[T]):
    value: T
    source: str
    note: str | None = None


def enrich(
    provider: Provider,
    prompt_name: str,
    variables: Mapping[str, Any],
    schema: type[T],
    local: Callable[[], T],
) -> Enriched[T]:
    """Wording from `provider` when it gives a valid answer (one retry), else from `local()`, saying why."""
    prompts.render(prompt_name, variables)
    if provider.name == LOCAL:
        return Enriched(local(), LOCAL)
    answer = _ask(provider, prompt_name, variables, schema)
    if isinstance(answer, BaseModel):
        return Enriched(answer, provider.name)
    log.warning("AI provider %s failed on %s: %s", provider.name, prompt_name, answer)
    return Enriched(local(), LOCAL, f"{answer} The built-in wording is shown instead.")


def _ask(provider: Provider, prompt_name: str, variables: Mapping[str, Any], schema: type[T]) -> T | str:
    """The validated answer, or a sentence saying why there is none."""
    reason = ""
    for _attempt in range(2):
        try:
            return schema.model_validate(provider.complete(prompt_name, variables, schema))
        except InvalidAnswer as exc:
            reason = exc.message
        except ValidationError as exc:
            reason = InvalidAnswer(provider.name, f"{exc.error_count()} schema errors").message
        except AppError as exc:
            return exc.message
        except Exception:  # a provider bug must still leave the user with a report
            log.exception("Unexpected failure in AI provider %s", provider.name)
            return f"{label(provider.name)} failed unexpectedly."
    return reason


def parse_answer(provider: str, content: str | None, finish_reason: str | None, schema: type[T]) -> T:
    """Validate a chat answer's text as `schema`; anything short of a complete object is InvalidAnswer."""
    if finish_reason == "length":
        raise InvalidAnswer(provider, "the answer was cut off")
    if not content:
        raise InvalidAnswer(provider, "the answer was empty")
    try:
        return schema.model_validate_json(content)
    except ValidationError as exc:
        kind = "not JSON" if any(e["type"] == "json_invalid" for e in exc.errors()) else "wrong fields"
        raise InvalidAnswer(provider, kind) from exc


def label(name: str) -> str:
    """The provider's name as users read it in notes ("OpenAI"); `Enriched.source` keeps the key ("openai")."""
    return LABELS.get(name, name)


def http_problem(provider: str, status: int) -> str:
    """A user-facing sentence for an HTTP error status from an AI service (never the body: it may echo input)."""
    hint = {
        401: " Check the API key.",
        403: " Check the API key.",
        404: " Check the model name and base URL.",
        429: " The rate limit or quota was reached.",
    }.get(status, "")
    return f"{label(provider)} answered with an error (HTTP {status}).{hint}"
