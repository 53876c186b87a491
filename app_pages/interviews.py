"""Interviews: a practice interview one question at a time, answered by typing or speaking (the recording is
transcribed and the student corrects the words before submitting), or a live video interview with an AI
interviewer (Tavus); feedback after every answer, results, and the history of past interviews."""

from __future__ import annotations

import hashlib
import logging
import time

import streamlit as st

from core.billing import ledger
from core.errors import AppError, ErrorCode
from core.student import cvs, interviews, jobs
from core.student.interviews import (
    COMPLETED,
    IN_PROGRESS,
    OPEN,
    PRACTICE,
    PROCESSING,
    VIDEO,
    InterviewRecord,
    Transcript,
)
from core.ui.actions import clicked, done, flash, once_button, show_flashes
from core.ui.clock import when
from core.ui.feedback import user_errors
from core.ui.interview_view import (
    MODE_LABELS,
    TRANSCRIBERS,
    render_feedback,
    render_result,
    spoken_length,
    status_label,
)
from core.ui.state import current_actor, get_ctx
from core.ui.text import plain
from core.ui.widgets import history_row

log = logging.getLogger("interviewprep")
POLL_SECONDS = 15  # how often an open video interview asks Tavus for its status
ALL_ANSWERED = ""  # cursor value: every question has an answer

actor = current_actor()
ctx = get_ctx()
state = st.session_state

st.title("Interviews")
st.caption(
    "Rehearse with questions built from your CV and the job, get feedback on every answer, and track your scores."
)
show_flashes()


def open_interview(interview_id: int) -> None:
    state["iv_open"] = interview_id


def close_interview() -> None:
    state.pop("iv_open", None)


# --- starting -----------------------------------------------------------------------------------------------


def start_form() -> None:
    records = cvs.list_cvs(ctx, actor)
    if not records:
        st.info("Upload a CV first; the questions are built from it.", icon=":material/upload_file:")
        st.page_link("app_pages/cvs.py", label="Go to My CVs", icon=":material/description:")
        return
    pending = interviews.unfinished(ctx, actor)
    if pending is not None:
        with st.container(border=True):
            st.markdown(
                f"**You have an unfinished {MODE_LABELS[pending.mode].lower()} interview** for {pending.job_title} "
                f"({status_label(pending.status).lower()}"
                + (f", {len(pending.answers)} of {len(pending.questions)} answered" if pending.mode == PRACTICE else "")
                + ")."
            )
            st.button("Resume interview", key="iv_resume", on_click=open_interview, args=(pending.id,), type="primary",
                      icon=":material/play_arrow:")  # fmt: skip

    unavailable = interviews.video_unavailable_reason(ctx.settings)
    with st.container(border=True):
        st.subheader("Start a new interview")
        by_cv = {record.id: record for record in records}
        cv_id = st.selectbox(
            "CV", list(by_cv), key="iv_cv",
            format_func=lambda i: by_cv[i].filename + (" (default)" if by_cv[i].is_default else ""),
        )  # fmt: skip
        by_job = {job.id: job for job in jobs.list_jobs(ctx, actor)}
        job_id = st.selectbox(
            "Job", [None, *by_job], key="iv_job",
            format_func=lambda i: "No specific job (questions from your CV)" if i is None else by_job[i].label,
        )  # fmt: skip
        if not by_job:
            st.caption("Save a job on the Jobs page to get questions for that role.")
        prices = {PRACTICE: ctx.settings.price_practice_interview, VIDEO: ctx.settings.price_video_interview}
        mode = st.radio(
            "Mode", [PRACTICE, VIDEO], key="iv_mode", horizontal=True, format_func=MODE_LABELS.get,
            captions=[
                f"Typed or spoken answers, one question at a time · {prices[PRACTICE]} credits",
                "Unavailable" if unavailable else f"Live call with an AI interviewer · {prices[VIDEO]} credits",
            ],
        )  # fmt: skip
        if unavailable:
            st.info(unavailable, icon=":material/videocam_off:")
        blocked = mode == VIDEO and unavailable is not None
        st.caption(
            f"This interview costs {prices[mode]} credits; you have {ledger.balance(ctx, actor)}. "
            "If it cannot start, the credits go straight back."
        )
        once_button("Start interview", name="iv_start", payload={"cv_id": cv_id, "job_id": job_id, "mode": mode},
                    type="primary", icon=":material/record_voice_over:", disabled=blocked)  # fmt: skip
    if (click := clicked("iv_start")) is not None:
        handle_start(*click)


