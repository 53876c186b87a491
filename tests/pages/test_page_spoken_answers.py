"""AppTest of spoken practice answers: a WAV uploaded through st.audio_input is transcribed into the answer box,
corrected and scored, its delivery shown; the Progress page and a staff drill-down chart pace and filler rate;
a recording that is not audio is refused plainly; deleting the interview deletes its recording."""

# ruff: noqa: F811 - the shared fixtures imported from test_page_interviews are parameters here
from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from core.access import Role
from core.billing import ledger
from core.student import interviews
from tests.pages.test_page_interviews import button, job, start, student, texts  # noqa: F401 - shared fixtures
from tests.speech import speak, word_error_rate

PAGE = "app_pages/interviews.py"
SAID = (
    "In my last job I led our search campaigns. My task was to grow leads with the same budget. "
    "I rebuilt the keywords and tested new landing pages every week. As a result the cost per lead fell by half."
)
MEANT = SAID.replace("search campaigns", "SEO and Google Ads campaigns")
DELIVERY_CHART = "Spoken answers: pace and filler words"


def chart(at: AppTest, title: str) -> dict | None:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next((s for s in specs if s["layout"]["title"]["text"] == title), None)


def test_spoken_answer_transcribed_corrected_scored_charted_and_deleted(
    open_app, app_env, student, job, make_user
) -> None:
    at = start(open_app(student, page=PAGE, timeout=90), job.id, "practice")
    [record] = interviews.list_interviews(app_env, student)
    record = interviews.get_interview(app_env, student, record.id)
    question = record.next_question
    wav = speak(SAID)

    at.audio_input(key=f"iv_audio_{record.id}_{question['id']}").set_value(("answer.wav", wav, "audio/wav")).run()
    assert not at.exception and not at.error
    box = at.text_area(key=f"iv_text_{record.id}_{question['id']}")
    assert box.label.startswith("Your answer, as transcribed")
    # One clip: espeak's Klatt voice adds random noise (0.5-0.75 here); a wrong rate or byte order gives 0.9+.
    assert word_error_rate(SAID, box.value) <= 0.8, box.value
    assert any("recorded, transcribed by the offline transcriber." in c for c in texts(at, "caption"))

    box.input(MEANT)  # the student corrects the misheard words
    at.button(key=f"iv_submit_{question['id']}").click().run()
    assert not at.exception
    entry = interviews.get_interview(app_env, student, record.id).answer_for(question["id"])
    assert entry["text"] == MEANT and entry["spoken"]["transcript"] != MEANT
    wpm = entry["spoken"]["delivery"]["words_per_minute"]
    markdown = " ".join(texts(at, "markdown"))
    assert f"{wpm} words a minute" in markdown and "**Job terms said:**" in markdown and "seo" in markdown
    assert "Answer score:" in markdown  # scored as a typed answer is

    at.button(key="iv_finish").click().run()
    at.button(key="iv_finish_yes").click().run()  # the other questions stay unanswered
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Words a minute"] == str(wpm) and metrics["In the 1–2 min target"] == "0 of 1"
    assert "**Delivery over 1 spoken answer**" in " ".join(texts(at, "markdown"))

    at.switch_page("app_pages/progress.py").run()
    assert not at.exception
    traces = {t["name"]: t["y"] for t in chart(at, DELIVERY_CHART)["data"]}
    assert traces["Words a minute"] == [wpm]
    assert traces["Filler words a minute"] == [entry["spoken"]["delivery"]["fillers_per_minute"]]

    staff = open_app(make_user(Role.ADMIN))
    staff.query_params["student"] = str(student.id)
    staff.switch_page("app_pages/student.py").run()
    assert not staff.exception
    assert {t["name"]: t["y"] for t in chart(staff, DELIVERY_CHART)["data"]}["Words a minute"] == [wpm]
    assert "**Delivery over 1 spoken answer**" in " ".join(texts(staff, "markdown"))

    key = entry["audio"]["key"]
    at.switch_page(PAGE).run()
    at.session_state["iv_open"] = record.id
    at.run()
    at.toggle(key=f"iv_delete_ask_{record.id}").set_value(True).run()
    at.button(key="iv_delete").click().run()
    assert not at.exception
    assert any("transcripts and its recordings were deleted" in s for s in texts(at, "success"))
    assert interviews.list_interviews(app_env, student) == [] and not app_env.storage.exists(key)


def test_a_recording_that_is_not_audio_is_refused_plainly_and_typing_still_works(
    open_app, app_env, student, job
) -> None:
    at = start(open_app(student, page=PAGE), job.id, "practice")
    [record] = interviews.list_interviews(app_env, student)
    question = interviews.get_interview(app_env, student, record.id).next_question
    at.audio_input(key=f"iv_audio_{record.id}_{question['id']}").set_value(("x.wav", b"RIFF-not-audio", "audio/wav"))
    at.run()
    assert not at.exception
    [problem] = texts(at, "error")
    assert "not a WAV file we can read" in problem and "will not be kept" in problem
    at.text_area(key=f"iv_text_{record.id}_{question['id']}").input("I led the SEO work and doubled sign-ups.")
    at.button(key=f"iv_submit_{question['id']}").click().run()
    entry = interviews.get_interview(app_env, student, record.id).answer_for(question["id"])
    assert entry["text"].startswith("I led the SEO work") and entry["audio"] is None and entry["spoken"] is None
    assert ledger.balance(app_env, student) == 8  # the interview's price only
    assert not list(app_env.settings.upload_dir.rglob("*.wav"))
