"""Mock interviews: a text practice interview scored answer by answer, or a Tavus video interview scored
from its transcript. Both are paid, stored with the CV and job they used, and feed the Progress page.

Scores always come from core.practice (deterministic); a configured language model only words the
questions, the per-answer coaching and the video interviewer's briefing, falling back to the engine's own
wording. Money: `ledger.run_paid` charges before any work and refunds when the work raises, so a failed
Tavus call or database write never costs a credit and never leaves an interview row behind.

Statuses: in_progress (answering, or the video call is live) → processing (the call ended, Tavus is still
writing the transcript) → completed (scored; an InterviewResult exists) or unscored (the call ended without
any answer to score). Tavus reports a call through its callback_url (/webhooks/tavus/{token}, core/api) and
the page polls as the fallback; both go through `_settle_video` under the row lock, so whichever comes first
wins. A call that failed to start, or whose transcript has not come TAVUS_TRANSCRIPT_WAIT_SECONDS after it
ended, is unscored and its charge refunded, once.

Spoken answers: `transcribe_answer` turns a recording into text (core.ai.transcribe; nothing is stored), the
student corrects it, and `answer` stores it like a typed answer plus the recording, the machine transcript and
delivery figures (pace, filler words, hedges, repeated words, job terms said) from core.practice.delivery.
Deleting an interview removes its recordings and transcripts with it.

Writes are the owner's alone (anyone else is told the interview does not exist); reads also allow an
admin or a counselor of the student's cohort through `core.access.readable_by`.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.access import Actor, readable_by, require_student_access, view_session
from core.ai.base import LOCAL, Enriched, enrich
from core.ai.schemas import AnswerFeedbackWording, InterviewQuestion, InterviewQuestions, TavusContext
from core.ai.transcribe import Transcript
from core.ai.transcribe_audio import read_wav
from core.billing import ledger
from core.billing.ledger import Charge
from core.config import Settings
from core.context import AppContext
from core.db import utcnow
from core.engine.documents import parse_job
from core.engine.practice import (
    analyse_delivery,
    evaluate_answer,
    generate_questions,
    score_interview,
    score_transcript,
    summarise_delivery,
)
from core.errors import AppError, ErrorCode
from core.input_limits import check_text
from core.integrations.tavus import (
    CallReport,
    TavusClient,
    call_report,
    choose_persona,
    conversation_properties,
    failed_to_start,
    persona_without_replica,
)
from core.models import CV, Interview, InterviewResult, Transaction
from core.storage import new_key
from core.student import jobs

log = logging.getLogger(__name__)

PRACTICE, VIDEO = "practice", "video"
IN_PROGRESS, PROCESSING, COMPLETED, UNSCORED = "in_progress", "processing", "completed", "unscored"
OPEN = (IN_PROGRESS, PROCESSING)
FINISHED = (COMPLETED, UNSCORED)
SCORE_AXES = ("technical", "communication", "job_match", "overall")

MAX_ANSWER_CHARS = 8_000
MAX_AUDIO_BYTES = 10 * 1024 * 1024  # about five minutes of st.audio_input's 16 kHz mono WAV
AUDIO_EXTENSIONS = {"audio/wav": "wav", "audio/x-wav": "wav", "audio/webm": "webm", "audio/ogg": "ogg",
                    "audio/mpeg": "mp3", "audio/mp4": "m4a"}  # fmt: skip
JD_EXCERPT_CHARS = 2_500
CV_SKILLS_SHOWN = 20
NO_JOB_SKILLS = 6  # without a job, the CV's first skills stand in for the required ones
# The engine's kinds and the prompt's: "role" questions are what the prompt calls situational.
MODEL_KIND = {"behavioural": "behavioural", "technical": "technical", "role": "situational"}

NOT_FOUND_MESSAGE = "We could not find that interview."
NO_CV_MESSAGE = "Upload a CV on the My CVs page first, then start an interview."
NO_KEY_HINT = "Video interviews are off. To enable them, set TAVUS_API_KEY (and TAVUS_REPLICA_ID or TAVUS_PERSONA_ID)."
NO_PERSONA_HINT = "Video interviews need a Tavus replica or persona: set TAVUS_REPLICA_ID or TAVUS_PERSONA_ID."
NO_REPLICA_MESSAGE = ("Video interviews are not set up correctly: the interviewer has no video replica. An "
                      "administrator needs to fix it on the Providers page. Nothing was charged.")  # fmt: skip
NO_ANSWER_REASON = "The call ended before any answer could be scored. Start a new interview when you are ready."
FAILED_START_REASON = "The video call could not start (the interviewer could not join), so there is nothing to score."
NO_TRANSCRIPT_REASON = ("The call ended, but the video service sent no transcript within {minutes} minutes, so there "
                        "is nothing to score.")  # fmt: skip
CALLBACK_PATH = "/webhooks/tavus/"


@dataclass(frozen=True)
class InterviewSummary:
    """One line of the history."""

    id: int
    user_id: int
    mode: str
    status: str
    job_title: str
    cv_filename: str
    created_at: datetime
    completed_at: datetime | None
    overall: int | None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


@dataclass(frozen=True)
class InterviewRecord(InterviewSummary):
    cv_id: int | None
    job_id: int | None
    questions: list[dict[str, Any]]
    # One entry per answered question, in question order: {question_id, text, skipped, audio, evaluation,
    # coach: {feedback, tips, source, note}, spoken: {transcript, source, note, delivery} | None, answered_at}.
    answers: list[dict[str, Any]]
    transcript: list[dict[str, str]] | None
    provider: str
    conversation_id: str | None
    conversation_url: str | None
    credits_charged: int
    charge_id: int | None
    updated_at: datetime
    result: dict[str, Any] | None  # score_interview's shape, once scored
    # What Tavus reported about a video call, and the sentence saying why an interview is unscored.
    replica_joined_at: datetime | None
    ended_at: datetime | None
    shutdown_reason: str | None
    recording: dict[str, Any] | None
    perception_analysis: str | None
    unscored_reason: str | None

    def answer_for(self, question_id: str) -> dict[str, Any] | None:
        return next((a for a in self.answers if a.get("question_id") == question_id), None)

    @property
    def next_question(self) -> dict[str, Any] | None:
        """The first question without an answer: where a resumed interview continues."""
        return next((q for q in self.questions if self.answer_for(q["id"]) is None), None)

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers if not a.get("skipped"))


def _record(row: Interview, result: InterviewResult | None) -> InterviewRecord:
    return InterviewRecord(
        id=row.id, user_id=row.user_id, mode=row.mode, status=row.status, job_title=row.job_title,
        cv_filename=row.cv_filename, created_at=row.created_at, completed_at=row.completed_at,
        overall=None if result is None else result.overall, cv_id=row.cv_id, job_id=row.job_id,
        questions=list(row.questions or []), answers=list(row.answers or []),
        transcript=None if row.transcript is None else list(row.transcript), provider=row.provider,
        conversation_id=row.conversation_id, conversation_url=row.conversation_url,
        credits_charged=row.credits_charged, charge_id=row.charge_id, updated_at=row.updated_at,
        result=None if result is None else {**(result.result or {}), **{a: getattr(result, a) for a in SCORE_AXES}},
        replica_joined_at=row.replica_joined_at, ended_at=row.ended_at, shutdown_reason=row.shutdown_reason,
        recording=row.recording, perception_analysis=row.perception_analysis, unscored_reason=row.unscored_reason,
    )  # fmt: skip


def _result_row(session: Session, interview_id: int) -> InterviewResult | None:
    return session.scalar(select(InterviewResult).where(InterviewResult.interview_id == interview_id))


# --- inputs: the CV and the job ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    cv_id: int
    cv_filename: str
    resume: dict[str, Any]
    candidate_name: str
    job_id: int | None
    job_title: str
    job_text: str
    required: list[str]
    keywords: list[str]


def _inputs(ctx: AppContext, actor: Actor, cv_id: int | None, job_id: int | None) -> _Inputs:
    """The student's own CV (the default one when none is chosen) and a job they may read; nothing is
    charged when either is missing."""
    with ctx.db.read() as session:
        if cv_id is None:
            cv = session.scalar(select(CV).where(CV.user_id == actor.id, CV.is_default.is_(True)))
        else:
            cv = session.get(CV, cv_id)
            if cv is not None and cv.user_id != actor.id:
                cv = None
        if cv is None:
            raise AppError(ErrorCode.NOT_FOUND, NO_CV_MESSAGE)
        job = jobs.readable(session, actor, job_id) if job_id is not None else None
        resume = dict(cv.parsed or {})
        name = str(resume.get("name") or actor.name or "").strip()
        with_cv = partial(_Inputs, cv.id, cv.filename, resume, name)
        if job is None:
            latest: dict[str, Any] = next(iter(resume.get("experience") or []), {})
            title = str(latest.get("title") or "").strip()
            skills = [str(s) for s in (resume.get("skills") or [])[:NO_JOB_SKILLS]]
            return with_cv(job_id=None, job_title=title, job_text="", required=skills, keywords=[])
        jd = parse_job(job.text, ctx.settings)  # in a worker: the JD is user text
        return with_cv(job_id=job.id, job_title=job.title or jd.title, job_text=job.text,
                       required=jd.required_skills, keywords=[*jd.preferred_skills, *jd.keywords])  # fmt: skip


def cv_summary(resume: Mapping[str, Any]) -> str:
    """The CV's structured summary for prompts and Tavus: experience, roles, skills, education.

    Contact details stay out: an interviewer does not need them, and they would leave the app.
    """
    lines: list[str] = []
    if resume.get("years_experience"):
        lines.append(f"Experience: about {float(resume['years_experience']):g} years")
    if resume.get("highest_degree"):
        lines.append(f"Highest degree: {resume['highest_degree']}")
    skills = [str(s) for s in resume.get("skills") or []]
    if skills:
        lines.append("Skills: " + ", ".join(skills[:CV_SKILLS_SHOWN]))
    for job in (resume.get("experience") or [])[:3]:
        when = "–".join(str(job[k]) for k in ("start", "end") if job.get(k))
        at = f" at {job['company']}" if job.get("company") else ""
        lines.append(f"- {job.get('title') or 'Role'}{at}" + (f" ({when})" if when else ""))
        lines += [f"  • {bullet}" for bullet in (job.get("bullets") or [])[:2]]
    for school in (resume.get("education") or [])[:2]:
        parts = [str(school[k]) for k in ("degree", "institution", "year") if school.get(k)]
        if parts:
            lines.append("Education: " + ", ".join(parts))
    return "\n".join(lines) or "(the CV has no structured details)"


def _job_excerpt(inputs: _Inputs) -> str:
    text = " ".join(inputs.job_text.split())
    if not text:
        return "(no job description: a general interview based on the CV)"
    return text[:JD_EXCERPT_CHARS] + ("…" if len(text) > JD_EXCERPT_CHARS else "")


def _skills_to_probe(questions: Sequence[Mapping[str, Any]], inputs: _Inputs) -> list[str]:
    skills = [q["skill"] for q in questions if q.get("skill")] + inputs.required
    return list(dict.fromkeys(skills)) or ["general"]


# --- questions --------------------------------------------------------------------------------------------


def _questions(ctx: AppContext, inputs: _Inputs) -> tuple[list[dict[str, Any]], str]:
    """The engine's questions, reworded by the language model when one is configured; (questions, source)."""
    planned = generate_questions(inputs.resume, inputs.job_title, inputs.required, inputs.keywords)
    variables = {
        "role": inputs.job_title or "the candidate's next role",
        "skills": _skills_to_probe(planned, inputs),
        "resume_excerpt": cv_summary(inputs.resume),
        "job_description": _job_excerpt(inputs),
        "count": len(planned),
    }

    def local() -> InterviewQuestions:
        return InterviewQuestions(
            questions=[InterviewQuestion(text=q["text"], kind=MODEL_KIND[q["kind"]], skill=q["skill"]) for q in planned]
        )

    worded = enrich(ctx.ai, "interview_questions", variables, InterviewQuestions, local=local)
    if worded.note:
        log.info("interview questions: %s", worded.note)
    if worded.source == LOCAL:
        return planned, LOCAL
    return reword(planned, worded.value.questions), worded.source


