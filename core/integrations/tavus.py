"""Tavus conversational-video client (plain `requests`, header `x-api-key`).

Why hand-written: Tavus ships no Python SDK, and the handful of calls we need (create, poll, end, a health
probe) are easier to test against a loopback fake than a generated client. Every failure becomes
AppError(TAVUS_ERROR) with a sentence a student or admin can act on; the API key never appears in a message
or a log line. Wire format: /work/shared/notes/external-apis.md §1 and docs.tavus.io/api-reference.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import requests

from core import deadline
from core.config import Settings
from core.errors import AppError, ErrorCode

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://tavusapi.com"
# Tavus caps max_call_duration at 3600 s (docs: call-duration-and-timeout).
MAX_CALL_SECONDS = 3600
# End the room 60 s after the student leaves and 5 min after creation if nobody joins, so an abandoned
# interview frees its concurrency slot and stops costing Tavus credits.
PARTICIPANT_LEFT_TIMEOUT = 60
PARTICIPANT_ABSENT_TIMEOUT = 300
LANGUAGE = "English"  # Tavus wants the full language name, not a code.
# A verbose conversation (events and transcript of a 60-min call) is well under this.
MAX_RESPONSE_BYTES = 5 * 1024 * 1024

# Conversation callbacks (docs.tavus.io/sections/webhooks-and-callbacks); verbose GETs carry the same envelopes.
REPLICA_JOINED = "system.replica_joined"
SHUTDOWN = "system.shutdown"
TRANSCRIPTION_READY = "application.transcription_ready"
RECORDING_READY = "application.recording_ready"
PERCEPTION_ANALYSIS = "application.perception_analysis"
# Shutdown reasons (same page) that mean the call never got going: no transcript will follow. Matched on prefix,
# since the docs write some with a " reached"/suffix and some without.
STARTUP_FAILURES = ("exception_encountered_during_conversation_startup", "bot_could_not_join_meeting")
MAX_ANALYSIS_CHARS = 20_000


@dataclass(frozen=True)
class Conversation:
    id: str
    url: str
    status: str


@dataclass(frozen=True)
class CallReport:
    """What Tavus said about a call: from a verbose poll's events, or from the one event of a callback."""

    ended: bool = False
    replica_joined_at: datetime | None = None
    shutdown_reason: str | None = None
    transcript: list[dict[str, str]] | None = None
    recording: dict[str, Any] | None = None
    perception_analysis: str | None = None



@dataclass(frozen=True)
class ConversationState:
    status: str
    report: CallReport
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.status == "ended"

    @property
    def transcript(self) -> list[dict[str, str]] | None:
        return self.report.transcript

    @property
    def shutdown_reason(self) -> str | None:
        return self.report.shutdown_reason


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str


def conversation_properties(settings: Settings) -> dict[str, Any]:
    """The `properties` object we send with every conversation."""
    return {
        "max_call_duration": max(60, min(settings.tavus_max_call_seconds, MAX_CALL_SECONDS)),
        "participant_left_timeout": PARTICIPANT_LEFT_TIMEOUT,
        "participant_absent_timeout": PARTICIPANT_ABSENT_TIMEOUT,
        "enable_closed_captions": True,
        "language": LANGUAGE,
    }


def choose_persona(settings: Settings, role_title: str) -> tuple[str | None, str | None]:
    """(persona_id, replica_id) for a job title: the longest role key contained in the title wins.

    Longest-first makes "senior data engineer" pick a "data engineer" persona over a "engineer" one, and
    keeps the choice independent of the order the map was written in.
    """
    title = " ".join(role_title.lower().split())
    for role in sorted(settings.tavus_personas, key=lambda key: (-len(key), key)):
        if role.strip() and role.lower().strip() in title:
            persona = settings.tavus_personas[role]
            return persona.persona_id, persona.replica_id or settings.tavus_replica_id
    return settings.tavus_persona_id, settings.tavus_replica_id


def build_tavus(settings: Settings) -> TavusClient | None:
    """A client when TAVUS_API_KEY is set; None means "video interviews are off", never an error."""
    if not settings.tavus_api_key:
        return None
    return TavusClient(settings.tavus_api_key, settings.tavus_base_url, settings.tavus_timeout_seconds)


