"""Interview services: paid practice interviews end to end, Tavus video interviews against the loopback fake,
refunds, resuming, recordings and who may see or change an interview."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from core.access import Actor, Role
from core.billing import ledger
from core.coaching import cohorts
from core.config import TavusPersona
from core.context import AppContext
from core.engine.practice import evaluate_answer
from core.errors import AppError, ErrorCode
from core.models import Interview, InterviewResult
from core.student import cvs, interviews, jobs, progress
from tests.conftest import CORPUS
from tests.fakes.openai_server import API_KEY, FakeOpenAI, answer
from tests.fakes.tavus_server import FakeTavus

CV_FILE = "07_carla_mendes.txt"
JD_TEXT = (CORPUS / "jds" / "08_digital_marketing_manager.txt").read_text(encoding="utf-8")


def strong_answer(question: dict[str, Any]) -> str:
    """A STAR answer with figures that names the terms the question listens for."""
    terms = ", ".join(question.get("keywords") or ["the campaign tools"])
    return (
        "At my previous job at Beehive Software our paid pipeline had stalled for two quarters. My task was to "
        f"grow qualified leads by 20% in one quarter with the same budget. I analysed every channel, used {terms} "
        "to rebuild the targeting, and I ran weekly A/B tests on 12 landing pages with the sales team. As a result "
        "cost per lead fell by 31%, pipeline grew 2.2x to $1.8M and the approach became our quarterly playbook. "
        "I learned to measure before changing anything."
    )


VAGUE = "I did some marketing things and it was fine. We worked on stuff and um, basically it went well."


@pytest.fixture
def student(make_user: Callable[..., Actor]) -> Actor:
    return make_user()


@pytest.fixture
def cv(ctx: AppContext, student: Actor) -> cvs.CVRecord:
    return cvs.upload_cv(ctx, student, CV_FILE, (CORPUS / "resumes" / CV_FILE).read_bytes())


@pytest.fixture
def job(ctx: AppContext, student: Actor) -> jobs.JobRecord:
    return jobs.save_job(ctx, student, title="Digital Marketing Manager", text=JD_TEXT, company="Solstice")


@pytest.fixture
def tavus() -> Iterator[FakeTavus]:
    with FakeTavus(hang_seconds=3) as fake:
        yield fake


@pytest.fixture
def video_ctx(ctx: AppContext, tavus: FakeTavus) -> AppContext:
    """The same database, with Tavus configured against the fake and a persona for marketing roles."""
    settings = ctx.settings.model_copy(
        update={
            "tavus_api_key": tavus.api_key,
            "tavus_base_url": tavus.url,
            "tavus_replica_id": "r-default",
            "tavus_persona_id": "p-default",
            "tavus_personas": {"marketing": TavusPersona(persona_id="p-marketing", replica_id="r-marketing")},
            "tavus_timeout_seconds": 0.5,
            "tavus_max_call_seconds": 900,
        }
    )
    return AppContext(settings, ctx.db)


def count(ctx: AppContext, model: type) -> int:
    with ctx.db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def ledger_kinds(ctx: AppContext, actor: Actor) -> list[tuple[str, int]]:
    return [(e.kind, e.amount) for e in reversed(ledger.ledger(ctx, actor))]


def take_interview(ctx: AppContext, actor: Actor, record: interviews.InterviewRecord, text: Callable) -> None:
    for question in record.questions:
        interviews.answer(ctx, actor, record.id, question["id"], text(question))


# --- practice -----------------------------------------------------------------------------------------------


def test_practice_full_flow_charges_scores_persists_and_feeds_progress(ctx, student, cv, job) -> None:
    record = interviews.start_practice(ctx, student, cv.id, job.id)
    assert ledger.balance(ctx, student) == 10 - ctx.settings.price_practice_interview
    assert (record.mode, record.status, record.provider) == ("practice", "in_progress", "local")
    assert (record.cv_filename, record.job_title, record.job_id, record.charge_id is not None) == (
        CV_FILE, "Digital Marketing Manager", job.id, True,
    )  # fmt: skip
    assert 5 <= len(record.questions) <= 8
    assert {q["kind"] for q in record.questions} == {"behavioural", "technical", "role"}
    technical = [q["skill"] for q in record.questions if q["kind"] == "technical"]
    assert technical and set(technical) <= set(parse_required())

    first = record.questions[0]
    after_one = interviews.answer(ctx, student, record.id, first["id"], strong_answer(first))
    stored = after_one.answer_for(first["id"])
    assert stored["evaluation"]["star"] == {"situation": True, "task": True, "action": True, "result": True}
    assert stored["coach"]["source"] == "local" and stored["coach"]["feedback"]
    assert after_one.next_question == record.questions[1]

    take_interview(ctx, student, record, strong_answer)
    done = interviews.finish(ctx, student, record.id)
    assert done.status == "completed" and done.completed_at is not None
    assert set(done.result) >= {"technical", "communication", "job_match", "overall", "strengths", "recommendations"}
    with ctx.db.session() as session:
        row = session.scalar(select(InterviewResult).where(InterviewResult.interview_id == record.id))
        expected = (done.result["overall"], done.result["technical"], student.id)
        assert (row.overall, row.technical, row.user_id) == expected
    [history] = progress.interview_history(ctx, student, student.id)
    assert (history["interview_id"], history["overall"]) == (record.id, done.result["overall"])
    assert interviews.finish(ctx, student, record.id).result == done.result  # finishing twice changes nothing
    assert [(s.id, s.overall) for s in interviews.list_interviews(ctx, student)] == [(record.id, done.overall)]
    assert ledger_kinds(ctx, student) == [("welcome", 10), ("charge", -2)]


def parse_required() -> list[str]:
    from core.engine.jd import parse_jd

    return parse_jd(JD_TEXT).required_skills


def test_strong_star_answers_outscore_vague_ones_on_every_axis(ctx, student, cv, job) -> None:
    strong, vague = (interviews.start_practice(ctx, student, cv.id, job.id) for _ in range(2))
    take_interview(ctx, student, strong, strong_answer)
    take_interview(ctx, student, vague, lambda q: VAGUE)
    good, poor = interviews.finish(ctx, student, strong.id).result, interviews.finish(ctx, student, vague.id).result
    for axis in interviews.SCORE_AXES:
        assert good[axis] > poor[axis], axis
    assert poor["weaknesses"] and good["strengths"]


def test_leave_and_resume_where_the_student_stopped(ctx, student, cv, job) -> None:
    record = interviews.start_practice(ctx, student, cv.id, job.id)
    for question in record.questions[:2]:
        interviews.answer(ctx, student, record.id, question["id"], strong_answer(question))
    resumed = interviews.unfinished(ctx, student)  # a later visit: nothing kept in memory
    assert resumed is not None and resumed.id == record.id
    assert resumed.next_question == record.questions[2] and resumed.answered == 2
    for question in resumed.questions[2:]:
        interviews.answer(ctx, student, record.id, question["id"], strong_answer(question))
    interviews.finish(ctx, student, record.id)
    assert interviews.unfinished(ctx, student) is None


def test_answering_again_replaces_skips_count_and_finished_interviews_are_closed(ctx, student, cv) -> None:
    record = interviews.start_practice(ctx, student, cv.id)  # no job: a general interview on the CV
    assert record.job_id is None and record.job_title == "Growth Marketing Manager"
    q1, q2 = record.questions[:2]
    with pytest.raises(AppError) as caught:
        interviews.finish(ctx, student, record.id)
    assert caught.value.code == ErrorCode.INVALID_INPUT and "at least one" in caught.value.message

    interviews.answer(ctx, student, record.id, q2["id"], VAGUE)
    interviews.answer(ctx, student, record.id, q1["id"], "")  # skipped
    again = interviews.answer(ctx, student, record.id, q2["id"], strong_answer(q2))
    assert [a["question_id"] for a in again.answers] == [q1["id"], q2["id"]]  # question order, one per question
    assert again.answer_for(q1["id"])["skipped"] and again.answered == 1
    assert again.answer_for(q2["id"])["text"] == strong_answer(q2)

    with pytest.raises(AppError) as caught:
        interviews.answer(ctx, student, record.id, "q-none", "text")
    assert caught.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(AppError) as caught:
        interviews.answer(ctx, student, record.id, q1["id"], "x" * (interviews.MAX_ANSWER_CHARS + 1))
    assert caught.value.code == ErrorCode.INVALID_INPUT

    done = interviews.finish(ctx, student, record.id)
    assert done.result["questions_answered"] == 1 and done.result["questions_total"] == len(record.questions)
    with pytest.raises(AppError) as caught:
        interviews.answer(ctx, student, record.id, q1["id"], "late answer")
    assert caught.value.code == ErrorCode.INVALID_INPUT and "finished" in caught.value.message


def test_recordings_are_stored_under_the_students_prefix_and_replaced(ctx, student, cv, make_user) -> None:
    record = interviews.start_practice(ctx, student, cv.id)
    question = record.questions[0]
    first = interviews.answer(ctx, student, record.id, question["id"], VAGUE, audio=b"RIFF-one")
    key = first.answer_for(question["id"])["audio"]["key"]
    assert key.startswith(f"{student.id}/") and key.endswith(".wav") and ctx.storage.exists(key)
    assert interviews.get_audio(ctx, student, record.id, question["id"]) == (b"RIFF-one", "audio/wav")

    second = interviews.answer(ctx, student, record.id, question["id"], VAGUE, audio=b"RIFF-two")
    assert not ctx.storage.exists(key)  # the replaced recording is gone
    assert interviews.get_audio(ctx, student, record.id, question["id"])[0] == b"RIFF-two"
    assert second.answer_for(question["id"])["audio"]["key"] != key
    assert interviews.get_audio(ctx, student, record.id, record.questions[1]["id"]) is None

    with pytest.raises(AppError) as caught:
        interviews.answer(ctx, student, record.id, question["id"], "", audio=b"RIFF")
    assert caught.value.code == ErrorCode.INVALID_INPUT and "Type your answer" in caught.value.message
    with pytest.raises(AppError):
        interviews.get_audio(ctx, make_user(), record.id, question["id"])


def test_insufficient_credits_and_missing_cv_charge_nothing_and_store_nothing(ctx, student, make_user, job) -> None:
    with pytest.raises(AppError) as caught:
        interviews.start_practice(ctx, student)
    assert caught.value.code == ErrorCode.NOT_FOUND and "Upload a CV" in caught.value.message
    cvs.upload_cv(ctx, student, CV_FILE, (CORPUS / "resumes" / CV_FILE).read_bytes())
    ledger.charge(ctx, student, 9, "spent elsewhere")
    with pytest.raises(AppError) as caught:
        interviews.start_practice(ctx, student, job_id=job.id)  # the default CV
    assert caught.value.code == ErrorCode.INSUFFICIENT_CREDITS and "needs 2 credits" in caught.value.message
    assert ledger.balance(ctx, student) == 1 and count(ctx, Interview) == 0


def test_ai_words_questions_and_feedback_but_scores_stay_the_engines(ctx, student, cv, job) -> None:
    with FakeOpenAI() as fake:
        ai_ctx = AppContext(
            ctx.settings.model_copy(
                update={"ai_provider": "openai", "ai_api_key": API_KEY, "ai_base_url": fake.origin + "/v1"}
            ),
            ctx.db,
        )
        planned = interviews.start_practice(ctx, student, cv.id, job.id).questions
        technical = next(q for q in planned if q["kind"] == "technical")
        worded = [
            {"text": "Model: tell me about a campaign you turned around.", "kind": "behavioural", "skill": None},
            {"text": f"Model: how do you use {technical['skill']}?", "kind": "technical", "skill": technical["skill"]},
            {"text": "Model: how would you run our email programme?", "kind": "situational", "skill": None},
            {"text": "Model: explain Kubernetes.", "kind": "technical", "skill": "kubernetes"},  # not planned
        ]
        fake.script("chat", answer({"questions": worded}))
        record = interviews.start_practice(ai_ctx, student, cv.id, job.id)
        fake.script("chat", answer({"feedback": "Model feedback on your answer.", "tips": ["Model tip."]}))
        first = record.questions[0]
        answered = interviews.answer(ai_ctx, student, record.id, first["id"], strong_answer(first))

    assert record.provider == "openai"
    assert [(q["id"], q["kind"], q["skill"], q["keywords"]) for q in record.questions] == [
        (q["id"], q["kind"], q["skill"], q["keywords"]) for q in planned
    ]
    texts = {q["id"]: q["text"] for q in record.questions}
    assert texts[planned[0]["id"]] == worded[0]["text"]
    assert texts[technical["id"]] == worded[1]["text"]
    assert "Model: explain Kubernetes." not in texts.values()
    other_technical = [q for q in planned if q["kind"] == "technical" and q["id"] != technical["id"]]
    assert all(texts[q["id"]] == q["text"] for q in other_technical)  # no model wording: the engine's text
    coach = answered.answer_for(first["id"])["coach"]
    assert coach == {"feedback": "Model feedback on your answer.", "tips": ["Model tip."], "source": "openai",
                     "note": None}  # fmt: skip
    assert answered.answer_for(first["id"])["evaluation"] == evaluate_answer(first, strong_answer(first))


# --- access -------------------------------------------------------------------------------------------------


def test_other_students_are_told_nothing_and_staff_see_only_their_cohorts(ctx, student, cv, make_user) -> None:
    record = interviews.start_practice(ctx, student, cv.id)
    question_id = record.questions[0]["id"]
    other = make_user()
    calls = {
        "get_interview": lambda who: interviews.get_interview(ctx, who, record.id),
        "answer": lambda who: interviews.answer(ctx, who, record.id, question_id, "mine now"),
        "finish": lambda who: interviews.finish(ctx, who, record.id),
        "refresh_video": lambda who: interviews.refresh_video(ctx, who, record.id),
        "end_video": lambda who: interviews.end_video(ctx, who, record.id),
        "get_audio": lambda who: interviews.get_audio(ctx, who, record.id, question_id),
    }
    for name, call in calls.items():
        with pytest.raises(AppError) as caught:
            call(other)
        assert caught.value.code == ErrorCode.NOT_FOUND, name
    with pytest.raises(AppError) as caught:
        interviews.list_interviews(ctx, other, student_id=student.id)
    assert caught.value.code == ErrorCode.NOT_FOUND
    with pytest.raises(AppError) as caught:
        interviews.start_practice(ctx, other, cv_id=cv.id)  # someone else's CV
    assert caught.value.code == ErrorCode.NOT_FOUND and ledger.balance(ctx, other) == 10
    assert interviews.unfinished(ctx, other) is None

    coach, stranger, admin = make_user(Role.COUNSELOR), make_user(Role.COUNSELOR), make_user(Role.ADMIN)
    cohort = cohorts.create_cohort(ctx, coach, name="Marketing 2027")
    cohorts.join_cohort(ctx, student, cohort.invite_code, consent=True)
    for staff in (coach, admin):
        assert interviews.get_interview(ctx, staff, record.id).id == record.id
        assert [s.id for s in interviews.list_interviews(ctx, staff, student_id=student.id)] == [record.id]
        with pytest.raises(AppError) as caught:
            interviews.answer(ctx, staff, record.id, question_id, "staff cannot answer")
        assert caught.value.code == ErrorCode.NOT_FOUND
    for name in ("get_interview",):
        with pytest.raises(AppError) as caught:
            calls[name](stranger)
        assert caught.value.code == ErrorCode.NOT_FOUND
    assert interviews.get_interview(ctx, student, record.id).answers == []  # nobody else wrote anything


# --- video (Tavus) ------------------------------------------------------------------------------------------


def test_video_is_unavailable_without_a_key_and_costs_nothing(ctx, student, cv, job) -> None:
    assert not interviews.video_available(ctx)
    assert "TAVUS_API_KEY" in interviews.video_unavailable_reason(ctx.settings)
    with pytest.raises(AppError) as caught:
        interviews.start_video(ctx, student, cv.id, job.id)
    assert caught.value.code == ErrorCode.TAVUS_ERROR and "TAVUS_API_KEY" in caught.value.message
    keyed = ctx.settings.model_copy(update={"tavus_api_key": "k", "tavus_persona_id": None, "tavus_replica_id": None})
    assert "TAVUS_REPLICA_ID" in interviews.video_unavailable_reason(keyed)
    assert ledger.balance(ctx, student) == 10 and count(ctx, Interview) == 0


def test_video_create_poll_end_stores_and_scores_the_transcript(video_ctx, tavus, student, cv, job) -> None:
    assert interviews.video_available(video_ctx)
    tavus.end_after_polls = 1
    record = interviews.start_video(video_ctx, student, cv.id, job.id)
    assert ledger.balance(video_ctx, student) == 10 - video_ctx.settings.price_video_interview
    assert (record.mode, record.status, record.provider) == ("video", "in_progress", "tavus")
    assert record.conversation_url == f"https://tavus.daily.co/{record.conversation_id}"

    [create] = tavus.requests_to("POST", "/v2/conversations")
    body = create.body
    assert create.headers["x-api-key"] == tavus.api_key
    assert (body["persona_id"], body["replica_id"]) == ("p-marketing", "r-marketing")  # chosen for the role
    assert body["conversation_name"] == "Mock interview: Digital Marketing Manager"
    assert body["custom_greeting"].startswith("Hi Carla,")
    assert body["properties"]["max_call_duration"] == 900 and body["properties"]["participant_left_timeout"] == 60
    context = body["conversational_context"]
    assert "Growth Marketing Manager at Beehive Software" in context  # the CV's structured summary
    assert "Solstice Outdoor Co." in context  # the job description
    assert all(q["text"] in context for q in record.questions)  # the question plan
    assert "carla.mendes@example.net" not in context and "801-555-0156" not in context  # no contact details

    polled = interviews.refresh_video(video_ctx, student, record.id)
    assert polled.status == "in_progress" and polled.transcript is None
    done = interviews.refresh_video(video_ctx, student, record.id)  # the fake ends the call on this poll
    assert done.status == "completed" and done.completed_at is not None
    assert done.transcript[0]["role"] == "assistant" and len(done.transcript) == 4
    assert done.result["questions_total"] == 1  # "Yes, I'm ready" is small talk, not an answer
    assert done.result["shutdown_reason"] == "participant_left_timeout reached"
    assert 0 < done.result["overall"] <= 100
    assert [h["interview_id"] for h in progress.interview_history(video_ctx, student, student.id)] == [record.id]

    gets = len(tavus.requests_to("GET", f"/v2/conversations/{record.conversation_id}"))
    assert interviews.refresh_video(video_ctx, student, record.id).result == done.result
    assert interviews.end_video(video_ctx, student, record.id).status == "completed"
    assert len(tavus.requests_to("GET", f"/v2/conversations/{record.conversation_id}")) == gets  # no more calls
    assert tavus.requests_to("POST", f"/v2/conversations/{record.conversation_id}/end") == []
    assert count(video_ctx, InterviewResult) == 1


def test_end_button_ends_the_call_and_scores_it(video_ctx, tavus, student, cv, job) -> None:
    record = interviews.start_video(video_ctx, student, cv.id, job.id)
    done = interviews.end_video(video_ctx, student, record.id)
    assert len(tavus.requests_to("POST", f"/v2/conversations/{record.conversation_id}/end")) == 1
    assert done.status == "completed" and done.result["shutdown_reason"] == "end_conversation_endpoint_hit"


def test_a_transcript_that_arrives_after_the_call_ended_is_picked_up(video_ctx, tavus, student, cv, job) -> None:
    record = interviews.start_video(video_ctx, student, cv.id, job.id)
    conversation = tavus.conversations[record.conversation_id]
    conversation.status = "ended"  # the call is over; Tavus has not written the transcript yet
    waiting = interviews.refresh_video(video_ctx, student, record.id)
    assert waiting.status == "processing" and waiting.transcript is None and waiting.result is None
    assert interviews.unfinished(video_ctx, student).id == record.id

    conversation.status = "active"
    tavus.finish(record.conversation_id, reason="participant_left_timeout reached")  # now it arrives
    done = interviews.refresh_video(video_ctx, student, record.id)
    assert done.status == "completed" and done.result["overall"] > 0
    assert interviews.unfinished(video_ctx, student) is None


def test_a_call_without_answers_is_unscored(video_ctx, tavus, student, cv, job) -> None:
    record = interviews.start_video(video_ctx, student, cv.id, job.id)
    tavus.finish(
        record.conversation_id,
        reason="participant_absent_timeout reached",
        transcript=[{"role": "system", "content": "prompt"}, {"role": "assistant", "content": "Hello?"}],
    )
    done = interviews.refresh_video(video_ctx, student, record.id)
    greeting_only = [{"role": "assistant", "content": "Hello?"}]
    assert (done.status, done.result, done.transcript) == ("unscored", None, greeting_only)
    assert done.unscored_reason == interviews.NO_ANSWER_REASON
    assert count(video_ctx, InterviewResult) == 0 and progress.interview_history(video_ctx, student, student.id) == []
    assert refunds(video_ctx, student) == []  # the call took place: Tavus charged for it, so do we


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("400", "did not accept"),
        ("402", "run out of credits"),
        ("500", "having problems"),
        ("hang", "did not answer in time"),
        ("malformed", "unexpected reply"),
    ],
)
def test_failed_creation_refunds_and_leaves_no_interview(video_ctx, tavus, student, cv, job, mode, words) -> None:
    tavus.fail(mode)
    with pytest.raises(AppError) as caught:
        interviews.start_video(video_ctx, student, cv.id, job.id)
    error = caught.value
    assert error.code == ErrorCode.TAVUS_ERROR
    assert words in error.message and "5 credits went back to your wallet" in error.message
    assert tavus.api_key not in error.message
    assert ledger.balance(video_ctx, student) == 10
    assert ledger_kinds(video_ctx, student) == [("welcome", 10), ("charge", -5), ("refund", 5)]
    assert count(video_ctx, Interview) == 0 and interviews.unfinished(video_ctx, student) is None


def test_video_needs_five_credits_before_calling_tavus(video_ctx, tavus, student, cv, job) -> None:
    ledger.charge(video_ctx, student, 6, "spent elsewhere")
    with pytest.raises(AppError) as caught:
        interviews.start_video(video_ctx, student, cv.id, job.id)
    assert caught.value.code == ErrorCode.INSUFFICIENT_CREDITS
    assert tavus.requests == [] and count(video_ctx, Interview) == 0


def test_polling_failure_is_a_plain_error_and_changes_nothing(video_ctx, tavus, student, cv, job) -> None:
    record = interviews.start_video(video_ctx, student, cv.id, job.id)
    tavus.fail("500", times=1)
    with pytest.raises(AppError) as caught:
        interviews.refresh_video(video_ctx, student, record.id)
    assert caught.value.code == ErrorCode.TAVUS_ERROR and "having problems" in caught.value.message
    assert interviews.get_interview(video_ctx, student, record.id).status == "in_progress"
    assert interviews.refresh_video(video_ctx, student, record.id).status == "in_progress"  # healed


def test_practice_and_video_calls_do_not_mix(video_ctx, student, cv, job) -> None:
    practice = interviews.start_practice(video_ctx, student, cv.id, job.id)
    video = interviews.start_video(video_ctx, student, cv.id, job.id)
    for call in (
        lambda: interviews.refresh_video(video_ctx, student, practice.id),
        lambda: interviews.end_video(video_ctx, student, practice.id),
        lambda: interviews.answer(video_ctx, student, video.id, video.questions[0]["id"], "text"),
        lambda: interviews.finish(video_ctx, student, video.id),
    ):
        with pytest.raises(AppError) as caught:
            call()
        assert caught.value.code == ErrorCode.INVALID_INPUT
    assert interviews.unfinished(video_ctx, student).id == video.id  # the newest unfinished one


# --- Tavus callbacks, the bounded wait for the transcript, refunds -----------------------------------------


def token_of(ctx: AppContext, interview_id: int) -> str:
    with ctx.db.session() as session:
        return session.get_one(Interview, interview_id).callback_token


def events_of(tavus: FakeTavus, conversation_id: str) -> dict[str, dict[str, Any]]:
    return {e["event_type"]: e for e in tavus.conversations[conversation_id].events}


def refunds(ctx: AppContext, actor: Actor) -> list[tuple[str, int]]:
    return [kind for kind in ledger_kinds(ctx, actor) if kind[0] == "refund"]


def ended_long_ago(ctx: AppContext, interview_id: int) -> None:
    """Move the call's end back past the transcript wait (rather than sleeping through it)."""
    with ctx.db.session() as session:
        row = session.get_one(Interview, interview_id)
        row.ended_at = row.ended_at - timedelta(seconds=ctx.settings.tavus_transcript_wait_seconds + 1)


