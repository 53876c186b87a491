"""The real Tavus client against a loopback fake that speaks Tavus's wire format."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest
import requests

from core.config import Settings, TavusPersona
from core.context import AppContext
from core.errors import AppError, ErrorCode
from core.integrations.tavus import (
    TavusClient,
    build_tavus,
    call_report,
    choose_persona,
    conversation_properties,
    failed_to_start,
    persona_without_replica,
)
from tests.fakes.tavus_server import FakeTavus


@pytest.fixture
def tavus() -> Iterator[FakeTavus]:
    with FakeTavus() as fake:
        yield fake


@pytest.fixture
def client(tavus: FakeTavus) -> TavusClient:
    return TavusClient(tavus.api_key, tavus.url + "/", timeout=0.5)


def _create(client: TavusClient, settings: Settings | None = None) -> str:
    settings = settings or Settings(tavus_max_call_seconds=900)
    return client.create_conversation(
        replica_id="r-anna",
        persona_id="p-interviewer",
        conversation_name="Practice: Backend Engineer",
        conversational_context="The candidate applies for Backend Engineer. CV: Python, PostgreSQL.",
        custom_greeting="Hi Ada, ready for your Backend Engineer interview?",
        properties=conversation_properties(settings),
    ).id


def test_create_sends_documented_body_and_header(tavus: FakeTavus, client: TavusClient) -> None:
    conversation = client.create_conversation(
        replica_id="r-anna",
        persona_id="p-interviewer",
        conversation_name="Practice: Backend Engineer",
        conversational_context="context",
        custom_greeting="Hello",
        properties=conversation_properties(Settings(tavus_max_call_seconds=900)),
    )
    assert conversation.status == "active"
    assert conversation.url == f"https://tavus.daily.co/{conversation.id}"
    [request] = tavus.requests_to("POST", "/v2/conversations")
    assert request.headers["x-api-key"] == tavus.api_key
    assert request.headers["Content-Type"] == "application/json"
    assert request.body == {
        "replica_id": "r-anna",
        "persona_id": "p-interviewer",
        "conversation_name": "Practice: Backend Engineer",
        "conversational_context": "context",
        "custom_greeting": "Hello",
        "properties": {
            "max_call_duration": 900,
            "participant_left_timeout": 60,
            "participant_absent_timeout": 300,
            "enable_closed_captions": True,
            "language": "English",
        },
    }
    assert "pal_id" not in request.body and "face_id" not in request.body


def test_create_omits_unset_optional_fields(tavus: FakeTavus, client: TavusClient) -> None:
    client.create_conversation(None, "p-only", "name", "context")
    [request] = tavus.requests_to("POST", "/v2/conversations")
    assert request.body == {"persona_id": "p-only", "conversation_name": "name", "conversational_context": "context"}


def test_create_without_persona_or_replica_is_refused_before_calling_tavus(
    tavus: FakeTavus, client: TavusClient
) -> None:
    with pytest.raises(AppError) as caught:
        client.create_conversation(None, None, "name", "context")
    assert caught.value.code == ErrorCode.TAVUS_ERROR
    assert tavus.requests == []


def test_max_call_duration_is_capped_at_tavus_limit() -> None:
    assert conversation_properties(Settings(tavus_max_call_seconds=7200))["max_call_duration"] == 3600


def test_status_moves_from_active_to_ended_with_transcript(tavus: FakeTavus, client: TavusClient) -> None:
    tavus.end_after_polls = 2
    conversation_id = _create(client)

    states = [client.get_conversation(conversation_id) for _ in range(3)]

    assert [s.status for s in states] == ["active", "active", "ended"]
    assert states[0].transcript is None and states[0].shutdown_reason is None
    assert [e["event_type"] for e in states[0].events] == ["system.replica_joined"]
    final = states[-1]
    assert final.ended
    assert final.shutdown_reason == "participant_left_timeout reached"
    assert final.transcript is not None
    assert final.transcript[0] == {"role": "assistant", "content": "Hi! Thanks for joining. Shall we start?"}
    assert all(turn["role"] != "system" for turn in final.transcript)
    assert len(final.transcript) == 4
    [request] = tavus.requests_to("GET", f"/v2/conversations/{conversation_id}")[:1]
    assert request.query == {"verbose": ["true"]}
    assert request.headers["x-api-key"] == tavus.api_key


def test_finish_with_scripted_transcript(tavus: FakeTavus, client: TavusClient) -> None:
    conversation_id = _create(client)
    script = [
        {"role": "system", "content": "prompt"},
        {"role": "assistant", "content": "Why this role?"},
        {"role": "user", "content": "Because I love databases."},
    ]
    tavus.finish(conversation_id, reason="max_call_duration reached", transcript=script)

    state = client.get_conversation(conversation_id)

    assert (state.status, state.transcript, state.shutdown_reason) == ("ended", script[1:], "max_call_duration reached")
    assert state.report.ended and state.report.replica_joined_at is not None and state.report.recording is None


def test_transcript_and_reason_at_top_level_are_read_too() -> None:
    with FakeTavus(flat_verbose=True) as fake:
        client = TavusClient(fake.api_key, fake.url, timeout=0.5)
        conversation_id = _create(client)
        assert client.get_conversation(conversation_id).transcript is None
        fake.finish(conversation_id, reason="max_call_duration reached")
        state = client.get_conversation(conversation_id)
    assert state.events == [] and state.shutdown_reason == "max_call_duration reached"
    assert state.transcript is not None and state.transcript[0]["role"] == "assistant"


def test_non_verbose_get_has_no_events(tavus: FakeTavus, client: TavusClient) -> None:
    conversation_id = _create(client)
    tavus.finish(conversation_id)
    state = client.get_conversation(conversation_id, verbose=False)
    assert state.status == "ended" and state.events == [] and state.transcript is None
    assert tavus.requests_to("GET", f"/v2/conversations/{conversation_id}")[0].query == {}


def test_end_conversation_ends_it_and_is_idempotent(tavus: FakeTavus, client: TavusClient) -> None:
    conversation_id = _create(client)
    client.end_conversation(conversation_id)
    client.end_conversation(conversation_id)

    state = client.get_conversation(conversation_id)

    assert state.ended and state.shutdown_reason == "end_conversation_endpoint_hit"
    assert state.transcript  # the default transcript arrives after the end
    assert len(tavus.requests_to("POST", f"/v2/conversations/{conversation_id}/end")) == 2


def test_unknown_conversation_is_a_plain_tavus_error(client: TavusClient) -> None:
    with pytest.raises(AppError) as caught:
        client.get_conversation("c-missing/../../v2/replicas")
    assert caught.value.code == ErrorCode.TAVUS_ERROR
    assert "Start a new one" in caught.value.message
    assert caught.value.details["provider_message"] == "Invalid conversation_id"


@pytest.mark.parametrize(
    ("mode", "status", "words"),
    [
        ("400", 400, "did not accept"),
        ("concurrency", 400, "Too many video interviews"),
        ("401", 401, "credentials"),
        ("402", 402, "run out of credits"),
        ("500", 500, "having problems"),
    ],
)
def test_http_errors_become_tavus_errors(
    tavus: FakeTavus, client: TavusClient, mode: str, status: int, words: str
) -> None:
    tavus.fail(mode)
    with pytest.raises(AppError) as caught:
        _create(client)
    error = caught.value
    assert error.code == ErrorCode.TAVUS_ERROR
    assert words in error.message
    assert error.details["status"] == status
    assert tavus.api_key not in error.message and tavus.api_key not in str(error)


def test_wrong_api_key_is_rejected_without_leaking_it(tavus: FakeTavus, caplog: pytest.LogCaptureFixture) -> None:
    secret = "sk-tavus-very-secret-key"
    client = TavusClient(secret, tavus.url, timeout=0.5)
    with pytest.raises(AppError) as caught:
        _create(client)
    assert caught.value.code == ErrorCode.TAVUS_ERROR and "credentials" in caught.value.message
    assert secret not in str(caught.value) and secret not in repr(client) and secret not in caplog.text


def test_timeout_fails_fast(tavus: FakeTavus, client: TavusClient) -> None:
    tavus.fail("hang")
    started = time.monotonic()
    with pytest.raises(AppError) as caught:
        _create(client)
    assert time.monotonic() - started < 3
    assert caught.value.code == ErrorCode.TAVUS_ERROR and "in time" in caught.value.message


def test_malformed_json_is_a_tavus_error(tavus: FakeTavus, client: TavusClient) -> None:
    tavus.fail("malformed", times=1)
    with pytest.raises(AppError) as caught:
        _create(client)
    assert caught.value.code == ErrorCode.TAVUS_ERROR and "unexpected reply" in caught.value.message
    assert _create(client)  # the server healed after one failure


def test_connection_refused_is_a_tavus_error() -> None:
    with FakeTavus() as fake:
        url = fake.url
    client = TavusClient("key", url, timeout=0.5)
    with pytest.raises(AppError) as caught:
        client.get_conversation("c1")
    assert caught.value.code == ErrorCode.TAVUS_ERROR and "could not reach" in caught.value.message


def test_errors_on_end_and_get_are_tavus_errors(tavus: FakeTavus, client: TavusClient) -> None:
    conversation_id = _create(client)
    tavus.fail("500")
    for call in (client.get_conversation, client.end_conversation):
        with pytest.raises(AppError) as caught:
            call(conversation_id)
        assert caught.value.code == ErrorCode.TAVUS_ERROR


def test_health(tavus: FakeTavus, client: TavusClient) -> None:
    healthy = client.health([(None, "r-default")])
    assert healthy.ok and "1 replica" in healthy.detail
    assert tavus.requests_to("GET", "/v2/replicas")[0].query == {"limit": ["1"]}
    tavus.fail("401")
    unhealthy = client.health([(None, "r-default")])
    assert not unhealthy.ok and "credentials" in unhealthy.detail


def test_health_fetches_each_persona_and_requires_a_replica(tavus: FakeTavus, client: TavusClient) -> None:
    assert client.health([("p-default", None), ("p-marketing", None)]).ok
    assert [r.path for r in tavus.requests] == ["/v2/personas/p-default", "/v2/personas/p-marketing"]
    persona_only = client.health([("p-default", None), ("p-no-replica", None)])
    assert not persona_only.ok
    assert persona_only.detail.startswith("Misconfigured: persona p-no-replica has no default replica")
    assert "TAVUS_REPLICA_ID" in persona_only.detail
    assert client.health([("p-no-replica", "r-anna")]).ok  # a replica id makes the persona usable
    assert tavus.requests[-1].path == "/v2/personas/p-no-replica"  # still fetched: the key and the id are checked
    nothing = client.health([])
    assert not nothing.ok and "no replica or persona is set" in nothing.detail
    unknown = client.health([("p-gone", None)])
    assert not unknown.ok and "did not accept" in unknown.detail


def test_persona_without_replica_is_found_before_any_conversation(tavus: FakeTavus, client: TavusClient) -> None:
    assert persona_without_replica(client, "p-default", None) is None
    assert persona_without_replica(client, "p-no-replica", "r-anna") is None
    assert tavus.requests_to("GET", "/v2/personas/p-no-replica") == []  # a replica id needs no look-up
    assert "p-no-replica" in (persona_without_replica(client, "p-no-replica", None) or "")
    with pytest.raises(AppError) as caught:  # what Tavus answers when asked anyway
        client.create_conversation(None, "p-no-replica", "name", "context")
    assert caught.value.details["status"] == 400 and "default_replica_id" in caught.value.details["provider_message"]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"properties": {"max_call_duration": 3601}}, "max_call_duration"),
        ({"properties": {"language": "en"}}, "full language name"),
        ({"properties": {"language": "en-US"}}, "full language name"),
        ({"properties": {"enable_transcript": True}}, "Unknown field(s) in properties: enable_transcript"),
        ({"replica": "r-anna"}, "Unknown field(s): replica"),
        ({"persona_id": "p-unknown"}, "Invalid persona_id"),
        ({"pal_id": "p-default"}, "Cannot have both"),
    ],
)
def test_the_fake_refuses_what_tavus_refuses(tavus: FakeTavus, change: dict, words: str) -> None:
    body = {"replica_id": "r-anna", "persona_id": "p-default", "conversation_name": "n",
            "properties": {"max_call_duration": 3600, "language": "English"}}  # fmt: skip
    for key, value in change.items():
        body[key] = {**body[key], **value} if key == "properties" else value
    reply = requests.post(tavus.url + "/v2/conversations", json=body, headers={"x-api-key": tavus.api_key}, timeout=5)
    assert reply.status_code == 400 and words in reply.json()["error"]
    assert list(reply.json()) == ["error"]  # Tavus's error shape
    assert tavus.conversations == {}


def test_what_our_client_sends_is_accepted_by_the_strict_fake(tavus: FakeTavus, client: TavusClient) -> None:
    """The longest configurable call, the persona map's fallbacks and a callback URL: all valid for Tavus."""
    properties = conversation_properties(Settings(tavus_max_call_seconds=10**6))
    assert properties["max_call_duration"] == 3600 and properties["language"] == "English"
    client.create_conversation("r-anna", "p-default", "n", "c", "hi", properties, "https://app.example/webhooks/t/x")
    client.create_conversation(None, "p-default", "n", "c", properties=properties)
    assert len(tavus.conversations) == 2