def reword(planned: Sequence[Mapping[str, Any]], worded: Sequence[InterviewQuestion]) -> list[dict[str, Any]]:
    """Give each planned question the model's wording of the same kind (and, for a technical one, the
    same skill), so kinds and expected keywords, and with them the scores, stay the engine's. A planned
    question the model did not cover keeps the engine's text."""
    unused = list(worded)
    out: list[dict[str, Any]] = []
    for question in planned:
        kind, skill = MODEL_KIND[question["kind"]], (question.get("skill") or "").lower()
        match = next(
            (w for w in unused if w.kind == kind and (kind != "technical" or (w.skill or "").lower() == skill)), None
        )
        if match is None:
            out.append(dict(question))
            continue
        unused.remove(match)
        out.append({**question, "text": match.text})
    return out


# --- practice interviews ----------------------------------------------------------------------------------


def start_practice(
    ctx: AppContext, actor: Actor, cv_id: int | None = None, job_id: int | None = None
) -> InterviewRecord:
    """Charge the practice price, then store a new interview with 5–8 questions from the CV and job."""
    inputs = _inputs(ctx, actor, cv_id, job_id)

    def create(paid: Charge) -> InterviewRecord:
        questions, source = _questions(ctx, inputs)
        return _insert(ctx, actor, inputs, paid, mode=PRACTICE, questions=questions, provider=source)

    reason = f"Practice interview: {inputs.job_title or 'general'}"[:300]
    return ledger.run_paid(ctx, actor, ctx.settings.price_practice_interview, reason, create, ref_type="interview")