def test_each_conversation_gets_its_own_unguessable_callback_url(video_ctx, tavus, student, cv, job) -> None:
    first = interviews.start_video(video_ctx, student, cv.id, job.id)
    second = interviews.start_video(video_ctx, student, cv.id, job.id)
    tokens = [token_of(video_ctx, first.id), token_of(video_ctx, second.id)]
    assert tokens[0] != tokens[1] and all(len(t) >= 43 for t in tokens)  # 32 random bytes each
    sent = [r.body["callback_url"] for r in tavus.requests_to("POST", "/v2/conversations")]
    base = video_ctx.settings.public_base_url.rstrip("/")
    assert sent == [f"{base}/webhooks/tavus/{token}" for token in tokens]


def test_callbacks_store_each_fact_score_once_and_polling_then_agrees(video_ctx, tavus, student, cv, job) -> None:
    record = interviews.start_video(video_ctx, student, cv.id, job.id)
    token, conversation_id = token_of(video_ctx, record.id), record.conversation_id
    tavus.finish(conversation_id, reason="participant_left_timeout reached")
    events = events_of(tavus, conversation_id)

    joined = interviews.record_callback(video_ctx, token, events["system.replica_joined"])
    assert joined.status == "in_progress" and joined.replica_joined_at is not None and joined.ended_at is None
    shutdown = interviews.record_callback(video_ctx, token, events["system.shutdown"])
    assert shutdown.status == "processing" and shutdown.shutdown_reason == "participant_left_timeout reached"
    done = interviews.record_callback(video_ctx, token, events["application.transcription_ready"])
    assert done.status == "completed" and done.result["overall"] > 0 and len(done.transcript) == 4
    assert done.result["shutdown_reason"] == "participant_left_timeout reached"

    again = interviews.record_callback(video_ctx, token, events["application.transcription_ready"])  # a replay
    assert again == done and count(video_ctx, InterviewResult) == 1
    assert interviews.record_callback(video_ctx, token, events["system.shutdown"]) == done
    assert interviews.refresh_video(video_ctx, student, record.id) == done  # polling finds it finished
    assert tavus.requests_to("GET", f"/v2/conversations/{conversation_id}") == []  # and does not even ask

    recording = {"event_type": "application.recording_ready", "conversation_id": conversation_id,
                 "properties": {"bucket_name": "b", "s3_key": "rec/c1.mp4", "duration": 600}}  # fmt: skip
    perception = {"event_type": "application.perception_analysis", "conversation_id": conversation_id,
                  "properties": {"analysis": "Steady eye contact; smiled often."}}  # fmt: skip
    interviews.record_callback(video_ctx, token, recording)
    late = interviews.record_callback(video_ctx, token, perception)  # after scoring: still kept
    assert late.recording == {"bucket_name": "b", "s3_key": "rec/c1.mp4", "duration": 600}
    assert late.perception_analysis == "Steady eye contact; smiled often."
    assert (late.status, late.result) == ("completed", done.result)
    unknown = interviews.record_callback(video_ctx, token, {"event_type": "application.something_new"})
    assert unknown == late
    assert ledger_kinds(video_ctx, student) == [("welcome", 10), ("charge", -5)]  # nothing refunded


