"""Offline speech-to-text: pocketsphinx with the en-US model bundled in its wheel, in worker processes.

Decoding is CPU-bound C code that holds a process for seconds, so it runs in core.engine.worker_pool workers
under a time bound (a worker that overruns is killed). A recording longer than PIECE_SECONDS is cut at pauses
and its pieces decoded in parallel, one worker each, so a one-minute answer uses both cores of a small server.
Run as `python -m core.ai.transcribe_offline --serve`, this module is the worker.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from core.ai.transcribe_audio import SAMPLE_RATE, Recording, pieces
from core.engine import worker_pool
from core.errors import AppError, ErrorCode

MODULE = "core.ai.transcribe_offline"
PIECE_SECONDS = 30.0
CHUNK_BYTES = 8192  # fed to the decoder in blocks, as a live stream would be
SLOW = "Transcribing this recording took too long. Type your answer, or record a shorter one."


class OfflineTranscriber:
    name = "offline"

    def __init__(self, timeout_seconds: float, workers: int) -> None:
        self.timeout_seconds = timeout_seconds
        self.workers = workers

    def transcribe(self, recording: Recording) -> str:
        parts = pieces(recording, PIECE_SECONDS)
        with ThreadPoolExecutor(max_workers=min(self.workers, len(parts))) as pool:
            futures = [pool.submit(self._piece, part) for part in parts]
            return " ".join(text for future in futures if (text := future.result()))

    def _piece(self, pcm: bytes) -> str:
        try:
            outcome = worker_pool.run(MODULE, {"rate": SAMPLE_RATE}, pcm, self.timeout_seconds)
        except worker_pool.WorkerTimeout as exc:
            raise AppError(ErrorCode.TRANSCRIPTION_ERROR, SLOW) from exc
        except (OSError, worker_pool.WorkerFailed) as exc:
            raise AppError(ErrorCode.TRANSCRIPTION_ERROR) from exc
        if outcome[0] != "ok":
            raise AppError(ErrorCode.TRANSCRIPTION_ERROR)
        return str(outcome[1])


def _decode(decoder: Any, header: dict[str, Any], pcm: bytes) -> list[Any]:
    """Worker side: ["ok", words] or ["error", reason]."""
    if header.get("rate") != SAMPLE_RATE:
        return ["error", "wrong sample rate"]
    decoder.start_utt()
    for start in range(0, len(pcm), CHUNK_BYTES):
        decoder.process_raw(pcm[start : start + CHUNK_BYTES])
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return ["ok", hypothesis.hypstr if hypothesis is not None else ""]


if __name__ == "__main__":
    from pocketsphinx import Decoder

    loaded = Decoder(loglevel="FATAL")  # the bundled en-US acoustic model, language model and dictionary
    worker_pool.serve(lambda header, data: _decode(loaded, header, data))