def _insert(
    ctx: AppContext, actor: Actor, inputs: _Inputs, paid: Charge, *, mode: str, questions: list[dict[str, Any]],
    provider: str, conversation_id: str | None = None, conversation_url: str | None = None,
    callback_token: str | None = None,
) -> InterviewRecord:  # fmt: skip
    with ctx.db.session() as session:
        row = Interview(
            user_id=actor.id, mode=mode, status=IN_PROGRESS, cv_id=inputs.cv_id, job_id=inputs.job_id,
            cv_filename=inputs.cv_filename[:255], job_title=(inputs.job_title or "General interview")[:200],
            questions=questions, answers=[], provider=provider, conversation_id=conversation_id,
            conversation_url=conversation_url, callback_token=callback_token, credits_charged=paid.amount,
            charge_id=paid.id,
        )  # fmt: skip
        session.add(row)
        session.flush()
        return _record(row, None)


def transcribe_answer(ctx: AppContext, actor: Actor, interview_id: int, question_id: str, audio: bytes) -> Transcript:
    """What a recorded answer says, for the student to check and correct before submitting it. Nothing is
    stored; a recording that holds no answer (empty, unreadable, too long, silent, noise) raises with a
    sentence saying what to do."""
    if len(audio) > MAX_AUDIO_BYTES:
        raise AppError(ErrorCode.FILE_TOO_LARGE, "That recording is too long; keep it under about five minutes.")
    _question(_read_own(ctx, actor, interview_id), question_id)
    return ctx.speech.hear(audio)


