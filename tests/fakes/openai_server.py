"""A loopback fake of OpenAI's chat-completions and audio-transcriptions APIs (also Gemini's, Ollama's, a
self-hosted Whisper server's … OpenAI-compatible ones).

Speaks the real wire format so tests drive the real `openai` SDK (respx cannot: openai 3.x uses httpx2).
Scriptable per route with `script(route, *replies)`; the last reply repeats, so one invalid answer
scripted once answers every retry. Every request is recorded (method, path, headers, JSON body).

    with FakeOpenAI() as fake:
        fake.script("chat", answer({"feedback": "Good", "tips": []}))
        fake.script("chat", error(500), slow(3, answer("{}")), answer("not json"))
        fake.requests_to("chat")[0].json["model"]
        fake.script("transcribe", transcript("I led the migration"))   # JSON, or text/plain for response_format=text
        fake.requests_to("transcribe")[0].form["model"], ….files["file"]

Transcriptions are checked as the real API checks them: a multipart/form-data body with a `model` field
naming a transcription model and a non-empty `file` in a supported format, or a 400/404 in OpenAI's shape.
A chat request whose `json_schema` response_format has `strict: true` must keep strict mode's rules
(tests/fakes/openai_strict.py), or gets the 400 `invalid_request_error` the API answers.

`FakeAPIServer` is the shared machinery; tests/fakes/mistral_server.py builds on it.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field, replace
from email.parser import BytesParser
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

from tests.fakes.openai_strict import strict_problem

API_KEY = "sk-test-fake-key-0123456789"


@dataclass(frozen=True)
class Reply:
    """What the fake sends back. `content` set → a chat completion whose message text is `content`."""

    status: int = 200
    body: Any = None  # dict/list → JSON; str → sent as is
    content: str | None = None
    finish_reason: str = "stop"
    delay: float = 0.0
    content_type: str = "application/json"


def answer(content: Any, finish_reason: str = "stop") -> Reply:
    """A chat completion; dicts/lists are JSON-encoded into the message content."""
    text = content if isinstance(content, str) else json.dumps(content)
    return Reply(content=text, finish_reason=finish_reason)


def transcript(text: str) -> Reply:
    """A transcription: `{"text": …}` JSON, or the bare text when the request asked for response_format=text."""
    return Reply(content=text)


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
    form: dict[str, str] = field(default_factory=dict)  # multipart/form-data text fields
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)  # name -> (filename, type, bytes)


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

    def refuse(self, route: str, request: Recorded) -> Reply | None:
        """A 4xx the real API would answer this request with, or None when it is well-formed."""
        return None

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
        refusal = self.refuse(route, request)
        if refusal is not None:
            return refusal
        with self._lock:
            queue = self._scripts.get(route)
            if not queue:
                return self.default_reply(route)
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length) if length else b""
        request = Recorded(handler.command, handler.path, {k.lower(): v for k, v in handler.headers.items()}, raw)
        if raw and request.headers.get("content-type", "").startswith("multipart/form-data"):
            request.form, request.files = parse_multipart(request.headers["content-type"], raw)
        elif raw:
            try:
                request.json = json.loads(raw)
            except ValueError:
                request.json = None
        with self._lock:
            self.requests.append(request)
        reply = self._next_reply(request)
        if reply.delay and self._stopping.wait(reply.delay):
            return
        if reply.content is not None:
            reply, body = self.content_reply(request, reply)
        else:
            body = reply.body
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", reply.content_type)
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

    def content_reply(self, request: Recorded, reply: Reply) -> tuple[Reply, Any]:
        """The reply and body for a scripted `content`: a chat completion unless a subclass says otherwise."""
        return reply, self.chat_body(request, reply)


def parse_multipart(content_type: str, raw: bytes) -> tuple[dict[str, str], dict[str, tuple[str, str, bytes]]]:
    """The text fields and the files of a multipart/form-data body."""
    message = BytesParser(policy=default_policy).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    form: dict[str, str] = {}
    files: dict[str, tuple[str, str, bytes]] = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition") or "")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files[name] = (str(part.get_filename()), part.get_content_type(), payload)
        else:
            form[name] = payload.decode()
    return form, files


TRANSCRIPTION_MODELS = {"whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe"}
AUDIO_FORMATS = ["flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm"]


def invalid(message: str, param: str | None = None, code: str | None = None, status: int = 400) -> Reply:
    return error(status, {"error": {"message": message, "type": "invalid_request_error", "param": param,
                                    "code": code}})  # fmt: skip


class FakeOpenAI(FakeAPIServer):
    """OpenAI's wire format. Point the SDK at `base_url` (or any prefix, e.g. Gemini's /v1beta/openai/)."""

    ROUTES: ClassVar[dict[tuple[str, str], str]] = {
        ("POST", "/chat/completions"): "chat",
        ("GET", "/models"): "models",
        ("POST", "/audio/transcriptions"): "transcribe",
    }

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

    def refuse(self, route: str, request: Recorded) -> Reply | None:
        if route == "chat":
            return self._refuse_chat(request)
        if route != "transcribe":
            return None
        kind = request.headers.get("content-type", "").split(";")[0]
        if kind != "multipart/form-data":
            return invalid(f"Invalid Content-Type header ({kind or 'none'}), expected multipart/form-data.")
        model = request.form.get("model")
        if not model:
            return invalid("you must provide a model parameter", param="model")
        if model not in TRANSCRIPTION_MODELS:
            return invalid(f"The model `{model}` does not exist or you do not have access to it.",
                           code="model_not_found", status=404)  # fmt: skip
        if "file" not in request.files:
            return invalid("1 validation error for Request\nbody -> file\n  field required", param="file")
        filename, _, data = request.files["file"]
        if filename.rsplit(".", 1)[-1].lower() not in AUDIO_FORMATS:
            return invalid(f"Invalid file format. Supported formats: {AUDIO_FORMATS}", param="file",
                           code="invalid_value")  # fmt: skip
        if len(data) < 100:
            return invalid("Audio file is too short. Minimum audio length is 0.1 seconds.", param="file",
                           code="audio_too_short")  # fmt: skip
        return None

    def _refuse_chat(self, request: Recorded) -> Reply | None:
        """A `json_schema` response_format with `strict: true` must keep strict mode's rules (openai_strict.py)."""
        response_format = (request.json or {}).get("response_format") if isinstance(request.json, dict) else None
        if not isinstance(response_format, dict) or response_format.get("type") != "json_schema":
            return None
        problem = strict_problem(response_format.get("json_schema"))
        return None if problem is None else invalid(problem, param="response_format")

    def content_reply(self, request: Recorded, reply: Reply) -> tuple[Reply, Any]:
        if self._route(request.method, request.path) != "transcribe":
            return reply, self.chat_body(request, reply)
        if request.form.get("response_format") == "text":
            return replace(reply, content_type="text/plain; charset=utf-8"), f"{reply.content}\n"
        return reply, {"text": reply.content, "usage": {"type": "duration", "seconds": 7}}

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
