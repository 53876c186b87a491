"""Offline speech-to-text: pocketsphinx with the en-US model bundled in its wheel, in worker processes.

Decoding is CPU-bound C code that holds a process for seconds, so it runs in core.engine.worker_pool workers
under a time bound (a worker that overruns is killed). A recording of 20 s or more is cut at pauses and its
pieces decoded in parallel, one worker each, so a one-minute answer uses both cores of a small server.
Run as `python -m core.ai.transcribe_offline --serve`, this module is the worker.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from core.ai.transcribe_audio import SAMPLE_RATE, Recording, pieces
from core.engine import worker_pool
from core.errors import AppError, ErrorCode

MODULE = "core.ai.transcribe_offline"
PIECE_SECONDS = 30.0
MIN_PIECE_SECONDS = 10.0
SLOW = "Transcribing this recording took too long. Type your answer, or record a shorter one."
# The decoder and its model map far more address space than a document parser; a queue as long as one piece.
WORKER_MEMORY_MB, QUEUE_MAX = 1024, 16


class OfflineTranscriber:
    name = "offline"

    def __init__(self, timeout_seconds: float, workers: int) -> None:
        self.timeout_seconds = timeout_seconds
        self.workers = workers

    def transcribe(self, recording: Recording) -> str:
        parts = pieces(recording, recording.duration_seconds / self.piece_count(recording.duration_seconds))
        with ThreadPoolExecutor(max_workers=min(self.workers, len(parts))) as pool:
            futures = [pool.submit(self._piece, part) for part in parts]
            return " ".join(text for future in futures if (text := future.result()))

    def piece_count(self, seconds: float) -> int:
        """Pieces of at most about PIECE_SECONDS, as many as a multiple of the workers (so no worker decodes one
        piece more while the others wait), none shorter than MIN_PIECE_SECONDS (a cut may fall mid-word)."""
        rounds = math.ceil(seconds / (PIECE_SECONDS * self.workers))
        return max(1, min(rounds * self.workers, int(seconds // MIN_PIECE_SECONDS)))

    def _piece(self, pcm: bytes) -> str:
        try:
            config = worker_pool.PoolConfig(self.workers, WORKER_MEMORY_MB, self.timeout_seconds, QUEUE_MAX)
            outcome = worker_pool.pool(MODULE, config).run({"rate": SAMPLE_RATE}, pcm, self.timeout_seconds)
        except worker_pool.WorkerBusy as exc:
            raise AppError(ErrorCode.SERVER_BUSY) from exc
        except worker_pool.WorkerTimeout as exc:
            raise AppError(ErrorCode.TRANSCRIPTION_ERROR, SLOW) from exc
        except (OSError, worker_pool.WorkerFailed) as exc:
            raise AppError(ErrorCode.TRANSCRIPTION_ERROR) from exc
        if outcome[0] != "ok":
            raise AppError(ErrorCode.TRANSCRIPTION_ERROR)
        return str(outcome[1])


def _decode(decoder: Any, initial_cmn: str, header: dict[str, Any], pcm: bytes) -> list[Any]:
    """Worker side: ["ok", words] or ["error", reason].

    The whole piece is decoded as one utterance (`full_utt`: the cepstral mean comes from the piece itself), and
    the decoder's running mean is reset first: left to drift, it carries one student's recording into the next,
    and the same recording would not always give the same transcript.
    """
    if header.get("rate") != SAMPLE_RATE:
        return ["error", "wrong sample rate"]
    decoder.set_cmn(initial_cmn)
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return ["ok", hypothesis.hypstr if hypothesis is not None else ""]


if __name__ == "__main__":
    from pocketsphinx import Decoder

    loaded = Decoder(loglevel="FATAL")  # the bundled en-US acoustic model, language model and dictionary
    start_cmn = loaded.get_cmn()
    worker_pool.serve(lambda header, data: _decode(loaded, start_cmn, header, data))