class TavusClient:
    def __init__(self, api_key: str, base_url: str = DEFAULT_BASE_URL, timeout: float = 15.0) -> None:
        self._api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        # No shared requests.Session: Streamlit may call one client from several threads, and a handful of
        # calls per interview gains nothing from connection pooling. `timeout` is each call's one deadline.
        self._headers = {"x-api-key": api_key, "Content-Type": "application/json"}

    def __repr__(self) -> str:  # keep the key out of tracebacks and debug output
        return f"TavusClient(base_url={self.base_url!r})"

    # --- API calls -------------------------------------------------------------------------------

    def create_conversation(
        self,
        replica_id: str | None,
        persona_id: str | None,
        conversation_name: str,
        conversational_context: str,
        custom_greeting: str | None = None,
        properties: dict[str, Any] | None = None,
        callback_url: str | None = None,
    ) -> Conversation:
        """POST /v2/conversations. Uses the legacy persona_id/replica_id names only: Tavus rejects a body
        that mixes them with pal_id/face_id. Tavus POSTs the call's events to `callback_url`."""
        if not replica_id and not persona_id:
            raise AppError(
                ErrorCode.TAVUS_ERROR,
                "Video interviews are not set up yet: an administrator needs to set a Tavus persona or replica.",
            )
        body: dict[str, Any] = {
            "replica_id": replica_id,
            "persona_id": persona_id,
            "conversation_name": conversation_name,
            "conversational_context": conversational_context,
            "custom_greeting": custom_greeting,
            "properties": properties,
            "callback_url": callback_url,
        }
        data = self._json("POST", "/v2/conversations", json={k: v for k, v in body.items() if v is not None})
        conversation_id, url = data.get("conversation_id"), data.get("conversation_url")
        if not isinstance(conversation_id, str) or not isinstance(url, str) or not conversation_id or not url:
            raise _unexpected_reply("create", "no conversation_id/conversation_url")
        return Conversation(id=conversation_id, url=url, status=str(data.get("status") or "active"))

    def get_conversation(self, conversation_id: str, verbose: bool = True) -> ConversationState:
        """GET /v2/conversations/{id}; with verbose=true the reply carries the events we read the
        transcript and shutdown reason from (the app cannot receive Tavus webhooks, so it polls)."""
        params = {"verbose": "true"} if verbose else None
        data = self._json("GET", _conversation_path(conversation_id), params=params)
        status = data.get("status")
        if not isinstance(status, str) or not status:
            raise _unexpected_reply("get", "no status")
        raw_events = data.get("events")
        events = [e for e in raw_events if isinstance(e, dict)] if isinstance(raw_events, list) else []
        return ConversationState(status=status, report=call_report(events, data, ended=status == "ended"),
                                 events=events)  # fmt: skip

    def end_conversation(self, conversation_id: str) -> None:
        """POST /v2/conversations/{id}/end. Tavus answers 200 also for an already-ended conversation; the
        reply body is undocumented, so it is not parsed."""
        self._send("POST", _conversation_path(conversation_id) + "/end")

    def persona_replica(self, persona_id: str) -> str | None:
        """GET /v2/personas/{id}: the persona's `default_replica_id` (None when it has none). The reply nests
        the persona in `data` (a list in the reference, an object in some examples); both are read."""
        data = self._json("GET", "/v2/personas/" + quote(persona_id, safe=""))
        body = data.get("data", data)
        persona = body[0] if isinstance(body, list) and body else body
        replica = persona.get("default_replica_id") if isinstance(persona, dict) else None
        return replica if isinstance(replica, str) and replica else None

    def health(self, pairs: list[tuple[str | None, str | None]]) -> Health:
        """For the admin providers page; never raises. Each configured (persona_id, replica_id) must resolve a
        replica: a persona without a default replica and no replica id is refused by Tavus with a 400 on
        every conversation. Each persona is fetched (which checks the key and that it exists); without one,
        the cheapest authenticated call (one replica) checks the key."""
        try:
            if not any(persona for persona, _ in pairs):
                data = self._json("GET", "/v2/replicas", params={"limit": 1})
                total = data.get("total_count")
                suffix = f"; {total} replica(s) on the account." if isinstance(total, int) else "."
                if not any(replica for _, replica in pairs):
                    return Health(ok=False, detail="Misconfigured: the key works, but no replica or persona is "
                                                   "set. Set TAVUS_REPLICA_ID or TAVUS_PERSONA_ID.")  # fmt: skip
                return Health(ok=True, detail="Tavus reachable" + suffix)
            for persona, replica in pairs:  # each persona is fetched: that it exists is checked too
                if persona and self.persona_replica(persona) is None and not replica:
                    return Health(ok=False, detail=_no_replica(persona))
        except AppError as exc:
            return Health(ok=False, detail=exc.message)
        return Health(ok=True, detail="Tavus reachable; every configured persona has a replica.")

    # --- HTTP plumbing ---------------------------------------------------------------------------

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self._send(method, path, **kwargs)
        try:
            data = response.json()
        except ValueError:
            raise _unexpected_reply(path, "body is not JSON") from None
        if not isinstance(data, dict):
            raise _unexpected_reply(path, "body is not a JSON object")
        return data

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            with deadline.limit(self.timeout, MAX_RESPONSE_BYTES) as budget, deadline.requests_session() as session:
                response = session.request(
                    method, self.base_url + path, headers=self._headers, timeout=self.timeout, **kwargs
                )
        except requests.RequestException as exc:
            raise self._transport_error(method, path, exc, budget) from None
        if response.status_code >= 400:
            raise self._http_error(method, path, response)
        return response

    def _transport_error(
        self, method: str, path: str, exc: requests.RequestException, budget: deadline.Budget
    ) -> AppError:
        """No HTTP answer: over the size limit, out of time, or unreachable."""
        if budget.overflowed:
            log.warning("Tavus %s %s sent more than %d bytes", method, path, MAX_RESPONSE_BYTES)
            return _unexpected_reply(path, "reply over the size limit")
        if isinstance(exc, requests.Timeout):
            log.warning("Tavus %s %s timed out after %.1f s", method, path, self.timeout)
            return AppError(
                ErrorCode.TAVUS_ERROR, "The video interview service did not answer in time. Please try again."
            )
        log.warning("Tavus %s %s failed: %s", method, path, type(exc).__name__)
        return AppError(
            ErrorCode.TAVUS_ERROR, "We could not reach the video interview service. Please try again in a moment."
        )

    def _http_error(self, method: str, path: str, response: requests.Response) -> AppError:
        status = response.status_code
        detail = _provider_message(response).replace(self._api_key, "***")
        log.warning("Tavus %s %s -> HTTP %s: %s", method, path, status, detail or "(no message)")
        lowered = detail.lower()
        if status in (401, 403):
            message = (
                "The video interview service rejected our credentials. An administrator needs to check the Tavus key."
            )
        elif status == 402 or "credit" in lowered:
            message = "The video interview service has run out of credits. Please tell an administrator."
        elif "concurrent" in lowered:
            message = "Too many video interviews are running right now. Please try again in a few minutes."
        elif status == 429:
            message = "The video interview service is busy. Please try again in a minute."
        elif "conversation_id" in lowered or status == 404:
            message = "The video service no longer knows this interview. Start a new one."
        elif status >= 500:
            message = "The video interview service is having problems. Please try again in a few minutes."
        else:
            message = "The video interview service did not accept the request. Please tell an administrator."
        return AppError(ErrorCode.TAVUS_ERROR, message, status=status, provider_message=detail)


