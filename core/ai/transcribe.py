"""Speech-to-text for recorded answers behind one interface, with the offline transcriber always behind it.

TRANSCRIBE_PROVIDER picks the first choice: offline (default: pocketsphinx and its bundled en-US model, in
worker processes, nothing downloaded) or openai (`audio.transcriptions.create` on OpenAI or any compatible
server at AI_BASE_URL, with AI_API_KEY and TRANSCRIBE_MODEL). When the first choice fails, the offline
transcriber takes over and the transcript carries a note saying so. What a transcriber hears is checked first
(core.ai.transcribe_audio): empty, unreadable, too long, silent or noise-only recordings never reach one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from core.ai.transcribe_audio import Recording, check_speech, read_wav
from core.config import Settings
from core.errors import AppError, ErrorCode

OFFLINE = "offline"
LABELS = {OFFLINE: "the offline transcriber", "openai": "the transcription service"}
MIN_WORDS = 3  # fewer recognised words than this is not an answer (a cough, a "thanks", noise)
log = logging.getLogger(__name__)


class Transcriber(Protocol):
    @property
    def name(self) -> str:
        """The transcriber's key ("offline", "openai")."""
        ...

    def transcribe(self, recording: Recording) -> str:
        """The words heard; AppError(TRANSCRIPTION_ERROR) on any failure."""
        ...


@dataclass(frozen=True)
class Transcript:
    text: str
    source: str  # the transcriber that produced it
    duration_seconds: float
    note: str | None = None  # why the offline transcriber stood in


@dataclass(frozen=True)
class SpeechToText:
    """The configured transcriber and the offline one that stands in for it."""

    first: Transcriber
    offline: Transcriber
    max_seconds: float

    def hear(self, wav: bytes) -> Transcript:
        """Check the recording, then transcribe it; AppError with a sentence for the student when it holds no
        answer or nothing could transcribe it."""
        recording = read_wav(wav, self.max_seconds)
        check_speech(recording)
        source, note = self.first.name, None
        try:
            text = self.first.transcribe(recording)
        except AppError as error:
            if self.first.name == OFFLINE:
                raise
            log.warning("transcriber %s failed: %s", self.first.name, error.message)
            source, note = OFFLINE, f"{error.message} The offline transcriber was used instead."
            text = self.offline.transcribe(recording)
        text = " ".join(text.split())
        if len(text.split()) < MIN_WORDS:
            raise AppError(ErrorCode.NO_SPEECH, "We could not make out your answer in this recording. Speak "
                           "closer to the microphone, or type your answer.")  # fmt: skip
        return Transcript(text, source, recording.duration_seconds, note)


class Unconfigured:
    """A selected transcriber that cannot run (no key): every call fails with how to fix it."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self._reason = reason

    def transcribe(self, recording: Recording) -> str:
        raise AppError(ErrorCode.TRANSCRIPTION_ERROR, self._reason)


def build_speech_to_text(settings: Settings) -> SpeechToText:
    from core.ai.transcribe_offline import OfflineTranscriber

    offline = OfflineTranscriber(settings.transcribe_timeout_seconds, settings.transcribe_workers)
    first: Transcriber = offline
    if settings.transcribe_provider == "openai":
        if not settings.ai_api_key:
            first = Unconfigured("openai", "TRANSCRIBE_PROVIDER is openai but AI_API_KEY is not set.")
        else:
            from core.ai.transcribe_openai import build_openai_transcriber

            first = build_openai_transcriber(settings)
    return SpeechToText(first, offline, settings.transcribe_max_seconds)