def test_a_call_can_end_without_a_transcript(tavus: FakeTavus, client: TavusClient) -> None:
    conversation_id = _create(client)
    tavus.end_without_transcript(conversation_id)
    state = client.get_conversation(conversation_id)
    assert state.ended and state.transcript is None
    assert state.shutdown_reason == "exception_encountered_during_conversation_startup"
    assert failed_to_start(state.shutdown_reason)
    assert [e["event_type"] for e in state.events] == ["system.replica_joined", "system.shutdown"]


@pytest.mark.parametrize(
    ("reason", "startup"),
    [
        ("exception_encountered_during_conversation_startup", True),
        ("bot_could_not_join_meeting_it_was_probably_ended", True),
        ("participant_left_timeout reached", False),
        ("participant_absent_timeout", False),
        ("max_call_duration reached", False),
        ("end_conversation_endpoint_hit", False),
        (None, False),
    ],
)
def test_startup_failure_reasons(reason: str | None, startup: bool) -> None:
    assert failed_to_start(reason) is startup


def test_call_report_reads_each_callback_event() -> None:
    def report(event_type: str, **properties: object):
        return call_report([{"event_type": event_type, "timestamp": "2025-07-11T06:45:47.472000Z",
                             "properties": properties}])  # fmt: skip

    joined = report("system.replica_joined", replica_id="r1")
    assert joined.replica_joined_at == datetime(2025, 7, 11, 6, 45, 47, 472000) and not joined.ended
    shutdown = report("system.shutdown", replica_id="r1", shutdown_reason="max_call_duration reached")
    assert shutdown.ended and shutdown.shutdown_reason == "max_call_duration reached" and shutdown.transcript is None
    transcript = report("application.transcription_ready", transcript=[
        {"role": "system", "content": "prompt"}, {"role": "user", "content": "hi"}, {"role": 1, "content": "x"}])
    assert transcript.ended and transcript.transcript == [{"role": "user", "content": "hi"}]
    recording = report("application.recording_ready", bucket_name="b", s3_key="k/1.mp4", duration=1234, extra="x")
    assert recording.recording == {"bucket_name": "b", "s3_key": "k/1.mp4", "duration": 1234}
    assert report("application.perception_analysis", analysis="Calm, good eye contact.").perception_analysis == (
        "Calm, good eye contact."
    )
    malformed = call_report([{"event_type": "application.recording_ready", "properties": "nope"},
                             {"event_type": "system.replica_joined", "timestamp": "yesterday"}])  # fmt: skip
    assert malformed.recording is None and malformed.replica_joined_at is not None
    assert call_report([{"event_type": "application.something_new", "properties": {}}]) == call_report([])