def answer(
    ctx: AppContext, actor: Actor, interview_id: int, question_id: str, text: str, audio: bytes | None = None,
    audio_type: str = "audio/wav", heard: Transcript | None = None,
) -> InterviewRecord:  # fmt: skip
    """Store the answer to one question with its feedback; answering again replaces it. Empty text skips
    the question (it scores zero). A recording is kept for the student to replay. When it was transcribed
    (`heard`, from transcribe_answer), the text is the transcript as the student corrected it and is scored
    like a typed answer; the delivery figures come from it and the recording's own duration."""
    text = check_text((text or "").strip(), label="The answer", limit=MAX_ANSWER_CHARS)
    if audio and not text:
        raise AppError(ErrorCode.INVALID_INPUT, "Type your answer too (or record it): the feedback is on its words.")
    if audio and len(audio) > MAX_AUDIO_BYTES:
        raise AppError(ErrorCode.INVALID_INPUT, "That recording is too long; keep it under about five minutes.")
    if audio and audio_type not in AUDIO_EXTENSIONS:
        raise AppError(ErrorCode.INVALID_INPUT, "That recording format is not supported.")
    if heard is not None and not audio:
        raise AppError(ErrorCode.INVALID_INPUT, "The recording that was transcribed is missing; record it again.")
    current = _read_own(ctx, actor, interview_id)
    question = _question(current, question_id)
    spoken = None
    if audio and heard is not None:
        duration = read_wav(audio, ctx.settings.transcribe_max_seconds).duration_seconds
        spoken = {"transcript": heard.text, "source": heard.source, "note": heard.note,
                  "delivery": analyse_delivery(text, duration, _terms(ctx, actor, current))}  # fmt: skip

    stored = None
    if audio:
        stored = {"key": new_key(actor.id, AUDIO_EXTENSIONS[audio_type]), "content_type": audio_type}
        ctx.storage.put(stored["key"], audio, audio_type)
    entry = answer_entry(ctx, question, text, audio=stored, spoken=spoken)
    try:
        with ctx.db.session() as session:
            row = _lock_own(session, actor, interview_id)
            _check_open_practice(row)
            replaced = next((a for a in row.answers or [] if a.get("question_id") == question_id), None)
            order = {q["id"]: i for i, q in enumerate(row.questions)}
            kept = [a for a in row.answers or [] if a is not replaced]
            row.answers = sorted([*kept, entry], key=lambda a: order.get(a["question_id"], len(order)))
            row.updated_at = utcnow()
            record = _record(row, None)
    except BaseException:
        if stored:
            _discard(ctx, stored["key"])
        raise
    if replaced and replaced.get("audio"):
        _discard(ctx, replaced["audio"]["key"])
    return record


def _question(record: InterviewRecord, question_id: str) -> dict[str, Any]:
    """The question of an interview still open for answers."""
    _check_open_practice(record)
    question = next((q for q in record.questions if q["id"] == question_id), None)
    if question is None:
        raise AppError(ErrorCode.NOT_FOUND, "That question is not part of this interview.")
    return question


