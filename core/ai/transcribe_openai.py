"""Speech-to-text through an OpenAI-compatible `POST /audio/transcriptions` (OpenAI's whisper-1 or
gpt-4o-transcribe, or a self-hosted Whisper server at AI_BASE_URL), with the official `openai` SDK.

The SDK sends the multipart form (file, model, response_format, language); the answer is JSON `{"text": …}`,
or plain text from servers that answer that way. Time-out and retries are the SDK's own, from AI_TIMEOUT_SECONDS
and AI_MAX_RETRIES, so a call never hangs; any failure is an AppError the caller falls back from.
"""

from __future__ import annotations

import io
import wave

import openai

from core.ai.openai_compat import describe
from core.ai.transcribe_audio import SAMPLE_RATE, Recording
from core.config import Settings
from core.errors import AppError, ErrorCode

LANGUAGE = "en"  # answers are in English, as the offline model is


class OpenAITranscriber:
    name = "openai"

    def __init__(self, client: openai.OpenAI, model: str, timeout: float) -> None:
        self.model = model
        self._client = client
        self._timeout = timeout

    def transcribe(self, recording: Recording) -> str:
        try:
            answer = self._client.audio.transcriptions.create(
                model=self.model, file=("answer.wav", as_wav(recording), "audio/wav"), response_format="json",
                language=LANGUAGE,
            )  # fmt: skip
        except openai.OpenAIError as exc:
            reason = describe(self.name, exc, self._timeout).replace("OpenAI", "The transcription service", 1)
            raise AppError(ErrorCode.TRANSCRIPTION_ERROR, reason) from exc
        text = answer if isinstance(answer, str) else getattr(answer, "text", None)
        if not isinstance(text, str):
            raise AppError(ErrorCode.TRANSCRIPTION_ERROR, "The transcription service gave an unusable answer.")
        return text


def as_wav(recording: Recording) -> bytes:
    """The recording as a 16 kHz mono WAV file: the smallest upload that loses nothing the model uses."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(recording.pcm)
    return buffer.getvalue()


def build_openai_transcriber(settings: Settings) -> OpenAITranscriber:
    client = openai.OpenAI(
        api_key=settings.ai_api_key,
        base_url=settings.ai_base_url,
        timeout=settings.ai_timeout_seconds,
        max_retries=settings.ai_max_retries,
    )
    return OpenAITranscriber(client, settings.transcribe_model, settings.ai_timeout_seconds)