def failed_to_start(shutdown_reason: str | None) -> bool:
    """A shutdown reason that means the call never got going, so no transcript will follow."""
    return bool(shutdown_reason and shutdown_reason.lower().startswith(STARTUP_FAILURES))


def _no_replica(persona_id: str) -> str:
    return (f"Misconfigured: persona {persona_id} has no default replica and no replica id is set for it, so Tavus "
            "refuses every conversation. Set TAVUS_REPLICA_ID (or the persona's replica_id), or give the persona "
            "a default replica in Tavus.")  # fmt: skip


def persona_without_replica(client: TavusClient, persona_id: str | None, replica_id: str | None) -> str | None:
    """The sentence to refuse a conversation with before charging, when Tavus would refuse it for want of a
    replica; None when a replica resolves."""
    if replica_id or not persona_id or client.persona_replica(persona_id) is not None:
        return None
    return _no_replica(persona_id)


def _conversation_path(conversation_id: str) -> str:
    return "/v2/conversations/" + quote(conversation_id, safe="")


def _unexpected_reply(where: str, why: str) -> AppError:
    log.warning("Tavus %s: unexpected reply (%s)", where, why)
    return AppError(ErrorCode.TAVUS_ERROR, "The video interview service sent an unexpected reply. Please try again.")


def _provider_message(response: requests.Response) -> str:
    """Tavus puts its reason under `error` on some endpoints and `message` on others."""
    try:
        data = response.json()
    except ValueError:
        return ""
    if isinstance(data, dict):
        for key in ("error", "message"):
            if isinstance(data.get(key), str):
                return data[key][:300]
    return ""


