"""The OpenAI-compatible transcription path, driven by the real openai SDK against a loopback fake that speaks
the real multipart request and JSON/text answers, and refuses what the real API refuses; every failure falls
back to the offline transcriber and says so."""

# ruff: noqa: F811 - the shared fixtures imported from test_interviews are parameters here
from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from core.ai.transcribe import build_speech_to_text
from core.ai.transcribe_audio import SAMPLE_RATE, read_wav
from core.config import Settings
from core.context import AppContext
from core.student import interviews
from tests.fakes.openai_server import API_KEY, FakeOpenAI, Reply, error, slow, transcript
from tests.services.test_interviews import cv, student  # noqa: F401 - shared fixtures
from tests.speech import SENTENCES, speak, word_error_rate

SAID = SENTENCES[3]
HEARD = "As a result, we reduced the deployment time by 40%."


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def api_settings(fake: FakeOpenAI, **changes: object) -> Settings:
    values = {"transcribe_provider": "openai", "ai_api_key": API_KEY, "ai_base_url": fake.base_url,
              "ai_timeout_seconds": 2.0, "ai_max_retries": 0, **changes}  # fmt: skip
    return Settings(**values)  # type: ignore[arg-type]


def test_the_sdk_sends_the_real_multipart_request_and_reads_the_json_answer(fake: FakeOpenAI) -> None:
    fake.script("transcribe", transcript(HEARD))
    wav = speak(SAID)
    heard = build_speech_to_text(api_settings(fake, transcribe_model="gpt-4o-transcribe")).hear(wav)
    assert (heard.text, heard.source, heard.note) == (HEARD, "openai", None)  # the model's casing and punctuation
    [request] = fake.requests_to("transcribe")
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert request.form == {"model": "gpt-4o-transcribe", "response_format": "json", "language": "en"}
    filename, content_type, sent = request.files["file"]
    assert (filename, content_type) == ("answer.wav", "audio/wav")
    assert read_wav(sent, 60).pcm == read_wav(wav, 60).pcm  # the recording itself, as 16 kHz mono WAV
    assert sent[24:28] == SAMPLE_RATE.to_bytes(4, "little")


def test_a_server_that_answers_plain_text_is_understood(fake: FakeOpenAI) -> None:
    fake.script("transcribe", Reply(body=HEARD + "\n", content_type="text/plain; charset=utf-8"))
    heard = build_speech_to_text(api_settings(fake)).hear(speak(SAID))
    assert (heard.text, heard.source) == (HEARD, "openai")


@pytest.mark.parametrize(
    ("reply", "settings", "reason"),
    [
        (error(500), {}, "answered with an error (HTTP 500)"),
        (error(429), {}, "(HTTP 429). The rate limit or quota was reached."),
        (transcript(HEARD), {"transcribe_model": "whisper-9"}, "(HTTP 404). Check the model name and base URL."),
        (transcript(HEARD), {"ai_api_key": "sk-wrong"}, "(HTTP 401). Check the API key."),
        (slow(5, transcript(HEARD)), {"ai_timeout_seconds": 0.5}, "did not answer in time (0.5 s)"),
        (transcript(HEARD), {"ai_api_key": None}, "AI_API_KEY is not set"),
    ],
)
def test_a_failing_transcription_service_falls_back_to_offline_and_says_so(
    fake: FakeOpenAI, reply: Reply, settings: dict, reason: str
) -> None:
    fake.script("transcribe", reply)
    heard = build_speech_to_text(api_settings(fake, **settings)).hear(speak(SAID))
    assert heard.source == "offline"
    assert (
        heard.note is not None
        and reason in heard.note
        and heard.note.endswith("The offline transcriber was used instead.")
    )
    # One clip: espeak's Klatt voice adds random noise (0.5-0.75 here); a wrong rate or byte order gives 0.9+.
    assert word_error_rate(SAID, heard.text) <= 0.8, heard.text
    assert "fake error" not in heard.note and "sk-" not in heard.note  # never the response body or the key


def test_an_unreachable_service_falls_back(fake: FakeOpenAI) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    heard = build_speech_to_text(api_settings(fake, ai_base_url=closed)).hear(speak(SAID))
    assert heard.source == "offline" and "could not be reached" in (heard.note or "")


def test_retries_are_the_sdks_own(fake: FakeOpenAI) -> None:
    fake.script("transcribe", error(503), transcript(HEARD))
    heard = build_speech_to_text(api_settings(fake, ai_max_retries=1)).hear(speak(SAID))
    assert heard.text == HEARD and len(fake.requests_to("transcribe")) == 2


def test_bad_audio_never_reaches_the_service(fake: FakeOpenAI) -> None:
    with pytest.raises(Exception, match="silent"):
        build_speech_to_text(api_settings(fake)).hear(speak(SAID, rate=140)[:44] + bytes(64_000))
    assert fake.requests_to("transcribe") == []


def post(fake: FakeOpenAI, **kwargs: object) -> httpx.Response:
    return httpx.post(f"{fake.base_url}/audio/transcriptions", headers={"Authorization": f"Bearer {API_KEY}"},
                      **kwargs)  # type: ignore[arg-type]  # fmt: skip


def test_the_fake_refuses_what_the_real_api_refuses(fake: FakeOpenAI) -> None:
    fake.script("transcribe", transcript(HEARD))
    wav = speak(SAID)
    refused = {
        "json body": post(fake, json={"model": "whisper-1"}),
        "no model": post(fake, files={"file": ("a.wav", wav, "audio/wav")}),
        "no file": post(fake, data={"model": "whisper-1"}, files={"other": ("a.wav", wav, "audio/wav")}),
        "wrong format": post(fake, data={"model": "whisper-1"}, files={"file": ("a.txt", wav, "text/plain")}),
        "empty file": post(fake, data={"model": "whisper-1"}, files={"file": ("a.wav", b"", "audio/wav")}),
    }
    messages = {name: (r.status_code, r.json()["error"]["message"]) for name, r in refused.items()}
    assert messages["json body"] == (400, "Invalid Content-Type header (application/json), expected "
                                          "multipart/form-data.")  # fmt: skip
    assert messages["no model"] == (400, "you must provide a model parameter")
    assert messages["no file"][0] == 400 and "body -> file" in messages["no file"][1]
    assert messages["wrong format"][0] == 400 and messages["wrong format"][1].startswith("Invalid file format.")
    assert messages["empty file"][0] == 400 and "too short" in messages["empty file"][1]
    ok = post(fake, data={"model": "whisper-1", "response_format": "text"}, files={"file": ("a.wav", wav)})
    assert (ok.status_code, ok.headers["content-type"], ok.text) == (200, "text/plain; charset=utf-8", HEARD + "\n")


def test_a_spoken_answer_through_the_service_keeps_who_transcribed_it_and_why(
    ctx: AppContext,
    student,
    cv,
    fake: FakeOpenAI,
) -> None:
    fake.script("transcribe", error(500))
    wanted = {"transcribe_provider", "ai_api_key", "ai_base_url", "ai_timeout_seconds", "ai_max_retries"}
    api = AppContext(ctx.settings.model_copy(update=api_settings(fake).model_dump(include=wanted)), ctx.db)
    interview = interviews.start_practice(api, student, cv.id)
    question, wav = interview.questions[0]["id"], speak(SAID)
    heard = interviews.transcribe_answer(api, student, interview.id, question, wav)
    record = interviews.answer(api, student, interview.id, question, heard.text, audio=wav, heard=heard)
    spoken = record.answer_for(question)["spoken"]
    assert spoken["source"] == "offline" and "HTTP 500" in spoken["note"]