def handle_start(request_key: str, payload: dict) -> None:
    if state.get("iv_last_start") == request_key:  # a double click: this request already started one
        return
    record = None
    starting = "Setting up your interviewer…" if payload["mode"] == VIDEO else "Writing your questions…"
    with st.spinner(starting), user_errors():
        start = interviews.start_video if payload["mode"] == VIDEO else interviews.start_practice
        record = start(ctx, actor, payload["cv_id"], payload["job_id"])
    if record is None:
        return
    state["iv_last_start"] = request_key
    done("iv_start")
    open_interview(record.id)
    flash(f"Your {MODE_LABELS[record.mode].lower()} interview for {record.job_title} has started. "
          f"{record.credits_charged} credits used.")  # fmt: skip
    st.rerun()


# --- practice -----------------------------------------------------------------------------------------------


def practice_view(record: InterviewRecord) -> None:
    total = len(record.questions)
    st.progress(len(record.answers) / total, text=f"{len(record.answers)} of {total} questions answered")
    cursor_key = f"iv_cursor_{record.id}"
    if cursor_key not in state:
        state[cursor_key] = (record.next_question or {}).get("id", ALL_ANSWERED)
    question = next((q for q in record.questions if q["id"] == state[cursor_key]), None)
    if question is None:
        st.success("You answered every question. Finish to see your scores.", icon=":material/task_alt:")
    else:
        question_panel(record, question, cursor_key)
    left, right = st.columns(2)
    confirm_key = f"iv_confirm_finish_{record.id}"
    unanswered = total - len(record.answers)
    if left.button("Finish and see results", key="iv_finish", type="primary", disabled=record.answered == 0,
                   icon=":material/flag:"):  # fmt: skip
        if unanswered:
            state[confirm_key] = True
        else:
            finish(record)
    right.button("Leave and resume later", key="iv_leave", on_click=close_interview, icon=":material/pause:")
    if unanswered and state.get(confirm_key):
        st.warning(f"{unanswered} of {total} questions have no answer yet; they count as zero. Finish anyway?",
                   icon=":material/help:")  # fmt: skip
        yes, no = st.columns(2)
        if yes.button("Finish anyway", key="iv_finish_yes", type="primary"):
            finish(record)
        no.button("Keep answering", key="iv_finish_no", on_click=state.pop, args=(confirm_key, None))


def finish(record: InterviewRecord) -> None:
    with user_errors():
        finished = interviews.finish(ctx, actor, record.id)
        flash(f"Interview complete: {finished.overall} / 100 overall.")
        st.rerun()


