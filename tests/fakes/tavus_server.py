"""A small fake Tavus API on 127.0.0.1 that speaks the real wire format (docs.tavus.io/api-reference).

Covers what the app uses: POST /v2/conversations, GET /v2/conversations/{id}[?verbose=true],
POST /v2/conversations/{id}/end, GET /v2/replicas and GET /v2/personas/{id}. Conversations move active →
ended (by End, by `finish()` or after a scripted number of polls); verbose replies then carry
`system.shutdown` and `application.transcription_ready` events in the webhook envelope shape;
`end_without_transcript()` ends a call with the shutdown event only, as Tavus does when a call fails to start.
`deliver()` POSTs a conversation's events to its callback_url, as Tavus's callbacks do. `fail(mode)` makes
the next requests fail the way Tavus does (400/401/402/500 bodies), hang past the client's time-out, or send
malformed JSON. Every request is recorded.

Creation is as strict as the documented API (docs.tavus.io/api-reference/conversations/create-conversation),
with 400 `{"error": ...}` bodies: max_call_duration over 3600, a language code where a full name is wanted,
a persona without a default replica and no replica_id, an unknown persona, or both naming schemes at once.
Unknown fields are refused too: the docs do not say Tavus does, but our client must send only documented ones.
The error texts are ours; Tavus documents the shape, not these sentences.

    with FakeTavus() as tavus:
        client = TavusClient(tavus.api_key, tavus.url, timeout=1)
"""

from __future__ import annotations

import itertools
import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

DEFAULT_TRANSCRIPT: list[dict[str, str]] = [
    {"role": "system", "content": "You are a friendly interviewer for a software engineering role."},
    {"role": "assistant", "content": "Hi! Thanks for joining. Shall we start?"},
    {"role": "user", "content": "Yes, I'm ready."},
    {"role": "assistant", "content": "Tell me about a time you improved the performance of a system."},
    {
        "role": "user",
        "content": (
            "At my last internship our checkout API was timing out during sales, and my task was to bring "
            "the p95 latency under 300 ms before the next campaign. I profiled the endpoint, added a Redis "
            "cache for product lookups and rewrote two SQL queries. As a result p95 latency fell from 1.2 s "
            "to 240 ms and timeouts dropped by 90%."
        ),
    },
]

# mode -> (HTTP status, JSON body) as Tavus sends them (DOC and widely seen 3RD bodies).
ERROR_MODES: dict[str, tuple[int, dict[str, str]]] = {
    "400": (400, {"error": "There was an error creating the conversation, please try again."}),
    "concurrency": (400, {"message": "User has reached maximum concurrent conversations"}),
    "401": (401, {"message": "Invalid access token"}),
    "402": (402, {"message": "The user is out of conversational credits"}),
    "500": (500, {"error": "Internal Server Error"}),
}
OTHER_MODES = ("hang", "malformed")

