"""Offline transcription: word error rate on espeak-ng speech, and seconds per minute of audio.

Usage: python benchmarks/transcribe_wer.py
Prints each of the 22 sentences (tests/speech.py) with what pocketsphinx heard, the pooled word error rate
(all edits over all words said), then the time to transcribe a one-minute answer (the sentences read as one
passage) end to end through core.ai.transcribe with warm workers, with one and with two worker processes.
Target: a 60-s answer in at most 10 s on 2 cores. The machine's load average is printed with the figures, and
the CPU seconds the decoding itself needs (in this process, per piece), which contention does not inflate much:
on two free cores the two-worker wall time is about half of that plus the cut and the hand-over.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.ai.transcribe import SpeechToText  # noqa: E402
from core.ai.transcribe_audio import pieces, read_wav  # noqa: E402
from core.ai.transcribe_offline import OfflineTranscriber, _decode  # noqa: E402
from tests.speech import SENTENCES, speak, word_error_rate, words  # noqa: E402

ANSWER_SECONDS = 60.0


def sentence_wer(offline: OfflineTranscriber) -> float:
    edits = said = 0
    for sentence in SENTENCES:
        heard = offline.transcribe(read_wav(speak(sentence), 600))
        rate = word_error_rate(sentence, heard)
        edits, said = edits + rate * len(words(sentence)), said + len(words(sentence))
        print(f"  {rate:4.2f}  said: {sentence}\n        heard: {heard}")
    return edits / said


def one_minute_answer() -> tuple[bytes, str]:
    """The sentences read as one passage, cut to about a minute: (WAV, what was said)."""
    passage, seconds = [], 0.0
    for sentence in SENTENCES:
        passage.append(sentence)
        seconds = read_wav(speak(" ".join(passage)), 600).duration_seconds
        if seconds >= ANSWER_SECONDS:
            break
    return speak(" ".join(passage)), " ".join(passage)


def timed(workers: int, wav: bytes, repeat: int = 3) -> tuple[float, float]:
    """(median seconds, word error rate) to hear `wav` end to end with `workers` processes, after a warm-up."""
    speech = SpeechToText(OfflineTranscriber(60, workers), OfflineTranscriber(60, workers), 600)
    speech.hear(wav)  # start the workers and load the model once, as a running app has
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        transcript = speech.hear(wav)
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples), transcript.text


def decode_cpu_seconds(wav: bytes) -> tuple[float, int]:
    """(CPU seconds, pieces) to decode the answer's pieces one after another in this process, as a worker does."""
    from pocketsphinx import Decoder

    decoder = Decoder(loglevel="FATAL")
    start_cmn = decoder.get_cmn()
    recording = read_wav(wav, 600)
    seconds = recording.duration_seconds
    parts = pieces(recording, seconds / OfflineTranscriber(60, 2).piece_count(seconds))
    begin = time.process_time()
    for part in parts:
        _decode(decoder, start_cmn, {"rate": 16_000}, part)
    return time.process_time() - begin, len(parts)


def main() -> None:
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    rate = sentence_wer(OfflineTranscriber(60, 1))
    print(f"\nword error rate over {len(SENTENCES)} espeak-ng sentences: {rate:.3f}")
    wav, said = one_minute_answer()
    duration = read_wav(wav, 600).duration_seconds
    print(f"\none answer of {duration:.1f} s:")
    for workers in (1, 2):
        seconds, heard = timed(workers, wav)
        print(f"  {workers} worker(s): {seconds:.2f} s  ->  {60 * seconds / duration:.2f} s per minute of audio")
    cpu, count = decode_cpu_seconds(wav)
    print(f"  decoding CPU: {cpu:.2f} s for {count} pieces ({60 * cpu / duration:.2f} CPU s per minute of audio)")
    print(f"  word error rate of the whole answer: {word_error_rate(said, heard):.3f}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