def _event(events: list[dict[str, Any]], event_type: str) -> dict[str, Any] | None:
    """The latest event of this type (webhook envelope shape), or None."""
    return next((e for e in reversed(events) if e.get("event_type") == event_type), None)


def _event_property(events: list[dict[str, Any]], event_type: str, name: str) -> Any:
    """`properties[name]` of the latest event of this type that has it, or None."""
    for event in reversed(events):
        properties = event.get("properties")
        if event.get("event_type") == event_type and isinstance(properties, dict) and name in properties:
            return properties[name]
    return None


def call_report(events: list[dict[str, Any]], data: dict[str, Any] | None = None, *, ended: bool = False) -> CallReport:
    """Read a call's events (and a verbose reply's top-level fields) into a CallReport. A shutdown or a
    transcript means the call has ended whatever the status says; malformed properties read as absent."""
    data = data or {}
    joined = _event(events, REPLICA_JOINED)
    transcript = _transcript(events, data)
    shutdown_reason = _shutdown_reason(events, data)
    recording = _event(events, RECORDING_READY)
    analysis = _event_property(events, PERCEPTION_ANALYSIS, "analysis")
    return CallReport(
        ended=ended or shutdown_reason is not None or _event(events, SHUTDOWN) is not None or transcript is not None,
        replica_joined_at=None if joined is None else _timestamp(joined.get("timestamp")),
        shutdown_reason=shutdown_reason,
        transcript=transcript,
        recording=None if recording is None else _recording(recording.get("properties")) or None,
        perception_analysis=analysis[:MAX_ANALYSIS_CHARS] if isinstance(analysis, str) and analysis else None,
    )


def _timestamp(value: Any) -> datetime:
    """An event's ISO timestamp as naive UTC (the database's convention); now when missing or malformed."""
    try:
        stamp = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC).replace(tzinfo=None)
    return (stamp.astimezone(UTC) if stamp.tzinfo else stamp).replace(tzinfo=None)


def _recording(properties: Any) -> dict[str, Any]:
    if not isinstance(properties, dict):
        return {}
    keep: dict[str, type | tuple[type, ...]] = {"bucket_name": str, "s3_key": str, "duration": (int, float)}
    return {name: properties[name] for name, kind in keep.items() if isinstance(properties.get(name), kind)}


def _transcript(events: list[dict[str, Any]], data: dict[str, Any]) -> list[dict[str, str]] | None:
    """Turns from the transcription_ready event (None until Tavus has produced it), without the leading
    system prompt. A top-level `transcript` is accepted too: the docs list it among the verbose fields
    without saying where it sits."""
    raw = _event_property(events, TRANSCRIPTION_READY, "transcript")
    if raw is None:
        raw = data.get("transcript")
    if not isinstance(raw, list):
        return None
    turns = [
        {"role": item["role"], "content": item["content"]}
        for item in raw
        if isinstance(item, dict) and isinstance(item.get("role"), str) and isinstance(item.get("content"), str)
    ]
    while turns and turns[0]["role"] == "system":
        turns.pop(0)
    return turns


def _shutdown_reason(events: list[dict[str, Any]], data: dict[str, Any]) -> str | None:
    reason = _event_property(events, SHUTDOWN, "shutdown_reason") or data.get("shutdown_reason")
    return reason[:200] if isinstance(reason, str) and reason else None