def question_panel(record: InterviewRecord, question: dict, cursor_key: str) -> None:
    number = record.questions.index(question) + 1
    with st.container(border=True):
        st.caption(f"Question {number} of {len(record.questions)} · {question['kind']}"
                   + (f" · {plain(question['skill'])}" if question.get("skill") else ""))  # fmt: skip
        st.markdown(f"#### {plain(question['text'])}")
        entry = record.answer_for(question["id"])
        retry_key = f"iv_retry_{record.id}_{question['id']}"
        if entry is not None and not state.get(retry_key):
            if entry["text"]:
                st.markdown(f"> {plain(entry['text'])}")
            if entry.get("audio"):
                with user_errors():
                    audio = interviews.get_audio(ctx, actor, record.id, question["id"])
                    if audio is not None:
                        st.audio(audio[0], format=audio[1])
            render_feedback(entry)
            again, following = st.columns(2)
            again.button("Answer again", key=f"iv_again_{question['id']}", on_click=state.__setitem__,
                         args=(retry_key, True), icon=":material/replay:")  # fmt: skip
            following.button("Next question", key=f"iv_next_{question['id']}", type="primary",
                             on_click=state.__setitem__, args=(cursor_key, following_question(record, question)),
                             icon=":material/arrow_forward:")  # fmt: skip
            return
        text_key = f"iv_text_{record.id}_{question['id']}"
        recording = st.audio_input("Speak your answer (optional): it is transcribed for you to check",
                                   key=f"iv_audio_{record.id}_{question['id']}")  # fmt: skip
        heard = listen(record, question, recording, text_key)
        st.text_area("Your answer" if heard is None else "Your answer, as transcribed: correct any misheard words",
                     key=text_key, height=200,
                     placeholder="Situation, task, what you did, and the result (with a number).")  # fmt: skip
        submit, skip = st.columns(2)
        empty_key = f"iv_confirm_empty_{record.id}_{question['id']}"
        if submit.button("Submit answer", key=f"iv_submit_{question['id']}", type="primary", icon=":material/send:"):
            if state.get(text_key, "").strip():
                submit_answer(record, question, state[text_key], recording if heard else None, retry_key, heard)
            else:
                state[empty_key] = True
        if skip.button("Skip question", key=f"iv_skip_{question['id']}", icon=":material/skip_next:"):
            submit_answer(record, question, "", None, retry_key, None)
        if state.get(empty_key) and not state.get(text_key, "").strip():
            st.warning("Your answer is empty. Skip this question? A skipped question counts as zero.",
                       icon=":material/help:")  # fmt: skip
            yes, no = st.columns(2)
            if yes.button("Yes, skip it", key=f"iv_empty_yes_{question['id']}"):
                submit_answer(record, question, "", None, retry_key, None)
            no.button("Keep writing", key=f"iv_empty_no_{question['id']}", on_click=state.pop, args=(empty_key, None))


def listen(record: InterviewRecord, question: dict, recording, text_key: str) -> Transcript | None:
    """Transcribe a new recording once and put its words in the answer box; the transcript of the current
    recording, or None (no recording, or one that could not be used: the student types instead)."""
    heard_key = f"iv_heard_{record.id}_{question['id']}"
    if recording is None:
        state.pop(heard_key, None)
        return None
    data = recording.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    if (state.get(heard_key) or ("",))[0] != digest:
        transcript, problem = None, None
        with st.spinner("Transcribing your answer…"):
            try:
                transcript = interviews.transcribe_answer(ctx, actor, record.id, question["id"], data)
            except AppError as error:
                problem = error.message
            except Exception:  # a bug must still leave the student a sentence and the typed path
                log.exception("transcription failed unexpectedly")
                problem = AppError(ErrorCode.TRANSCRIPTION_ERROR).message
        state[heard_key] = (digest, transcript, problem)
        if transcript is not None:
            state[text_key] = transcript.text
    _, transcript, problem = state[heard_key]
    if problem:
        st.error(f"{plain(problem)} Your answer is scored on what you type; this recording will not be kept.",
                 icon=":material/mic_off:")  # fmt: skip
    elif transcript is not None:
        st.caption(f"{spoken_length(transcript.duration_seconds)} recorded, transcribed by "
                   f"{TRANSCRIBERS.get(transcript.source, transcript.source)}."
                   + (f" {plain(transcript.note)}" if transcript.note else ""))  # fmt: skip
    return transcript


def following_question(record: InterviewRecord, question: dict) -> str:
    """The next unanswered question after this one (wrapping round), or ALL_ANSWERED."""
    start = record.questions.index(question) + 1
    ordered = record.questions[start:] + record.questions[:start]
    return next((q["id"] for q in ordered if record.answer_for(q["id"]) is None), ALL_ANSWERED)


def submit_answer(
    record: InterviewRecord, question: dict, text: str, recording, retry_key: str, heard: Transcript | None
) -> None:
    with user_errors():
        audio = recording.getvalue() if recording is not None else None
        interviews.answer(ctx, actor, record.id, question["id"], text, audio=audio,
                          audio_type=getattr(recording, "type", None) or "audio/wav", heard=heard)  # fmt: skip
        state.pop(retry_key, None)
        st.rerun()


