"""Tavus callbacks over real HTTP: the fake Tavus POSTs a conversation's events to the callback_url the app gave
it (`/webhooks/tavus/{token}` on the running server, on PostgreSQL). A finished call is scored once however
often its events come; a call that failed to start is unscored and refunded once; an unknown token, a body
that is not JSON or is too large changes nothing and gets a JSON error, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import func, select

from core.access import Actor
from core.billing import ledger
from core.config import TavusPersona
from core.context import AppContext
from core.models import Interview, InterviewResult
from core.student import cvs, interviews
from tests.conftest import CORPUS
from tests.e2e.harness import AppServer
from tests.fakes.tavus_server import FakeTavus
from tests.services.test_interviews import CV_FILE


@pytest.fixture(scope="module")
def tavus() -> Iterator[FakeTavus]:
    with FakeTavus() as fake:
        yield fake


@pytest.fixture
def video_ctx(server: AppServer, server_ctx: AppContext, tavus: FakeTavus) -> AppContext:
    """The server's database, with Tavus on the fake and callbacks addressed to the running server."""
    settings = server_ctx.settings.model_copy(update={
        "tavus_api_key": tavus.api_key, "tavus_base_url": tavus.url, "tavus_replica_id": "r-default",
        "tavus_personas": {"marketing": TavusPersona(persona_id="p-marketing")}, "public_base_url": server.url,
    })  # fmt: skip
    return AppContext(settings, server_ctx.db)


@pytest.fixture
def started(video_ctx: AppContext, new_user) -> tuple[Actor, interviews.InterviewRecord]:
    student = new_user()
    cv = cvs.upload_cv(video_ctx, student, CV_FILE, (CORPUS / "resumes" / CV_FILE).read_bytes())
    return student, interviews.start_video(video_ctx, student, cv.id)


def callback_url(tavus: FakeTavus, record: interviews.InterviewRecord) -> str:
    return tavus.conversations[record.conversation_id].body["callback_url"]


def results_for(ctx: AppContext, interview_id: int) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).where(InterviewResult.interview_id == interview_id))


def test_delivered_events_score_the_call_once(video_ctx, tavus, started, server) -> None:
    student, record = started
    assert callback_url(tavus, record).startswith(server.url + "/webhooks/tavus/")
    tavus.finish(record.conversation_id, reason="participant_left_timeout reached")
    assert tavus.deliver(record.conversation_id) == [200, 200, 200]  # joined, shutdown, transcript
    done = interviews.get_interview(video_ctx, student, record.id)
    assert done.status == "completed" and done.result["overall"] > 0 and done.replica_joined_at is not None
    assert tavus.deliver(record.conversation_id) == [200, 200, 200]  # Tavus retries: nothing changes
    assert interviews.get_interview(video_ctx, student, record.id) == done
    assert results_for(video_ctx, record.id) == 1
    assert interviews.refresh_video(video_ctx, student, record.id) == done  # the poll agrees
    assert [e.kind for e in ledger.ledger(video_ctx, student)] == ["charge", "welcome"]


def test_a_failed_start_delivered_twice_is_refunded_once(video_ctx, tavus, started) -> None:
    student, record = started
    tavus.end_without_transcript(record.conversation_id)
    assert tavus.deliver(record.conversation_id, ("system.shutdown",)) == [200]
    assert tavus.deliver(record.conversation_id, ("system.shutdown",)) == [200]
    done = interviews.get_interview(video_ctx, student, record.id)
    assert done.status == "unscored" and "could not start" in done.unscored_reason
    assert interviews.refresh_video(video_ctx, student, record.id) == done
    assert [e.kind for e in ledger.ledger(video_ctx, student)] == ["refund", "charge", "welcome"]
    assert ledger.balance(video_ctx, student) == 10


def test_unknown_events_are_acknowledged(video_ctx, tavus, started) -> None:
    _, record = started
    reply = requests.post(callback_url(tavus, record), json={"event_type": "application.post_call_action_executed",
                                                           "properties": {}}, timeout=10)  # fmt: skip
    assert reply.status_code == 200 and reply.json() == {"success": True, "handled": False}


def test_what_is_not_a_callback_changes_nothing_and_shows_no_traceback(video_ctx, tavus, started, server) -> None:
    student, record = started
    url = callback_url(tavus, record)
    tavus.finish(record.conversation_id)
    [transcript] = [e for e in tavus.conversations[record.conversation_id].events
                    if e["event_type"] == "application.transcription_ready"]  # fmt: skip
    base = server.url + "/webhooks/tavus/"
    cases = [
        (requests.post(base + "x" * 43, json=transcript, timeout=10), 404, "NOT_FOUND"),
        (requests.post(base + "short", json=transcript, timeout=10), 404, "NOT_FOUND"),
        (requests.post(url, data=b'{"event_type": "system.shutdown", ', timeout=10), 400, "INVALID_INPUT"),
        (requests.post(url, data=b"[" * 100_000, timeout=10), 400, "INVALID_INPUT"),
        (requests.post(url, json=[transcript], timeout=10), 400, "INVALID_INPUT"),
        (requests.post(url, data=b"{" + b" " * 300_000 + b"}", timeout=10), 413, "REQUEST_TOO_LARGE"),
        (requests.post(url, json={**transcript, "conversation_id": "c-other"}, timeout=10), 404, "NOT_FOUND"),
        (requests.get(url, timeout=10), 405, "METHOD_NOT_ALLOWED"),
    ]
    for reply, status, code in cases:
        assert (reply.status_code, reply.json()["code"], reply.json()["success"]) == (status, code, False)
        assert "Traceback" not in reply.text
    assert interviews.get_interview(video_ctx, student, record.id) == record
    assert "Traceback" not in server.log_path.read_text(errors="replace")
    with video_ctx.db.read() as session:
        assert session.get_one(Interview, record.id).status == "in_progress"