def test_unknown_token_or_another_conversation_changes_nothing(video_ctx, tavus, student, cv, job) -> None:
    record = interviews.start_video(video_ctx, student, cv.id, job.id)
    tavus.finish(record.conversation_id)
    transcript = events_of(tavus, record.conversation_id)["application.transcription_ready"]
    assert interviews.record_callback(video_ctx, "x" * 43, transcript) is None
    elsewhere = {**transcript, "conversation_id": "c-someone-else"}
    assert interviews.record_callback(video_ctx, token_of(video_ctx, record.id), elsewhere) is None
    assert interviews.get_interview(video_ctx, student, record.id) == record


def test_a_poll_first_makes_the_callback_a_no_op(video_ctx, tavus, student, cv, job) -> None:
    record = interviews.start_video(video_ctx, student, cv.id, job.id)
    tavus.finish(record.conversation_id)
    polled = interviews.refresh_video(video_ctx, student, record.id)
    assert polled.status == "completed"
    token = token_of(video_ctx, record.id)
    for event in tavus.conversations[record.conversation_id].events:
        assert interviews.record_callback(video_ctx, token, event) == polled
    assert count(video_ctx, InterviewResult) == 1


@pytest.mark.parametrize("first", ["callback", "poll"])
def test_a_call_that_failed_to_start_is_unscored_and_refunded_once(video_ctx, tavus, student, cv, job, first) -> None:
    record = interviews.start_video(video_ctx, student, cv.id, job.id)
    tavus.end_without_transcript(record.conversation_id, "bot_could_not_join_meeting_it_was_probably_ended")
    token, shutdown = token_of(video_ctx, record.id), events_of(tavus, record.conversation_id)["system.shutdown"]
    steps = [lambda: interviews.record_callback(video_ctx, token, shutdown),
             lambda: interviews.refresh_video(video_ctx, student, record.id)]  # fmt: skip
    if first == "poll":
        steps.reverse()
    done = steps[0]()
    assert (done.status, done.result, done.transcript) == ("unscored", None, None)
    assert done.unscored_reason.startswith("The video call could not start")
    assert done.unscored_reason.endswith("Your 5 credits went back to your wallet.")
    assert steps[1]() == done and steps[0]() == done
    assert interviews.end_video(video_ctx, student, record.id) == done
    assert ledger.balance(video_ctx, student) == 10
    assert ledger_kinds(video_ctx, student) == [("welcome", 10), ("charge", -5), ("refund", 5)]
    assert interviews.unfinished(video_ctx, student) is None


