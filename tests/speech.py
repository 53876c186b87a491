"""Known speech for transcription tests and benchmarks: Debian's espeak-ng reads sentences into 16 kHz WAV,
sox makes silence and noise, and `word_error_rate` scores a transcript against what was said.

espeak-ng's Klatt voice is used: pocketsphinx's en-US model recognises it far better than the default voice
(word error rate about 0.45 against 0.75 on the same sentences), which keeps the bounds meaningful. The Klatt
voice mixes in random noise, so the same sentence comes out slightly differently each time: bounds on one clip
are looser than bounds pooled over many.
"""

from __future__ import annotations

import re
import subprocess

VOICE, WORDS_PER_MINUTE = "en-us+klatt", 140

SENTENCES = [
    "In my last job I was responsible for the release process.",
    "Deployments took three hours and often failed.",
    "I automated the build with a pipeline and wrote tests for the main services.",
    "As a result we reduced the deployment time by forty percent.",
    "I worked closely with the support team to find the most common customer problems.",
    "We built a small dashboard that showed errors in real time.",
    "The number of support tickets dropped by half in two months.",
    "What I learned is that measuring the problem first makes it easier to convince people.",
    "Next time I would involve the product manager much earlier.",
    "I led a team of four engineers on a new payment service.",
    "My goal was to finish the project before the end of the quarter.",
    "I wrote the plan and met the team every morning to review progress.",
    "We launched on time and the service handled twice the expected traffic.",
    "I enjoy solving hard problems and explaining them to other people.",
    "I moved our reports from spreadsheets to a database.",
    "The marketing team used the new data to plan their campaigns.",
    "I trained three new colleagues on the system in my first year.",
    "When a customer complained I called them the same day.",
    "I think good communication matters more than any single tool.",
    "I would like to grow into a role where I can lead a larger team.",
    "We tested every change before it reached the customers.",
    "The project saved the company about ten thousand dollars a year.",
]


def speak(text: str, voice: str = VOICE, rate: int = WORDS_PER_MINUTE) -> bytes:
    """`text` read aloud by espeak-ng, as a 16 kHz mono 16-bit WAV file."""
    spoken = subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "--stdout", text], check=True,
                            capture_output=True).stdout  # fmt: skip
    return sox(["-t", "wav", "-"], spoken)


def sox(source: list[str], data: bytes = b"", effects: tuple[str, ...] = ()) -> bytes:
    """Run sox from `source` (arguments, reading `data` on stdin for "-") to a 16 kHz mono 16-bit WAV."""
    command = ["sox", *source, "-t", "wav", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed", "-", *effects]
    wav = subprocess.run(command, input=data, check=True, capture_output=True).stdout
    return fix_header(wav)


def synth(seconds: float, kind: str, volume: float = 0.3) -> bytes:
    """`seconds` of sox-made audio: "whitenoise", "pinknoise", "brownnoise", "sine 50" …, or "silence"."""
    if kind == "silence":
        return sox(["-n", "-r", "16000"], effects=("trim", "0", str(seconds)))
    return sox(["-n", "-r", "16000"], effects=("synth", str(seconds), *kind.split(), "vol", str(volume)))


def fix_header(wav: bytes) -> bytes:
    """sox writing to a pipe cannot seek back to fill in the sizes; write them, as a recorded file has them."""
    data_at = wav.index(b"data") + 8
    riff = (len(wav) - 8).to_bytes(4, "little")
    size = (len(wav) - data_at).to_bytes(4, "little")
    return wav[:4] + riff + wav[8 : data_at - 4] + size + wav[data_at:]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / words said, by edit distance over words."""
    said, heard = words(reference), words(hypothesis)
    previous = list(range(len(heard) + 1))
    for i, word in enumerate(said, 1):
        current = [i] + [0] * len(heard)
        for j, other in enumerate(heard, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
        previous = current
    return previous[-1] / max(1, len(said))