CREATE_FIELDS = {
    "replica_id", "persona_id", "pal_id", "face_id", "audio_only", "callback_url", "conversation_name",
    "conversational_context", "custom_greeting", "memory_stores", "document_ids", "document_retrieval_strategy",
    "document_tags", "test_mode", "require_auth", "max_participants", "properties",
}  # fmt: skip
PROPERTY_FIELDS = {
    "max_call_duration", "participant_left_timeout", "participant_absent_timeout", "enable_recording",
    "enable_closed_captions", "enable_transcription", "apply_greenscreen", "language",
    "recording_s3_bucket_name", "recording_s3_bucket_region", "aws_assume_role_arn",
}  # fmt: skip
MAX_CALL_DURATION = 3600
LANGUAGES = {
    "multilingual", "english", "spanish", "french", "german", "italian", "portuguese", "dutch", "polish",
    "russian", "turkish", "arabic", "hindi", "bengali", "tamil", "telugu", "marathi", "japanese", "korean",
    "chinese", "mandarin", "indonesian", "vietnamese", "thai", "swedish", "norwegian", "danish", "finnish",
    "czech", "greek", "romanian", "hungarian", "ukrainian", "hebrew", "malay", "filipino",
}  # fmt: skip
# persona_id -> default_replica_id (None: a persona without a default replica).
DEFAULT_PERSONAS: dict[str, str | None] = {
    "p-default": "r-default", "p-marketing": "r-marketing", "p-interviewer": "r-anna", "p-only": "r-anna",
    "p-no-replica": None,
}  # fmt: skip


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class FakeConversation:
    id: str
    body: dict[str, Any]
    created_at: str
    status: str = "active"
    polls: int = 0
    end_after_polls: int | None = None
    transcript: list[dict[str, str]] | None = None
    events: list[dict[str, Any]] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FakeTavus:
    def __init__(self, api_key: str = "tavus-test-key", hang_seconds: float = 10.0, flat_verbose: bool = False,
                 personas: dict[str, str | None] | None = None) -> None:  # fmt: skip
        self.api_key = api_key
        self.personas = dict(DEFAULT_PERSONAS if personas is None else personas)
        self.hang_seconds = hang_seconds
        # The docs list `shutdown_reason` and `transcript` among the verbose fields without fixing where they
        # sit; flat_verbose serves them at the top level instead of inside events, to test the fallback.
        self.flat_verbose = flat_verbose
        self.requests: list[Recorded] = []
        self.conversations: dict[str, FakeConversation] = {}
        # Applied to conversations created from now on.
        self.end_after_polls: int | None = None
        self.transcript: list[dict[str, str]] = list(DEFAULT_TRANSCRIPT)
        self._mode: str | None = None
        self._mode_left: int | None = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-tavus", daemon=True
        )

    # --- lifecycle -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeTavus:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # let hanging handlers return
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeTavus:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- scripting -------------------------------------------------------------------------------

    def fail(self, mode: str | None, times: int | None = None) -> None:
        """Fail the next `times` requests (all, when None) with `mode`; fail(None) heals the server."""
        if mode is not None and mode not in ERROR_MODES and mode not in OTHER_MODES:
            raise ValueError(f"unknown mode {mode!r}")
        with self._lock:
            self._mode, self._mode_left = mode, times

    def finish(
        self,
        conversation_id: str,
        reason: str = "participant_left_timeout reached",
        transcript: list[dict[str, str]] | None = None,
    ) -> None:
        """End a conversation as Tavus does: status ended, a shutdown event, then the transcript."""
        with self._lock:
            self._end(self.conversations[conversation_id], reason, transcript)

    def end_without_transcript(
        self, conversation_id: str, reason: str = "exception_encountered_during_conversation_startup"
    ) -> None:
        """End a conversation with a shutdown event and no transcript ever (a failed start, a lost one)."""
        with self._lock:
            self._end(self.conversations[conversation_id], reason, with_transcript=False)

    def deliver(self, conversation_id: str, event_types: tuple[str, ...] | None = None) -> list[int]:
        """POST the conversation's events (those of `event_types`, else all) to its callback_url, one request
        each in the webhook envelope; the HTTP statuses the receiver answered."""
        with self._lock:
            conv = self.conversations[conversation_id]
            url = conv.body["callback_url"]
            events = [e for e in conv.events if event_types is None or e["event_type"] in event_types]
        statuses = []
        for event in events:
            payload = json.dumps({**event, "webhook_url": url}).encode()
            request = urllib.request.Request(url, payload, {"Content-Type": "application/json"}, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=30) as reply:
                    statuses.append(reply.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
        return statuses

    def requests_to(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]

    # --- behaviour (called by the handler) -------------------------------------------------------

    def _take_mode(self) -> str | None:
        with self._lock:
            mode = self._mode
            if mode is not None and self._mode_left is not None:
                self._mode_left -= 1
                if self._mode_left <= 0:
                    self._mode, self._mode_left = None, None
            return mode

    def _end(self, conv: FakeConversation, reason: str, transcript: list[dict[str, str]] | None = None,
             with_transcript: bool = True) -> None:  # fmt: skip
        if conv.status == "ended":
            return
        conv.status = "ended"
        replica = conv.body.get("replica_id") or "r-default"
        conv.events.append(_event(conv.id, "system.shutdown", "system", replica_id=replica, shutdown_reason=reason))
        if not with_transcript:
            return
        conv.events.append(
            _event(
                conv.id,
                "application.transcription_ready",
                "application",
                replica_id=replica,
                transcript=list(transcript if transcript is not None else conv.transcript or []),
            )
        )

    def handle(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        if path == "/v2/conversations" and method == "POST":
            return self._create(body)
        if path == "/v2/replicas" and method == "GET":
            replica = {
                "replica_id": "r-default",
                "replica_name": "Anna",
                "status": "completed",
                "training_progress": "100/100",
                "replica_type": "system",
                "created_at": _now(),
            }
            return 200, {"data": [replica], "total_count": 1}
        if path.startswith("/v2/personas/") and method == "GET":
            persona_id = path.removeprefix("/v2/personas/")
            if persona_id not in self.personas:
                return 400, {"error": "Invalid persona_id"}
            return 200, {"data": [{"persona_id": persona_id, "persona_name": "Interviewer",
                                   "default_replica_id": self.personas[persona_id], "created_at": _now()}]}
        parts = path.strip("/").split("/")
        if len(parts) >= 3 and parts[:2] == ["v2", "conversations"]:
            with self._lock:
                conv = self.conversations.get(parts[2])
                if conv is None:
                    return 400, {"error": "Invalid conversation_id"}
                if len(parts) == 3 and method == "GET":
                    return 200, self._describe(conv, verbose=query.get("verbose") == ["true"])
                if len(parts) == 4 and parts[3] == "end" and method == "POST":
                    self._end(conv, "end_conversation_endpoint_hit")
                    return 200, None
        return 404, {"message": "Not Found"}

    def _refusal(self, body: Any) -> str | None:
        """Why Tavus would refuse this create body (400), or None."""
        if not isinstance(body, dict):
            return "Invalid request body"
        if unknown := sorted(set(body) - CREATE_FIELDS):
            return f"Unknown field(s): {', '.join(unknown)}"
        if ("persona_id" in body and "pal_id" in body) or ("replica_id" in body and "face_id" in body):
            return "Cannot have both persona_id and pal_id"
        properties = body.get("properties") or {}
        if not isinstance(properties, dict):
            return "properties must be an object"
        if unknown := sorted(set(properties) - PROPERTY_FIELDS):
            return f"Unknown field(s) in properties: {', '.join(unknown)}"
        duration = properties.get("max_call_duration", MAX_CALL_DURATION)
        if not isinstance(duration, int) or isinstance(duration, bool) or not 0 < duration <= MAX_CALL_DURATION:
            return f"max_call_duration must be an integer between 1 and {MAX_CALL_DURATION}"
        language = properties.get("language", "english")
        if not isinstance(language, str) or language.lower() not in LANGUAGES:
            return f"Invalid language {language!r}: use the full language name, e.g. 'english', or 'multilingual'"
        persona = body.get("persona_id") or body.get("pal_id")
        if persona is not None and persona not in self.personas:
            return "Invalid persona_id"
        if not (body.get("replica_id") or body.get("face_id") or (persona and self.personas[persona])):
            return "replica_id is required: the persona has no default_replica_id"
        return None

    def _create(self, body: Any) -> tuple[int, Any]:
        if (refusal := self._refusal(body)) is not None:
            return 400, {"error": refusal}
        with self._lock:
            conv_id = f"c{next(self._ids):06d}"
            conv = FakeConversation(
                id=conv_id,
                body=body,
                created_at=_now(),
                end_after_polls=self.end_after_polls,
                transcript=list(self.transcript),
            )
            self.conversations[conv_id] = conv
            replica = body.get("replica_id") or self.personas.get(body.get("persona_id") or "")
            conv.events.append(_event(conv_id, "system.replica_joined", "system", replica_id=replica))
        return 200, {
            "conversation_id": conv_id,
            "conversation_name": body.get("conversation_name", ""),
            "status": "active",
            "conversation_url": f"https://tavus.daily.co/{conv_id}",
            "replica_id": body.get("replica_id"),
            "persona_id": body.get("persona_id"),
            "callback_url": body.get("callback_url"),
            "created_at": conv.created_at,
        }

    def _describe(self, conv: FakeConversation, verbose: bool) -> dict[str, Any]:
        conv.polls += 1
        if conv.end_after_polls is not None and conv.polls > conv.end_after_polls:
            self._end(conv, "participant_left_timeout reached")
        reply: dict[str, Any] = {
            "conversation_id": conv.id,
            "conversation_name": conv.body.get("conversation_name", ""),
            "conversation_url": f"https://tavus.daily.co/{conv.id}",
            "callback_url": conv.body.get("callback_url"),
            "status": conv.status,
            "replica_id": conv.body.get("replica_id"),
            "persona_id": conv.body.get("persona_id"),
            "created_at": conv.created_at,
            "updated_at": _now(),
        }
        if verbose and self.flat_verbose:
            for event in conv.events:
                for name in ("shutdown_reason", "transcript"):
                    if name in event["properties"]:
                        reply[name] = event["properties"][name]
        elif verbose:
            reply["events"] = [dict(e) for e in conv.events]
        return reply


def _event(conversation_id: str, event_type: str, message_type: str, **properties: Any) -> dict[str, Any]:
    return {
        "event_type": event_type,
        "message_type": message_type,
        "conversation_id": conversation_id,
        "timestamp": _now(),
        "properties": properties,
    }


def _handler_for(fake: FakeTavus) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def do_DELETE(self) -> None:
            self._serve("DELETE")

        def _serve(self, method: str) -> None:
            split = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            query = parse_qs(split.query)
            fake.requests.append(Recorded(method, split.path, query, dict(self.headers.items()), body))

            mode = fake._take_mode()
            if mode == "hang":
                fake._release.wait(fake.hang_seconds)
                return self._reply(504, {"error": "hung"})
            if mode == "malformed":
                return self._reply(200, b'{"conversation_id": "c1", "status": ')
            if mode in ERROR_MODES:
                return self._reply(*ERROR_MODES[mode])
            if self.headers.get("x-api-key") != fake.api_key:
                return self._reply(401, {"message": "Invalid access token"})
            self._reply(*fake.handle(method, split.path, query, body))

        def _reply(self, status: int, body: Any) -> None:
            payload = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the client gave up (time-out test); nothing to tell it
                pass

    return Handler