def test_no_transcript_within_the_wait_is_unscored_refunded_once_and_a_late_one_changes_nothing(
    video_ctx, tavus, student, cv, job
) -> None:
    record = interviews.start_video(video_ctx, student, cv.id, job.id)
    tavus.end_without_transcript(record.conversation_id, "participant_left_timeout reached")
    waiting = interviews.refresh_video(video_ctx, student, record.id)
    assert waiting.status == "processing" and waiting.ended_at is not None and refunds(video_ctx, student) == []
    assert interviews.settle_stalled_videos(video_ctx) == 0  # still within the wait

    ended_long_ago(video_ctx, record.id)
    done = interviews.refresh_video(video_ctx, student, record.id)
    assert done.status == "unscored" and "no transcript within 15 minutes" in done.unscored_reason
    assert refunds(video_ctx, student) == [("refund", 5)] and ledger.balance(video_ctx, student) == 10

    tavus.conversations[record.conversation_id].status = "active"
    tavus.finish(record.conversation_id)  # the transcript comes after all: too late, the first outcome stands
    late = events_of(tavus, record.conversation_id)["application.transcription_ready"]
    assert interviews.record_callback(video_ctx, token_of(video_ctx, record.id), late) == done
    assert interviews.refresh_video(video_ctx, student, record.id) == done
    assert refunds(video_ctx, student) == [("refund", 5)] and count(video_ctx, InterviewResult) == 0