# --- video --------------------------------------------------------------------------------------------------


def video_view(record: InterviewRecord) -> None:
    if record.status == IN_PROGRESS and record.conversation_url:
        st.caption("Allow camera and microphone when your browser asks. Press End interview when you are done; "
                   "your scores appear once the transcript arrives, usually within a few minutes.")  # fmt: skip
        st.iframe(record.conversation_url, height=620)
        st.link_button("Open in a new tab", record.conversation_url, icon=":material/open_in_new:")
    else:
        st.info("The call has ended. Waiting for the transcript to score it…", icon=":material/hourglass_top:")
    check, end, leave = st.columns(3)
    if check.button("Check status", key="iv_check", icon=":material/refresh:"):
        poll(record, force=True)
    if record.status == IN_PROGRESS and end.button("End interview", key="iv_end", type="primary",
                                                   icon=":material/call_end:"):  # fmt: skip
        with user_errors():
            ended = interviews.end_video(ctx, actor, record.id)
            flash("The call has ended." + (" Your scores are ready." if ended.status == COMPLETED else ""))
            st.rerun()
    leave.button("Leave and check later", key="iv_leave", on_click=close_interview, icon=":material/pause:")
    auto_poll(record)


def poll(record: InterviewRecord, *, force: bool = False) -> None:
    """Ask Tavus for the status at most every POLL_SECONDS (or now, when forced); rerun the page on a change."""
    stamp_key = f"iv_polled_{record.id}"
    if not force and time.monotonic() - state.get(stamp_key, 0.0) < POLL_SECONDS:
        return
    state[stamp_key] = time.monotonic()
    with user_errors():
        fresh = interviews.refresh_video(ctx, actor, record.id)
        if fresh.status != record.status:
            st.rerun()


@st.fragment(run_every=POLL_SECONDS)
def auto_poll(record: InterviewRecord) -> None:
    poll(record)


# --- one interview, and the history ---------------------------------------------------------------------


def interview_view(record: InterviewRecord) -> None:
    st.subheader(f"{MODE_LABELS[record.mode]} interview: {plain(record.job_title)}")
    st.caption(f"CV: {plain(record.cv_filename)} · started {when(record.created_at)} · "
               f"{status_label(record.status)}")  # fmt: skip
    if record.status in OPEN and record.mode == PRACTICE:
        practice_view(record)
    elif record.status in (IN_PROGRESS, PROCESSING):
        video_view(record)
    else:
        render_result(record)
        back, remove = st.columns(2)
        back.button("Back to interviews", key="iv_back", on_click=close_interview, icon=":material/arrow_back:")
        if remove.toggle("Delete this interview", key=f"iv_delete_ask_{record.id}"):
            st.warning("This deletes the interview with its answers, transcripts and recordings. It cannot be undone.",
                       icon=":material/delete:")  # fmt: skip
            if st.button("Delete interview", key="iv_delete", icon=":material/delete_forever:"):
                with user_errors():
                    interviews.delete_interview(ctx, actor, record.id)
                    close_interview()
                    flash("The interview, its transcripts and its recordings were deleted.")
                    st.rerun()


if (open_id := state.get("iv_open")) is not None:
    opened = None
    with user_errors():
        opened = interviews.get_interview(ctx, actor, open_id)
    if opened is None:
        close_interview()
    else:
        interview_view(opened)
else:
    start_form()

history = interviews.list_interviews(ctx, actor)
if history:
    st.divider()
    st.subheader("Past interviews")
    for item in history:
        history_row(
            f"**{plain(item.job_title)}** · {MODE_LABELS[item.mode]}  \n{plain(item.cv_filename)} · "
            f"{when(item.created_at)} · {status_label(item.status)}",
            "Overall", "–" if item.overall is None else item.overall,
            button="Resume" if item.status in OPEN else "Open", key=f"iv_open_{item.id}",
            on_click=open_interview, args=(item.id,), disabled=item.id == open_id,
        )  # fmt: skip
