"""Mistral OCR for scanned PDFs (no text layer), used by the CV upload when extraction raises NO_TEXT_LAYER.

Enabled by MISTRAL_API_KEY (MISTRAL_BASE_URL to point elsewhere), or by AI_PROVIDER=mistral with
AI_API_KEY (and AI_BASE_URL). The PDF travels inline as a base64 data URL, so nothing is uploaded to
Mistral's file store. Typical caller::

    try:
        text = documents.extract(...)
    except AppError as exc:
        if exc.code != ErrorCode.NO_TEXT_LAYER or not ocr_available(ctx.settings):
            raise
        text = ocr_pdf(ctx.settings, data)
"""

from __future__ import annotations

import base64

from mistralai.client import Mistral

from core import deadline
from core.ai import mistral
from core.config import Settings
from core.errors import AppError, ErrorCode

SERVICE = "Mistral OCR"


def ocr_available(settings: Settings) -> bool:
    return _api_key(settings) is not None


def ocr_client(settings: Settings) -> Mistral | None:
    """The SDK client OCR uses (None when OCR is not configured); health checks share it."""
    key = _api_key(settings)
    if key is None:
        return None
    server_url = settings.mistral_base_url or (settings.ai_base_url if settings.ai_provider == "mistral" else None)
    return mistral.build_client(settings, key, server_url)


def ocr_pdf(settings: Settings, data: bytes) -> str:
    """The PDF's text as markdown, pages in order separated by blank lines."""
    client = ocr_client(settings)
    if client is None:
        raise AppError(ErrorCode.NO_TEXT_LAYER)
    document_url = "data:application/pdf;base64," + base64.b64encode(data).decode("ascii")
    seconds, max_bytes = settings.ai_timeout_seconds, int(settings.ai_max_response_mb * 1024 * 1024)
    with deadline.limit(seconds, max_bytes) as budget:
        try:
            result = client.ocr.process(
                model=settings.ocr_model,
                document={"type": "document_url", "document_url": document_url},
                include_image_base64=False,
            )
        except mistral.CLIENT_ERRORS as exc:
            message = deadline.describe(budget, SERVICE, seconds, max_bytes) or mistral.describe(SERVICE, exc, seconds)
            raise AppError(ErrorCode.AI_SERVICE_ERROR, f"{message} The scanned PDF could not be read.") from exc
    pages = (page.markdown.strip() for page in sorted(result.pages, key=lambda page: page.index))
    text = "\n\n".join(page for page in pages if page)
    if not text:
        raise AppError(ErrorCode.NO_TEXT_LAYER, "Even with OCR we found no text in this PDF. Upload a clearer copy.")
    return text


def _api_key(settings: Settings) -> str | None:
    if settings.mistral_api_key:
        return settings.mistral_api_key
    return settings.ai_api_key if settings.ai_provider == "mistral" and settings.ai_api_key else None
