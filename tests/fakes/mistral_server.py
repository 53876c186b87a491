"""A loopback fake of Mistral's API: chat completions, OCR and the model list, in the real wire format.

The mistralai SDK validates responses strictly (id, object, model, created, usage and choices are all
required; OCR pages need index, markdown, images and dimensions, plus model and usage_info), so the
bodies here carry every required field. Point the SDK at `origin` (it adds /v1 itself).

    with FakeMistral() as fake:
        fake.script("ocr", ocr_pages(["# Jane Doe", "Experience …"]))
        fake.script("chat", answer({"context": "…", "greeting": "Hi"}))
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from tests.fakes.openai_server import API_KEY, FakeAPIServer, Recorded, Reply, error

__all__ = ["API_KEY", "FakeMistral", "ocr_pages"]


def ocr_pages(markdowns: list[str]) -> Reply:
    """An OCR result with one page per markdown string."""
    return Reply(
        body={
            "pages": [
                {"index": i, "markdown": text, "images": [], "dimensions": {"dpi": 200, "height": 2200, "width": 1700}}
                for i, text in enumerate(markdowns)
            ],
            "model": "mistral-ocr-latest",
            "usage_info": {"pages_processed": len(markdowns), "doc_size_bytes": 1234},
            "document_annotation": None,
        }
    )


class FakeMistral(FakeAPIServer):
    ROUTES: ClassVar[dict[tuple[str, str], str]] = {
        ("POST", "/v1/chat/completions"): "chat",
        ("POST", "/v1/ocr"): "ocr",
        ("GET", "/v1/models"): "models",
    }

    def default_reply(self, route: str) -> Reply:
        if route == "models":
            return Reply(
                body={
                    "object": "list",
                    "data": [
                        {
                            "id": name,
                            "object": "model",
                            "created": 1700000000,
                            "owned_by": "mistralai",
                            "type": "base",
                            "capabilities": {"completion_chat": True, "ocr": name.startswith("mistral-ocr")},
                        }
                        for name in ("mistral-small-latest", "mistral-ocr-latest")
                    ],
                }
            )
        return super().default_reply(route)

    def unauthorized(self) -> Reply:
        return error(401, {"message": "Unauthorized", "request_id": "fake"})

    def chat_body(self, request: Recorded, reply: Reply) -> dict[str, Any]:
        return {
            "id": "cmpl-fake",
            "object": "chat.completion",
            "model": (request.json or {}).get("model", "unknown"),
            "created": int(time.time()),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.content, "tool_calls": None},
                    "finish_reason": reply.finish_reason,
                }
            ],
            "usage": {"prompt_tokens": 12, "completion_tokens": 4, "total_tokens": 16},
        }
