"""Language-model providers behind one interface; see core.ai.base for how services use them.

AI_PROVIDER picks the backend: local (default, the engine's own wording), openai, gemini and ollama
(all through the official `openai` SDK; AI_BASE_URL also reaches vLLM or LM Studio), or mistral (the
official `mistralai` SDK). AI_MODEL overrides the default model; AI_TIMEOUT_SECONDS and AI_MAX_RETRIES
bound each call by one deadline across its retries (core/deadline.py), and AI_MAX_RESPONSE_MB its answer.
"""

from __future__ import annotations

from core.ai.base import LOCAL, Provider, label
from core.ai.local import LOCAL_PROVIDER, NoModel
from core.config import Settings

GEMINI_BASE_URL = "https://generativelanguage.googleapis.com/v1beta/openai/"
OLLAMA_BASE_URL = "http://localhost:11434/v1"
DEFAULT_MODELS = {
    "openai": "gpt-4o-mini",
    "gemini": "gemini-2.5-flash",
    "ollama": "llama3.2",
    "mistral": "mistral-small-latest",
}
DEFAULT_BASE_URLS = {"gemini": GEMINI_BASE_URL, "ollama": OLLAMA_BASE_URL}
KEYLESS_PROVIDERS = {"ollama": "ollama"}  # Ollama ignores the key, but the SDK requires one.


def build_provider(settings: Settings) -> Provider:
    """The provider AI_PROVIDER selects; a missing key gives a NoModel whose failure note says so."""
    name = settings.ai_provider
    if name == LOCAL:
        return LOCAL_PROVIDER
    # The SDKs take about a second to import: only a configured remote provider pays for them.
    import openai

    from core import deadline
    from core.ai import mistral
    from core.ai.openai_compat import OpenAICompatibleProvider

    model = settings.ai_model or DEFAULT_MODELS[name]
    if name == "mistral":
        key = settings.ai_api_key or settings.mistral_api_key
        if not key:
            return NoModel(name, "Mistral is selected but neither AI_API_KEY nor MISTRAL_API_KEY is set.")
        mistral_client = mistral.build_client(settings, key, settings.ai_base_url or settings.mistral_base_url)
        return mistral.MistralProvider(mistral_client, model, settings.ai_timeout_seconds, _max_bytes(settings))
    key = settings.ai_api_key or KEYLESS_PROVIDERS.get(name)
    if not key:
        return NoModel(name, f"{label(name)} is selected but AI_API_KEY is not set.")
    client = openai.OpenAI(
        api_key=key,
        base_url=settings.ai_base_url or DEFAULT_BASE_URLS.get(name),
        timeout=settings.ai_timeout_seconds,
        max_retries=settings.ai_max_retries,
        http_client=deadline.httpx_client(),
    )
    # Gemini rejects `additionalProperties`, which strict mode needs; the others accept strict schemas.
    return OpenAICompatibleProvider(
        name, client, model, timeout=settings.ai_timeout_seconds, max_bytes=_max_bytes(settings),
        strict_schema=name != "gemini",
    )  # fmt: skip


def _max_bytes(settings: Settings) -> int:
    return int(settings.ai_max_response_mb * 1024 * 1024)
