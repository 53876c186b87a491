"""Mistral OCR through the real mistralai SDK against a loopback fake of /v1/ocr."""

from __future__ import annotations

import base64
import time

import pytest

from core.ai.ocr import ocr_available, ocr_pdf
from core.config import Settings
from core.errors import AppError, ErrorCode
from tests.conftest import CORPUS
from tests.fakes.mistral_server import API_KEY, FakeMistral, ocr_pages
from tests.fakes.openai_server import Reply, error, slow

PDF = (CORPUS / "resumes" / "01_marcus_bell.pdf").read_bytes()


@pytest.fixture
def ocr_settings(settings: Settings, fake_mistral: FakeMistral) -> Settings:
    return settings.model_copy(
        update={
            "mistral_api_key": API_KEY,
            "mistral_base_url": fake_mistral.origin,
            "ai_timeout_seconds": 1.0,
            "ai_max_retries": 0,
        }
    )


def test_availability_follows_the_keys(settings: Settings) -> None:
    assert not ocr_available(settings)
    assert ocr_available(settings.model_copy(update={"mistral_api_key": "k"}))
    assert ocr_available(settings.model_copy(update={"ai_provider": "mistral", "ai_api_key": "k"}))
    assert not ocr_available(settings.model_copy(update={"ai_provider": "openai", "ai_api_key": "k"}))


def test_pages_come_back_in_order_as_markdown(ocr_settings: Settings, fake_mistral: FakeMistral) -> None:
    result = ocr_pages(["# Jane Doe\njane@example.com", "", "## Experience\n- Built things"])
    result.body["pages"].reverse()  # the service may list pages in any order; `index` decides
    fake_mistral.script("ocr", result)
    text = ocr_pdf(ocr_settings, PDF)
    assert text == "# Jane Doe\njane@example.com\n\n## Experience\n- Built things"
    [sent] = fake_mistral.requests_to("ocr")
    assert sent.path == "/v1/ocr" and sent.headers["authorization"] == f"Bearer {API_KEY}"
    assert sent.json["model"] == "mistral-ocr-latest"
    document = sent.json["document"]
    assert document["type"] == "document_url"
    prefix = "data:application/pdf;base64,"
    assert document["document_url"].startswith(prefix)
    assert base64.b64decode(document["document_url"][len(prefix) :]) == PDF


def test_ai_provider_mistral_key_and_base_url_serve_ocr(settings: Settings, fake_mistral: FakeMistral) -> None:
    config = settings.model_copy(
        update={
            "ai_provider": "mistral",
            "ai_api_key": API_KEY,
            "ai_base_url": fake_mistral.origin + "/v1",
            "ocr_model": "mistral-ocr-2505",
        }
    )
    fake_mistral.script("ocr", ocr_pages(["text"]))
    assert ocr_pdf(config, PDF) == "text"
    assert fake_mistral.requests_to("ocr")[0].json["model"] == "mistral-ocr-2505"


@pytest.mark.parametrize(
    ("reply", "phrase"),
    [
        (error(500), "HTTP 500"),
        (error(401, {"message": "Unauthorized"}), "Check the API key"),
        (Reply(body={"pages": "not a list"}), "failed (ResponseValidationError)"),
    ],
    ids=["500", "401", "malformed"],
)
def test_service_failures_become_ai_service_error(
    ocr_settings: Settings, fake_mistral: FakeMistral, reply: Reply, phrase: str
) -> None:
    fake_mistral.script("ocr", reply)
    with pytest.raises(AppError) as raised:
        ocr_pdf(ocr_settings, PDF)
    assert raised.value.code == ErrorCode.AI_SERVICE_ERROR
    assert phrase in raised.value.message and API_KEY not in raised.value.message


def test_time_out_is_bounded(ocr_settings: Settings, fake_mistral: FakeMistral) -> None:
    fake_mistral.script("ocr", slow(10, ocr_pages(["late"])))
    started = time.monotonic()
    with pytest.raises(AppError) as raised:
        ocr_pdf(ocr_settings, PDF)
    assert raised.value.code == ErrorCode.AI_SERVICE_ERROR and "in time" in raised.value.message
    assert time.monotonic() - started < 3.0


def test_retries_follow_ai_max_retries(ocr_settings: Settings, fake_mistral: FakeMistral) -> None:
    fake_mistral.script("ocr", error(503), ocr_pages(["second try"]))
    retrying = ocr_settings.model_copy(update={"ai_max_retries": 1, "ai_timeout_seconds": 3.0})  # 1 s back-off fits
    assert ocr_pdf(retrying, PDF) == "second try"
    assert len(fake_mistral.requests_to("ocr")) == 2


def test_blank_result_and_missing_configuration_are_no_text_layer(
    ocr_settings: Settings, fake_mistral: FakeMistral, settings: Settings
) -> None:
    fake_mistral.script("ocr", ocr_pages(["", "   "]))
    with pytest.raises(AppError) as raised:
        ocr_pdf(ocr_settings, PDF)
    assert raised.value.code == ErrorCode.NO_TEXT_LAYER
    with pytest.raises(AppError) as raised:
        ocr_pdf(settings, PDF)
    assert raised.value.code == ErrorCode.NO_TEXT_LAYER