def test_build_tavus_needs_a_key() -> None:
    assert AppContext(Settings(tavus_api_key=None, database_url="sqlite://")).tavus is None
    assert build_tavus(Settings(tavus_api_key=None)) is None
    assert build_tavus(Settings(tavus_api_key="")) is None
    client = build_tavus(Settings(tavus_api_key="k", tavus_base_url="http://127.0.0.1:9", tavus_timeout_seconds=2))
    assert isinstance(client, TavusClient) and client.base_url == "http://127.0.0.1:9" and client.timeout == 2


def test_choose_persona_by_role_with_default() -> None:
    settings = Settings(
        tavus_persona_id="p-default",
        tavus_replica_id="r-default",
        tavus_personas={
            "engineer": TavusPersona(persona_id="p-eng"),
            "data engineer": TavusPersona(persona_id="p-data", replica_id="r-data"),
            "nurse": TavusPersona(persona_id="p-nurse", replica_id="r-nurse"),
        },
    )
    assert choose_persona(settings, "Senior Data  Engineer") == ("p-data", "r-data")
    assert choose_persona(settings, "Backend Engineer") == ("p-eng", "r-default")
    assert choose_persona(settings, "Registered Nurse (ICU)") == ("p-nurse", "r-nurse")
    assert choose_persona(settings, "Accountant") == ("p-default", "r-default")
    unset = Settings(tavus_persona_id=None, tavus_replica_id=None, tavus_personas={})
    assert choose_persona(unset, "Accountant") == (None, None)


def test_persona_map_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAVUS_PERSONAS", '{"data scientist": {"persona_id": "p-ds"}}')
    monkeypatch.setenv("TAVUS_REPLICA_ID", "r-env")
    assert choose_persona(Settings(), "Junior Data Scientist") == ("p-ds", "r-env")