def test_the_sweep_settles_interviews_nobody_reopens(video_ctx, tavus, student, cv, job) -> None:
    stalled = interviews.start_video(video_ctx, student, cv.id, job.id)
    recent = interviews.start_video(video_ctx, student, cv.id, job.id)
    for record in (stalled, recent):
        tavus.end_without_transcript(record.conversation_id, "participant_left_timeout reached")
        shutdown = events_of(tavus, record.conversation_id)["system.shutdown"]
        assert interviews.record_callback(video_ctx, token_of(video_ctx, record.id), shutdown).status == "processing"
    ended_long_ago(video_ctx, stalled.id)
    assert interviews.settle_stalled_videos(video_ctx) == 1
    assert interviews.settle_stalled_videos(video_ctx) == 0
    assert interviews.get_interview(video_ctx, student, stalled.id).status == "unscored"
    assert interviews.get_interview(video_ctx, student, recent.id).status == "processing"
    assert refunds(video_ctx, student) == [("refund", 5)]


def test_racing_polls_and_callbacks_refund_once(video_ctx, tavus, student, cv, job) -> None:
    record = interviews.start_video(video_ctx, student, cv.id, job.id)
    tavus.end_without_transcript(record.conversation_id)
    token, shutdown = token_of(video_ctx, record.id), events_of(tavus, record.conversation_id)["system.shutdown"]
    calls = [lambda: interviews.record_callback(video_ctx, token, shutdown),
             lambda: interviews.refresh_video(video_ctx, student, record.id)] * 4  # fmt: skip
    with ThreadPoolExecutor(len(calls)) as pool:
        outcomes = [future.result() for future in [pool.submit(call) for call in calls]]
    assert {o.status for o in outcomes} == {"unscored"}
    assert refunds(video_ctx, student) == [("refund", 5)] and ledger.balance(video_ctx, student) == 10


def test_persona_without_a_replica_is_refused_before_charging(video_ctx, tavus, student, cv, job) -> None:
    settings = video_ctx.settings.model_copy(
        update={"tavus_replica_id": None, "tavus_persona_id": "p-no-replica", "tavus_personas": {}}
    )
    persona_only = AppContext(settings, video_ctx.db)
    with pytest.raises(AppError) as caught:
        interviews.start_video(persona_only, student, cv.id, job.id)
    assert caught.value.code == ErrorCode.TAVUS_ERROR and "no video replica" in caught.value.message
    assert "Nothing was charged" in caught.value.message
    assert ledger_kinds(video_ctx, student) == [("welcome", 10)] and count(video_ctx, Interview) == 0
    assert tavus.requests_to("POST", "/v2/conversations") == []
    with_default = AppContext(settings.model_copy(update={"tavus_persona_id": "p-default"}), video_ctx.db)
    assert interviews.start_video(with_default, student, cv.id, job.id).status == "in_progress"
