"""A recorded answer as the transcribers need it: 16 kHz mono 16-bit PCM, checked for what is not an answer.

`st.audio_input` records WAV; other rates, widths and channel counts are converted here. Checks, each with a
sentence the student can act on: an empty or unreadable file, a recording over the length limit, silence (or a
muted microphone) and steady noise (fan, hum, hiss: loud but without the rise and fall of syllables and pauses).
Long recordings are cut at their quietest moments into pieces that transcribe in parallel.
"""

from __future__ import annotations

import io
import itertools
import math
import wave
from dataclasses import dataclass

import numpy as np

from core.errors import AppError, ErrorCode

SAMPLE_RATE = 16_000
FRAME_SECONDS = 0.025
SILENT_DBFS = -45.0  # no 25-ms frame louder than this: silence or a muted microphone
STEADY_DB = 10.0  # loud and quiet frames (95th vs 10th percentile) closer than this: steady noise, not speech
MIN_SECONDS = 1.0
PAUSE_SECONDS = 0.3  # a cut goes in the middle of the quietest stretch this long
CUT_WINDOW_SECONDS = 5.0  # how far from the even split point a cut may move to find a pause


@dataclass(frozen=True)
class Recording:
    pcm: bytes  # 16-bit little-endian mono samples at SAMPLE_RATE

    @property
    def duration_seconds(self) -> float:
        return len(self.pcm) / 2 / SAMPLE_RATE


def read_wav(data: bytes, max_seconds: float) -> Recording:
    """The recording as 16 kHz mono PCM; AppError with a plain sentence when it is empty, unreadable or too long."""
    if not data:
        raise AppError(ErrorCode.EMPTY_FILE, "The recording is empty. Record your answer again.")
    try:
        with wave.open(io.BytesIO(data)) as wav:
            channels, width, rate, frames = wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getnframes()
            if frames and rate and frames / rate > max_seconds:
                raise AppError(ErrorCode.FILE_TOO_LARGE, f"That recording is {_minutes(frames / rate)} long; keep "
                               f"an answer under {_minutes(max_seconds)} and record it again.")  # fmt: skip
            raw = wav.readframes(frames)
    except (wave.Error, EOFError, ValueError) as exc:
        raise AppError(ErrorCode.INVALID_FILE_FORMAT, "That recording is not a WAV file we can read. Record it "
                       "again with the microphone button.") from exc  # fmt: skip
    if not raw or not rate or width not in (1, 2, 3, 4):
        raise AppError(ErrorCode.EMPTY_FILE, "The recording is empty. Record your answer again.")
    samples = _to_float(raw, width).reshape(-1, channels).mean(axis=1)
    if rate != SAMPLE_RATE:
        samples = _resample(samples, rate)
    pcm = np.clip(np.rint(samples * 32768), -32768, 32767).astype("<i2").tobytes()  # 16-bit input unchanged
    return Recording(pcm)


def check_speech(recording: Recording) -> None:
    """Raise NO_SPEECH for a recording too short, silent, or only steady noise to hold an answer."""
    if recording.duration_seconds < MIN_SECONDS:
        raise AppError(ErrorCode.NO_SPEECH, "That recording is under a second long. Record your whole answer.")
    levels = frame_levels(recording)
    if levels.max() < SILENT_DBFS:
        raise AppError(ErrorCode.NO_SPEECH, "The recording is silent. Check that your microphone is on and not "
                       "muted, then record again.")  # fmt: skip
    if np.percentile(levels, 95) - np.percentile(levels, 10) < STEADY_DB:
        raise AppError(ErrorCode.NO_SPEECH, "We heard only steady noise, no speech. Move away from the noise or "
                       "closer to the microphone and record again.")  # fmt: skip


def frame_levels(recording: Recording) -> np.ndarray:
    """Loudness of each 25-ms frame in dB below full scale."""
    samples = np.frombuffer(recording.pcm, dtype="<i2").astype(np.float64) / 32768
    size = int(SAMPLE_RATE * FRAME_SECONDS)
    count = max(1, len(samples) // size)
    frames = np.resize(samples, count * size).reshape(count, size) if len(samples) >= size else samples[None, :]
    return 20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-9)


def pieces(recording: Recording, piece_seconds: float) -> list[bytes]:
    """The PCM cut into about `piece_seconds` long pieces, each cut in the quietest pause near its even point."""
    count = math.ceil(recording.duration_seconds / piece_seconds)
    if count <= 1:
        return [recording.pcm]
    levels = frame_levels(recording)
    span = max(1, round(PAUSE_SECONDS / FRAME_SECONDS))
    smooth = np.convolve(levels, np.ones(span) / span, mode="same")
    step = len(levels) / count
    window = min(round(CUT_WINDOW_SECONDS / FRAME_SECONDS), int(step / 2))
    cuts = [0]
    for k in range(1, count):
        centre = round(k * step)
        low, high = max(cuts[-1] + int(step / 2), centre - window), min(len(levels) - 1, centre + window)
        cuts.append(low + int(np.argmin(smooth[low : high + 1])) if high > low else centre)
    frame_bytes = 2 * int(SAMPLE_RATE * FRAME_SECONDS)
    bounds = [c * frame_bytes for c in cuts] + [len(recording.pcm)]
    return [recording.pcm[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def _to_float(raw: bytes, width: int) -> np.ndarray:
    if width == 1:  # 8-bit WAV is unsigned
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128) / 128
    if width == 3:
        bytes3 = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3)
        padded = np.zeros((len(bytes3), 4), dtype=np.uint8)
        padded[:, 1:] = bytes3
        return padded.view("<i4").reshape(-1).astype(np.float64) / 2**31
    dtype = {2: "<i2", 4: "<i4"}[width]
    return np.frombuffer(raw, dtype=dtype).astype(np.float64) / 2 ** (8 * width - 1)


def _resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Linear resampling to SAMPLE_RATE, after a moving-average low-pass when the rate goes down."""
    if rate > SAMPLE_RATE:
        span = math.ceil(rate / SAMPLE_RATE)
        samples = np.convolve(samples, np.ones(span) / span, mode="same")
    count = round(len(samples) * SAMPLE_RATE / rate)
    return np.interp(np.arange(count) * rate / SAMPLE_RATE, np.arange(len(samples)), samples)


def _minutes(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60} min {whole % 60:02d} s" if whole >= 60 else f"{whole} s"