def _terms(ctx: AppContext, actor: Actor, record: InterviewRecord) -> list[str]:
    """The job-related terms to listen for in a spoken answer: the questions' keywords, the job's skills and
    the CV's skills (when the job and CV still exist)."""
    terms = [str(k) for q in record.questions for k in q.get("keywords") or []]
    with ctx.db.read() as session:
        job = jobs.readable(session, actor, record.job_id) if record.job_id is not None else None
        job_text = job.text if job is not None else None
        cv = session.get(CV, record.cv_id) if record.cv_id is not None else None
        if cv is not None and cv.user_id == actor.id:
            terms += [str(s) for s in (cv.parsed or {}).get("skills") or []]
    if job_text is not None:
        jd = parse_job(job_text, ctx.settings)  # in a worker: the JD is user text
        terms += [*jd.required_skills, *jd.preferred_skills]
    return list(dict.fromkeys(t.lower() for t in terms if t))


def answer_entry(
    ctx: AppContext, question: Mapping[str, Any], text: str, audio: dict[str, str] | None = None,
    answered_at: datetime | None = None, spoken: dict[str, Any] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """One stored answer: the text, its checks and coaching, where its recording is kept and, when it was
    spoken, the machine transcript and the delivery figures."""
    evaluation = evaluate_answer(question, text)
    return {"question_id": question["id"], "text": text, "skipped": not text, "audio": audio,
            "evaluation": evaluation, "coach": _coach(ctx, question, text, evaluation), "spoken": spoken,
            "answered_at": (answered_at or utcnow()).isoformat(timespec="seconds")}  # fmt: skip


def _coach(ctx: AppContext, question: Mapping[str, Any], text: str, evaluation: Mapping[str, Any]) -> dict[str, Any]:
    """Plain-words coaching on one answer: the model's when configured, else the engine's sentences."""
    sentences = list(evaluation["feedback"])

    def local() -> AnswerFeedbackWording:
        return AnswerFeedbackWording(feedback=sentences[0], tips=sentences[1:])

    if not text:
        worded: Enriched[AnswerFeedbackWording] = Enriched(local(), LOCAL)
    else:
        facts = {k: evaluation[k] for k in ("score", "scores", "star", "specifics", "keywords_covered",
                                            "keywords_missed", "filler_words", "word_count")}  # fmt: skip
        variables = {"question": question["text"], "answer": text, "skill": question.get("skill") or "general",
                     "assessment": json.dumps(facts, ensure_ascii=False)}  # fmt: skip
        worded = enrich(ctx.ai, "answer_evaluation", variables, AnswerFeedbackWording, local=local)
    return {"feedback": worded.value.feedback, "tips": list(worded.value.tips), "source": worded.source,
            "note": worded.note}  # fmt: skip


def finish(ctx: AppContext, actor: Actor, interview_id: int) -> InterviewRecord:
    """Score the answers (unanswered questions count as zero) and complete the interview; repeatable."""
    with ctx.db.session() as session:
        row = _lock_own(session, actor, interview_id)
        if row.mode != PRACTICE:
            raise AppError(ErrorCode.INVALID_INPUT, "A video interview is scored from its transcript when it ends.")
        if row.status == COMPLETED:
            return _record(row, _result_row(session, row.id))
        if not any(not a.get("skipped") for a in row.answers or []):
            raise AppError(ErrorCode.INVALID_INPUT, "Answer at least one question before you finish.")
        result = score_interview(row.questions, [a["evaluation"] for a in row.answers])
        spoken = [a["spoken"]["delivery"] for a in row.answers or [] if a.get("spoken") and not a.get("skipped")]
        return _complete(session, row, {**result, "delivery": summarise_delivery(spoken)})


def _complete(session: Session, row: Interview, result: dict[str, Any]) -> InterviewRecord:
    delivery = result.get("delivery") or {}
    scored = InterviewResult(interview_id=row.id, user_id=row.user_id, result=result,
                             words_per_minute=delivery.get("words_per_minute"),
                             fillers_per_minute=delivery.get("fillers_per_minute"),
                             **{axis: int(result[axis]) for axis in SCORE_AXES})  # fmt: skip
    session.add(scored)
    row.status, row.completed_at, row.updated_at = COMPLETED, utcnow(), utcnow()
    session.flush()
    return _record(row, scored)


def _check_open_practice(row: Interview | InterviewRecord) -> None:
    if row.mode != PRACTICE:
        raise AppError(ErrorCode.INVALID_INPUT, "Answers to a video interview come from its transcript.")
    if row.status != IN_PROGRESS:
        raise AppError(ErrorCode.INVALID_INPUT, "This interview is finished; start a new one to practise again.")


def unfinished(ctx: AppContext, actor: Actor) -> InterviewRecord | None:
    """The actor's newest interview that is not finished yet, to resume it."""
    with ctx.db.read() as session:
        row = session.scalar(
            select(Interview)
            .where(Interview.user_id == actor.id, Interview.status.in_(OPEN))
            .order_by(Interview.created_at.desc(), Interview.id.desc())
            .limit(1)
        )
        return None if row is None else _record(row, None)


def delete_interview(ctx: AppContext, actor: Actor, interview_id: int) -> None:
    """Delete one of the actor's interviews with its result, answers, transcripts and recordings. Credits are
    not returned (the interview ran); a live video call must be ended first. Recordings are removed after the
    row is gone, so a storage hiccup never leaves half an interview."""
    with ctx.db.session() as session:
        row = _lock_own(session, actor, interview_id)
        if row.mode == VIDEO and row.status == IN_PROGRESS:
            raise AppError(ErrorCode.INVALID_INPUT, "End the video call before deleting this interview.")
        keys = [a["audio"]["key"] for a in row.answers or [] if (a.get("audio") or {}).get("key")]
        session.delete(row)
    for key in keys:
        _discard(ctx, key)


def get_audio(ctx: AppContext, actor: Actor, interview_id: int, question_id: str) -> tuple[bytes, str] | None:
    """The recording kept with an answer (bytes, content type), for whoever may read the interview."""
    record = get_interview(ctx, actor, interview_id)
    stored = (record.answer_for(question_id) or {}).get("audio")
    if not stored:
        return None
    return ctx.storage.get(stored["key"]), stored["content_type"]


# --- video interviews (Tavus) -----------------------------------------------------------------------------


def video_unavailable_reason(settings: Settings) -> str | None:
    """None when video interviews can start; else one line saying how to enable them."""
    if not settings.tavus_api_key:
        return NO_KEY_HINT
    if not (settings.tavus_replica_id or settings.tavus_persona_id or settings.tavus_personas):
        return NO_PERSONA_HINT
    return None


def video_available(ctx: AppContext) -> bool:
    return video_unavailable_reason(ctx.settings) is None and ctx.tavus is not None


def _tavus(ctx: AppContext) -> TavusClient:
    client = ctx.tavus
    problem = video_unavailable_reason(ctx.settings)
    if client is None or problem:
        raise AppError(ErrorCode.TAVUS_ERROR, problem or NO_KEY_HINT)
    return client


def start_video(ctx: AppContext, actor: Actor, cv_id: int | None = None, job_id: int | None = None) -> InterviewRecord:
    """Charge the video price first, then create the Tavus conversation and store the interview.

    A persona without a replica (Tavus would refuse the call) is refused before charging. A failed creation
    refunds the charge and stores nothing; a failed store ends the new conversation so it does not keep
    running (and costing) without an interview the student can see. Each conversation gets its own
    unguessable callback token, the only credential of its callback URL.
    """
    client = _tavus(ctx)
    inputs = _inputs(ctx, actor, cv_id, job_id)
    price = ctx.settings.price_video_interview
    persona_id, replica_id = choose_persona(ctx.settings, inputs.job_title)
    if (problem := persona_without_replica(client, persona_id, replica_id)) is not None:
        log.error("video interview refused: %s", problem)
        raise AppError(ErrorCode.TAVUS_ERROR, NO_REPLICA_MESSAGE)
    token = secrets.token_urlsafe(32)

    def create(paid: Charge) -> InterviewRecord:
        questions = generate_questions(inputs.resume, inputs.job_title, inputs.required, inputs.keywords)
        briefing = tavus_briefing(ctx, inputs, questions)
        try:
            conversation = client.create_conversation(
                replica_id=replica_id,
                persona_id=persona_id,
                conversation_name=f"Mock interview: {inputs.job_title or 'general'}"[:120],
                conversational_context=briefing.context,
                custom_greeting=briefing.greeting,
                properties=conversation_properties(ctx.settings),
                callback_url=ctx.settings.public_base_url.rstrip("/") + CALLBACK_PATH + token,
            )
        except AppError as error:
            returned = f" Your {price} credits went back to your wallet." if price else ""
            raise AppError(ErrorCode.TAVUS_ERROR, error.message + returned, **error.details) from None
        try:
            return _insert(ctx, actor, inputs, paid, mode=VIDEO, questions=questions, provider="tavus",
                           conversation_id=conversation.id, conversation_url=conversation.url,
                           callback_token=token)  # fmt: skip
        except BaseException:
            _end_quietly(client, conversation.id)
            raise

    reason = f"Video interview: {inputs.job_title or 'general'}"[:300]
    return ledger.run_paid(ctx, actor, price, reason, create, ref_type="interview")


def tavus_briefing(ctx: AppContext, inputs: _Inputs, questions: Sequence[Mapping[str, Any]]) -> TavusContext:
    """The interviewer's `conversational_context` and `custom_greeting`.

    A model (when configured) writes the briefing prose from prompts/tavus_context.md; the question plan,
    the CV summary and the job description excerpt are appended by code, so Tavus always gets them.
    """
    first_name = inputs.candidate_name.split()[0] if inputs.candidate_name else "there"
    role = inputs.job_title or "their next role"
    minutes = conversation_properties(ctx.settings)["max_call_duration"] // 60
    summary = cv_summary(inputs.resume)
    variables = {"candidate_name": inputs.candidate_name or "the candidate", "role": role,
                 "skills": _skills_to_probe(questions, inputs), "resume_excerpt": summary,
                 "duration_minutes": minutes}  # fmt: skip

    def local() -> TavusContext:
        return TavusContext(
            context=(
                f"You are interviewing {inputs.candidate_name or 'a candidate'} for the role of {role}. Be "
                "professional and encouraging. Ask one question at a time, let the candidate finish, and ask at "
                f"most one short follow-up per question. Keep the interview to about {minutes} minutes. Never "
                "give scores or verdicts; thank the candidate at the end."
            ),
            greeting=f"Hi {first_name}, thanks for joining. Ready to start your {role} practice interview?",
        )

    worded = enrich(ctx.ai, "tavus_context", variables, TavusContext, local=local).value
    plan = "\n".join(f"{i}. {q['text']}" for i, q in enumerate(questions, 1))
    context = (
        f"{worded.context}\n\nQuestions to cover, in this order and in your own words:\n{plan}\n\n"
        f"Candidate's CV summary:\n{summary}\n\nJob description (excerpt):\n{_job_excerpt(inputs)}"
    )
    return TavusContext(context=context, greeting=worded.greeting)


def refresh_video(ctx: AppContext, actor: Actor, interview_id: int) -> InterviewRecord:
    """Poll Tavus for the conversation's status; once the transcript is there, store and score it."""
    current = _read_own_video(ctx, actor, interview_id, "Only a video interview has a call status to check.")
    if current.finished or not current.conversation_id:
        return current
    state = _tavus(ctx).get_conversation(current.conversation_id, verbose=True)
    with ctx.db.session() as session:
        return _settle_video(ctx, session, _lock_own(session, actor, interview_id), state.report)


def record_callback(ctx: AppContext, token: str, event: Mapping[str, Any]) -> InterviewRecord | None:
    """One Tavus callback event for the interview whose callback URL carries `token`; None (and nothing
    changes) when no interview has that token or the event names another conversation."""
    with ctx.db.session() as session:
        row = session.scalar(select(Interview).where(Interview.callback_token == token).with_for_update())
        if row is None or event.get("conversation_id") not in (None, row.conversation_id):
            return None
        return _settle_video(ctx, session, row, call_report([dict(event)]))


def settle_stalled_videos(ctx: AppContext) -> int:
    """Unscore and refund every video interview whose transcript is overdue, also when nobody opens it again
    (run by the server's periodic sweep); the number settled."""
    cutoff = utcnow() - timedelta(seconds=ctx.settings.tavus_transcript_wait_seconds)
    with ctx.db.read() as session:
        stalled = list(session.scalars(
            select(Interview.id).where(Interview.status == PROCESSING, Interview.ended_at < cutoff)
        ))  # fmt: skip
    settled = 0
    for interview_id in stalled:
        with ctx.db.session() as session:
            row = session.get_one(Interview, interview_id, with_for_update=True)
            settled += _settle_video(ctx, session, row, CallReport()).status == UNSCORED
    return settled


def end_video(ctx: AppContext, actor: Actor, interview_id: int) -> InterviewRecord:
    """End the call (Tavus accepts ending an ended call) and pick up whatever status follows."""
    current = _read_own_video(ctx, actor, interview_id, "Only a video interview has a call to end.")
    if current.finished or not current.conversation_id:
        return current
    _tavus(ctx).end_conversation(current.conversation_id)
    return refresh_video(ctx, actor, interview_id)


def _read_own_video(ctx: AppContext, actor: Actor, interview_id: int, not_video: str) -> InterviewRecord:
    current = _read_own(ctx, actor, interview_id)
    if current.mode != VIDEO:
        raise AppError(ErrorCode.INVALID_INPUT, not_video)
    return current


def _settle_video(ctx: AppContext, session: Session, row: Interview, report: CallReport) -> InterviewRecord:
    """Record what Tavus reported and move the locked interview on: the one path for polls and callbacks, so
    two of them cannot both score a transcript or refund a charge, and a report that adds nothing changes
    nothing. A finished interview still keeps a late recording or perception analysis."""
    changed = _note_report(row, report)
    if row.status in FINISHED:
        if changed:
            row.updated_at = utcnow()
        return _record(row, _result_row(session, row.id))
    if report.transcript is not None:
        row.transcript = report.transcript
        result = score_transcript(report.transcript, row.questions)
        if result["questions_answered"]:
            return _complete(session, row, {**result, "shutdown_reason": row.shutdown_reason})
        return _unscored(session, row, NO_ANSWER_REASON, refund=False)
    if failed_to_start(row.shutdown_reason):
        return _unscored(session, row, FAILED_START_REASON, refund=True)
    wait = ctx.settings.tavus_transcript_wait_seconds
    if row.ended_at is not None and utcnow() - row.ended_at >= timedelta(seconds=wait):
        return _unscored(session, row, NO_TRANSCRIPT_REASON.format(minutes=f"{wait / 60:g}"), refund=True)
    status = IN_PROGRESS if row.ended_at is None else PROCESSING
    if changed or status != row.status:
        row.status, row.updated_at = status, utcnow()
    return _record(row, None)


def _note_report(row: Interview, report: CallReport) -> bool:
    """Keep the first report of each fact (the call's end, its shutdown reason, …); True when one was new."""
    new = {
        "replica_joined_at": report.replica_joined_at, "ended_at": utcnow() if report.ended else None,
        "shutdown_reason": report.shutdown_reason, "recording": report.recording,
        "perception_analysis": report.perception_analysis,
    }  # fmt: skip
    changed = False
    for name, value in new.items():
        if value is not None and getattr(row, name) is None:
            setattr(row, name, value)
            changed = True
    return changed


def _unscored(session: Session, row: Interview, reason: str, *, refund: bool) -> InterviewRecord:
    """Close the interview as unscored, saying why; with `refund`, its charge goes back, at most once."""
    paid = session.get(Transaction, row.charge_id) if refund and row.charge_id else None
    if paid is not None and ledger.refund_of(session, paid.id) is None:
        ledger.refund_in(session, paid, f"Refund: video interview {row.id} could not be scored", actor_id=None)
        reason += f" Your {-paid.amount} credits went back to your wallet."
    row.status, row.completed_at, row.updated_at, row.unscored_reason = UNSCORED, utcnow(), utcnow(), reason[:300]
    return _record(row, None)


def _end_quietly(client: TavusClient, conversation_id: str) -> None:
    try:
        client.end_conversation(conversation_id)
    except AppError:
        log.warning("could not end orphaned Tavus conversation %s", conversation_id)


# --- reading ----------------------------------------------------------------------------------------------


def list_interviews(ctx: AppContext, actor: Actor, student_id: int | None = None) -> list[InterviewSummary]:
    """A student's interviews with their overall score when scored, newest first."""
    owner = actor.id if student_id is None else student_id
    query = (
        select(Interview.id, Interview.user_id, Interview.mode, Interview.status, Interview.job_title,
               Interview.cv_filename, Interview.created_at, Interview.completed_at, InterviewResult.overall)
        .outerjoin(InterviewResult, InterviewResult.interview_id == Interview.id)
        .where(Interview.user_id == owner)
        .order_by(Interview.created_at.desc(), Interview.id.desc())
    )  # fmt: skip
    with view_session(ctx.db, actor) as session:
        require_student_access(session, actor, owner, purpose="interviews")
        return [InterviewSummary(*row) for row in session.execute(query)]


def get_interview(ctx: AppContext, actor: Actor, interview_id: int) -> InterviewRecord:
    """An interview with its answers, transcript and result. Other students are told it does not exist."""
    with view_session(ctx.db, actor) as session:
        row = readable_by(
            session, actor, session.get(Interview, interview_id), purpose="interview", not_found=NOT_FOUND_MESSAGE
        )
        return _record(row, _result_row(session, row.id))


def _read_own(ctx: AppContext, actor: Actor, interview_id: int) -> InterviewRecord:
    with ctx.db.read() as session:
        row = session.get(Interview, interview_id)
        if row is None or row.user_id != actor.id:
            raise AppError(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE)
        return _record(row, _result_row(session, row.id))


def _lock_own(session: Session, actor: Actor, interview_id: int) -> Interview:
    """The actor's own interview, locked for this transaction (SQLite's write lock already serialises)."""
    row = session.get(Interview, interview_id, with_for_update=True)
    if row is None or row.user_id != actor.id:
        raise AppError(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE)
    return row


def _discard(ctx: AppContext, key: str) -> None:
    try:
        ctx.storage.delete(key)
    except AppError:
        log.warning("could not remove recording %s", key)
