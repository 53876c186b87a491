"""Health of the configured AI and OCR backends, for the Admin → Providers page.

`ProviderStatus` is shared: storage, Tavus and payment checks return it too, so the page renders one
table. A check makes one cheap call (listing models) with a short time-out and no retries, and its
`detail` never contains a key or a response body.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import openai

from core.ai import build_provider, mistral
from core.ai.base import LOCAL
from core.ai.local import NoModel
from core.ai.ocr import ocr_client
from core.ai.openai_compat import OpenAICompatibleProvider
from core.ai.openai_compat import describe as describe_openai
from core.config import Settings

HEALTH_TIMEOUT_SECONDS = 5.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProviderStatus:
    name: str  # "openai", "mistral-ocr", "s3", "tavus", "razorpay", …
    kind: str  # "ai", "ocr", "storage", "video", "payments"
    active: bool  # selected by the configuration (an inactive row explains how to enable it)
    reachable: bool | None  # None: not checked (inactive, or nothing to reach)
    detail: str  # a plain sentence for an admin; never a secret


def check(settings: Settings) -> list[ProviderStatus]:
    quick = settings.model_copy(
        update={"ai_timeout_seconds": min(HEALTH_TIMEOUT_SECONDS, settings.ai_timeout_seconds), "ai_max_retries": 0}
    )
    return [_check_ai(quick), _check_ocr(quick)]


def _check_ai(settings: Settings) -> ProviderStatus:
    provider = build_provider(settings)
    if provider.name == LOCAL:
        return ProviderStatus(LOCAL, "ai", True, None, "Built-in engine: wording comes from the local analysis.")
    if isinstance(provider, NoModel):
        return ProviderStatus(provider.name, "ai", True, False, provider.reason)
    assert isinstance(provider, OpenAICompatibleProvider | mistral.MistralProvider)
    return _probe(provider.name, "ai", provider.ping, f"model {provider.model}", settings.ai_timeout_seconds)


def _check_ocr(settings: Settings) -> ProviderStatus:
    client = ocr_client(settings)
    if client is None:
        return ProviderStatus(
            "mistral-ocr", "ocr", False, None, "Off: scanned PDFs are refused. Set MISTRAL_API_KEY to read them."
        )
    return _probe(
        "mistral-ocr",
        "ocr",
        lambda: mistral.count_models(client),
        f"model {settings.ocr_model}",
        settings.ai_timeout_seconds,
    )


def _probe(name: str, kind: str, ping: Callable[[], int], what: str, timeout: float) -> ProviderStatus:
    try:
        count = ping()
    except openai.OpenAIError as exc:
        return ProviderStatus(name, kind, True, False, describe_openai(name, exc, timeout))
    except mistral.CLIENT_ERRORS as exc:
        return ProviderStatus(name, kind, True, False, mistral.describe(name, exc, timeout))
    except Exception as exc:  # the admin page must render whatever a backend does
        log.exception("Health check of %s failed", name)
        return ProviderStatus(name, kind, True, False, f"{name} failed ({type(exc).__name__}).")
    return ProviderStatus(name, kind, True, True, f"Reachable; {what}; {count} models listed.")
