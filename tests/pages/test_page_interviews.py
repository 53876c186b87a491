"""AppTest of the Interviews page: a practice interview answered in the page, left and resumed, finished and
shown on Progress; a video interview against the fake Tavus; the "video unavailable" line without a key."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from core.billing import ledger
from core.models import Interview
from core.student import cvs, interviews, jobs, progress
from tests.conftest import CORPUS
from tests.fakes.tavus_server import FakeTavus
from tests.pages.shown import texts
from tests.services.test_interviews import CV_FILE, JD_TEXT, VAGUE, strong_answer

PAGE = "app_pages/interviews.py"


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.fixture
def student(app_env, make_user):
    student = make_user()
    cvs.upload_cv(app_env, student, CV_FILE, (CORPUS / "resumes" / CV_FILE).read_bytes())
    return student


@pytest.fixture
def job(app_env, student):
    return jobs.save_job(app_env, student, title="Digital Marketing Manager", text=JD_TEXT)


@pytest.fixture
def tavus(monkeypatch) -> Iterator[FakeTavus]:
    with FakeTavus() as fake:
        monkeypatch.setenv("TAVUS_API_KEY", fake.api_key)
        monkeypatch.setenv("TAVUS_BASE_URL", fake.url)
        monkeypatch.setenv("TAVUS_REPLICA_ID", "r-default")
        monkeypatch.setenv("TAVUS_TIMEOUT_SECONDS", "2")
        yield fake


def start(at: AppTest, job_id: int, mode: str) -> AppTest:
    at.selectbox(key="iv_job").select(job_id).run()
    at.radio(key="iv_mode").set_value(mode).run()
    button(at, "Start interview").click()
    return at.run()


def answer_current(at: AppTest, record: interviews.InterviewRecord, text: str) -> AppTest:
    question = record.next_question
    at.text_area(key=f"iv_text_{record.id}_{question['id']}").input(text)
    at.button(key=f"iv_submit_{question['id']}").click()
    return at.run()


def test_without_a_tavus_key_video_is_shown_unavailable_with_how_to_enable(open_app, app_env, student, job):
    at = open_app(student, page=PAGE)
    assert not at.exception
    assert at.radio(key="iv_mode").options == ["Practice", "Video"]
    [hint] = [i for i in texts(at, "info") if "TAVUS_API_KEY" in i]
    assert hint.startswith("Video interviews are off.")
    at.radio(key="iv_mode").set_value("video").run()
    assert button(at, "Start interview").disabled
    assert not at.error and not at.exception
    assert ledger.balance(app_env, student) == 10


def test_practice_interview_in_the_page_leave_resume_finish_and_progress(open_app, app_env, student, job):
    at = open_app(student, page=PAGE)
    assert any("costs 2 credits; you have 10" in c for c in texts(at, "caption"))
    at = start(at, job.id, "practice")
    assert not at.exception, at.exception
    [record] = interviews.list_interviews(app_env, student)
    record = interviews.get_interview(app_env, student, record.id)
    assert any("has started. 2 credits used." in s for s in texts(at, "success"))
    assert at.get("progress")[0].proto.value == 0
    assert record.questions[0]["text"] in " ".join(texts(at, "markdown"))

    # First answer: feedback on STAR, specifics, keywords, fillers and length appears under the question.
    at = answer_current(at, record, strong_answer(record.questions[0]))
    assert not at.exception
    markdown = " ".join(texts(at, "markdown"))
    assert "Answer score:" in markdown and "**Filler words:**" in markdown
    assert "**STAR:** :green[:material/check_circle:] situation" in markdown  # an icon, not an emoji
    assert "**Length:**" in markdown and "**Specifics:**" in markdown and "**Job keywords:**" in markdown
    at.button(key=f"iv_next_{record.questions[0]['id']}").click().run()

    # Second answer typed beside a recording that is not audio: the student is told, the typed answer is
    # scored and the recording is not kept (spoken answers: tests/pages/test_page_spoken_answers.py). Then leave.
    record = interviews.get_interview(app_env, student, record.id)
    question = record.next_question
    at.audio_input(key=f"iv_audio_{record.id}_{question['id']}").set_value(("answer.wav", b"RIFF-test", "audio/wav"))
    at = answer_current(at, record, VAGUE)
    assert not at.exception
    assert "Filler words:** um ×1, basically ×1" in " ".join(texts(at, "markdown"))
    assert interviews.get_audio(app_env, student, record.id, question["id"]) is None
    at.button(key="iv_leave").click().run()
    assert "iv_open" not in at.session_state

    # A later visit offers to resume at the third question.
    at = open_app(student, page=PAGE)
    assert any("unfinished practice interview" in m and "2 of" in m for m in texts(at, "markdown"))
    at.button(key="iv_resume").click().run()
    record = interviews.get_interview(app_env, student, record.id)
    assert record.next_question == record.questions[2]
    assert record.questions[2]["text"] in " ".join(texts(at, "markdown"))
    while (record := interviews.get_interview(app_env, student, record.id)).next_question is not None:
        at = answer_current(at, record, strong_answer(record.next_question))
        at.button(key=f"iv_next_{record.next_question['id']}").click().run()
    assert any("You answered every question" in s for s in texts(at, "success"))
    at.button(key="iv_finish").click().run()
    assert not at.exception

    done = interviews.get_interview(app_env, student, record.id)
    assert done.status == "completed"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Overall"] == str(done.result["overall"]) and metrics["Job match"] == str(done.result["job_match"])
    markdown = " ".join(texts(at, "markdown"))
    assert "**Strengths**" in markdown and "**Recommendations**" in markdown
    assert done.result["recommendations"][0] in markdown
    assert ledger.balance(app_env, student) == 8

    # The scores reach the Progress page.
    assert progress.interview_history(app_env, student, student.id)[0]["overall"] == done.result["overall"]
    at.switch_page("app_pages/progress.py").run()
    assert not at.exception
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    [chart] = [spec for spec in specs if spec["layout"]["title"]["text"] == "Interview scores"]
    assert {trace["name"]: trace["y"] for trace in chart["data"]}["Overall"] == [done.result["overall"]]


def test_empty_submit_and_early_finish_ask_first(open_app, app_env, student, job):
    at = start(open_app(student, page=PAGE), job.id, "practice")
    [summary] = interviews.list_interviews(app_env, student)
    record = interviews.get_interview(app_env, student, summary.id)
    first = record.next_question
    at.button(key=f"iv_submit_{first['id']}").click().run()  # nothing typed
    assert any("Your answer is empty. Skip this question?" in w for w in texts(at, "warning"))
    assert interviews.get_interview(app_env, student, record.id).answers == []  # nothing stored yet
    at.button(key=f"iv_empty_no_{first['id']}").click().run()
    assert not at.warning
    at = answer_current(at, record, strong_answer(first))

    at.button(key="iv_finish").click().run()  # 1 of 5+ answered
    total = len(record.questions)
    assert f"{total - 1} of {total} questions have no answer yet; they count as zero. Finish anyway?" in texts(
        at, "warning"
    )
    assert interviews.get_interview(app_env, student, record.id).status != "completed"
    at.button(key="iv_finish_yes").click().run()
    assert not at.exception
    assert interviews.get_interview(app_env, student, record.id).status == "completed"
    assert ledger.balance(app_env, student) == 8  # one practice interview, charged once


def test_video_interview_in_the_page_against_fake_tavus(open_app, app_env, student, job, tavus):
    at = open_app(student, page=PAGE)
    assert not [i for i in texts(at, "info") if "TAVUS_API_KEY" in i]
    at = start(at, job.id, "video")
    assert not at.exception, at.exception
    [summary] = interviews.list_interviews(app_env, student)
    record = interviews.get_interview(app_env, student, summary.id)
    assert record.mode == "video" and ledger.balance(app_env, student) == 5
    [frame] = at.get("iframe")
    assert frame.proto.src == record.conversation_url
    assert at.get("link_button")[0].proto.url == record.conversation_url
    assert len(tavus.requests_to("GET", f"/v2/conversations/{record.conversation_id}")) == 1  # first status poll

    at.button(key="iv_check").click().run()
    assert not at.exception and interviews.get_interview(app_env, student, record.id).status == "in_progress"
    at.button(key="iv_end").click().run()
    assert not at.exception
    assert len(tavus.requests_to("POST", f"/v2/conversations/{record.conversation_id}/end")) == 1
    done = interviews.get_interview(app_env, student, record.id)
    assert done.status == "completed"
    assert {m.label: m.value for m in at.metric}["Overall"] == str(done.result["overall"])
    assert [e.label for e in at.expander] == ["Transcript"]


def test_video_page_waits_for_the_transcript_then_shows_the_scores(open_app, app_env, student, job, tavus):
    """The student left the call: the page stops showing the call and polls until Tavus has the transcript."""
    at = start(open_app(student, page=PAGE), job.id, "video")
    [summary] = interviews.list_interviews(app_env, student)
    conversation = tavus.conversations[interviews.get_interview(app_env, student, summary.id).conversation_id]
    conversation.status = "ended"  # the call is over; no transcript yet
    at.button(key="iv_check").click().run()
    assert not at.exception
    assert any("Waiting for the transcript" in i for i in texts(at, "info"))
    assert not at.get("iframe") and not [b for b in at.button if b.key == "iv_end"]
    assert interviews.get_interview(app_env, student, summary.id).status == "processing"

    conversation.status = "active"
    tavus.finish(conversation.id)  # the transcript arrives
    at.button(key="iv_check").click().run()
    assert not at.exception
    done = interviews.get_interview(app_env, student, summary.id)
    assert done.status == "completed" and done.transcript
    assert {m.label: m.value for m in at.metric}["Overall"] == str(done.result["overall"])


def test_failed_video_start_shows_a_plain_message_and_refunds(open_app, app_env, student, job, tavus):
    tavus.fail("500")
    at = start(open_app(student, page=PAGE), job.id, "video")
    assert not at.exception
    [message] = texts(at, "error")
    assert "having problems" in message and "5 credits went back to your wallet" in message
    assert ledger.balance(app_env, student) == 10 and interviews.list_interviews(app_env, student) == []


def test_a_video_call_that_failed_to_start_is_shown_unscored_with_the_reason_and_refunded_once(
    open_app, app_env, student, job, tavus
):
    at = start(open_app(student, page=PAGE), job.id, "video")
    [summary] = interviews.list_interviews(app_env, student)
    record = interviews.get_interview(app_env, student, summary.id)
    assert ledger.balance(app_env, student) == 5
    tavus.end_without_transcript(record.conversation_id)  # the interviewer never joined; no transcript will come
    at.button(key="iv_check").click().run()
    assert not at.exception, at.exception
    [warning] = texts(at, "warning")
    assert "could not start" in warning and "Your 5 credits went back to your wallet." in warning
    assert "Not scored" in " ".join(texts(at, "caption"))
    assert not at.get("iframe") and not [b for b in at.button if b.key in ("iv_check", "iv_end")]

    with app_env.db.session() as session:  # Tavus's callback arrives too: the first outcome stands
        token = session.get_one(Interview, record.id).callback_token
    [shutdown] = [e for e in tavus.conversations[record.conversation_id].events if e["event_type"] == "system.shutdown"]
    assert interviews.record_callback(app_env, token, shutdown).status == "unscored"
    at.run()
    assert not at.exception and texts(at, "warning") == [warning]
    assert ledger.balance(app_env, student) == 10
    assert [e.kind for e in ledger.ledger(app_env, student)].count("refund") == 1
