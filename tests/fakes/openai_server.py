"""A loopback fake of OpenAI's chat-completions API (also Gemini's, Ollama's … OpenAI-compatible ones).

Speaks the real wire format so tests drive the real `openai` SDK (respx cannot: openai 3.x uses httpx2).
Scriptable per route with `script(route, *replies)`; the last reply repeats, so one invalid answer
scripted once answers every retry. Every request is recorded (method, path, headers, JSON body).

    with FakeOpenAI() as fake:
        fake.script("chat", answer({"feedback": "Good", "tips": []}))
        fake.script("chat", error(500), slow(3, answer("{}")), answer("not json"))
        fake.requests_to("chat")[0].json["model"]

`FakeAPIServer` is the shared machinery; tests/fakes/mistral_server.py builds on it.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

API_KEY = "sk-test-fake-key-0123456789"


@dataclass(frozen=True)
class Reply:
    """What the fake sends back. `content` set → a chat completion whose message text is `content`."""

    status: int = 200
    body: Any = None  # dict/list → JSON; str → sent as is
    content: str | None = None
    finish_reason: str = "stop"
    delay: float = 0.0


def answer(content: Any, finish_reason: str = "stop") -> Reply:
    """A chat completion; dicts/lists are JSON-encoded into the message content."""
    text = content if isinstance(content, str) else json.dumps(content)
    return Reply(content=text, finish_reason=finish_reason)


def error(status: int, body: Any = None) -> Reply:
    return Reply(status=status, body=body if body is not None else {"error": {"message": f"fake error {status}"}})


def slow(seconds: float, reply: Reply) -> Reply:
    return replace(reply, delay=seconds)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    raw: bytes
    json: Any = field(default=None)


class FakeAPIServer:
    """Threaded HTTP server on 127.0.0.1 with per-route scripted replies and a request log."""

    #: (method, path suffix) → route name
    ROUTES: ClassVar[dict[tuple[str, str], str]] = {}

    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self._scripts: dict[str, list[Reply]] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeAPIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()  # wakes handlers sleeping in a slow reply
        self._server.shutdown()
        self._server.server_close()

    def script(self, route: str, *replies: Reply) -> None:
        with self._lock:
            self._scripts[route] = list(replies)

    def requests_to(self, route: str) -> list[Recorded]:
        return [r for r in self.requests if self._route(r.method, r.path) == route]

    # --- overridden per API ------------------------------------------------------------------
    def default_reply(self, route: str) -> Reply:
        return error(500, {"error": {"message": f"nothing scripted for {route}"}})

    def unauthorized(self) -> Reply:
        return error(
            401,
            {
                "error": {
                    "message": "Incorrect API key provided.",
                    "type": "invalid_request_error",
                    "param": None,
                    "code": "invalid_api_key",
                }
            },
        )

    def chat_body(self, request: Recorded, reply: Reply) -> dict[str, Any]:
        raise NotImplementedError

    # --- machinery ---------------------------------------------------------------------------
    def _route(self, method: str, path: str) -> str | None:
        path = path.split("?", 1)[0].rstrip("/")
        for (route_method, suffix), name in self.ROUTES.items():
            if method == route_method and path.endswith(suffix):
                return name
        return None

    def _next_reply(self, request: Recorded) -> Reply:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return self.unauthorized()
        route = self._route(request.method, request.path)
        if route is None:
            return error(404, {"error": {"message": f"unknown path {request.path}"}})
        with self._lock:
            queue = self._scripts.get(route)
            if not queue:
                return self.default_reply(route)
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length) if length else b""
        request = Recorded(handler.command, handler.path, {k.lower(): v for k, v in handler.headers.items()}, raw)
        if raw:
            try:
                request.json = json.loads(raw)
            except ValueError:
                request.json = None
        with self._lock:
            self.requests.append(request)
        reply = self._next_reply(request)
        if reply.delay and self._stopping.wait(reply.delay):
            return
        body = self.chat_body(request, reply) if reply.content is not None else reply.body
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (time-out); that is what the test wanted

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._handle(self)

            def do_POST(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


class FakeOpenAI(FakeAPIServer):
    """OpenAI's wire format. Point the SDK at `base_url` (or any prefix, e.g. Gemini's /v1beta/openai/)."""

    ROUTES: ClassVar[dict[tuple[str, str], str]] = {("POST", "/chat/completions"): "chat", ("GET", "/models"): "models"}

    @property
    def base_url(self) -> str:
        return self.origin + "/v1"

    def default_reply(self, route: str) -> Reply:
        if route == "models":
            return Reply(
                body={
                    "object": "list",
                    "data": [
                        {"id": "gpt-4o-mini", "object": "model", "created": 1700000000, "owned_by": "system"},
                        {"id": "gemini-2.5-flash", "object": "model", "created": 1700000000, "owned_by": "google"},
                    ],
                }
            )
        return super().default_reply(route)

    def chat_body(self, request: Recorded, reply: Reply) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": (request.json or {}).get("model", "unknown"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.content, "refusal": None},
                    "logprobs": None,
                    "finish_reason": reply.finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": 10,
                "completion_tokens": 5,
                "total_tokens": 15,
                "prompt_tokens_details": {"cached_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 0},
            },
            "system_fingerprint": "fp_fake",
        }
