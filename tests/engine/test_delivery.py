"""Delivery figures of spoken answers, on transcripts whose counts are known by hand."""

from __future__ import annotations

import pytest

from core.engine.practice import analyse_delivery, evaluate_answer, summarise_delivery

# 37 words; fillers: um ×2, uh ×1, basically ×1, you know ×1, like (filler) ×1; hedges: i think ×2, maybe ×1,
# sort of ×1; "like" in "tools like docker" is not a filler; "pipeline" is said 3 times.
TRANSCRIPT = (
    "Um, I think I basically rebuilt the pipeline. Uh, the pipeline used tools like Docker and, you know, "
    "it was like, slow. Maybe I sort of rushed it. I think the pipeline um works now with PostgreSQL."
)


def test_known_counts_of_fillers_hedges_and_repeated_words() -> None:
    d = analyse_delivery(TRANSCRIPT, 30.0, ["docker", "postgresql", "kubernetes", "Pipeline"])
    assert d["words"] == 37
    assert d["fillers"] == {"um": 2, "basically": 1, "like": 1, "uh": 1, "you know": 1}
    assert d["hedges"] == {"i think": 2, "maybe": 1, "sort of": 1}
    assert d["repeated"] == [["pipeline", 3]]
    assert d["terms_said"] == ["docker", "postgresql", "pipeline"]  # kubernetes was not said; case folded


def test_rates_come_from_the_recording_duration() -> None:
    d = analyse_delivery(TRANSCRIPT, 30.0)
    assert d["words_per_minute"] == 74  # 37 words in half a minute
    assert d["fillers_per_minute"] == 12.0  # 6 fillers in half a minute
    assert d["pace"] == "slow" and d["length"] == "short"
    assert any("74 words a minute" in line for line in d["feedback"])
    assert any("12 filler words a minute" in line for line in d["feedback"])
    assert any("“pipeline” ×3" in line for line in d["feedback"])


@pytest.mark.parametrize(
    ("words", "seconds", "pace", "length"),
    [(140, 60, "ok", "ok"), (100, 60, "slow", "ok"), (360, 120, "fast", "ok"), (300, 150, "ok", "long"),
     (60, 30, "ok", "short")],
)  # fmt: skip
def test_pace_and_length_bands(words: int, seconds: float, pace: str, length: str) -> None:
    d = analyse_delivery(" ".join(["result"] * words), seconds)
    assert (d["pace"], d["length"]) == (pace, length)


def test_sort_of_is_a_hedge_in_speech_never_also_a_filler() -> None:
    d = analyse_delivery("It was sort of kind of done.", 10)
    assert d["hedges"] == {"kind of": 1, "sort of": 1} and d["fillers"] == {}
    # The typed-answer checks keep counting them as fillers, as before.
    assert evaluate_answer({"id": "q", "kind": "role"}, "It was sort of done.")["filler_words"] == {"sort of": 1}


def test_clean_answer_in_range_gets_no_filler_remark() -> None:
    text = ("At Northstar I led the migration of our billing system to PostgreSQL. I planned the cut-over, wrote "
            "the scripts and tested them with the finance team. The move took six weeks and cut report times by "
            "forty percent. ") * 4  # fmt: skip
    d = analyse_delivery(text, 75)
    assert d["fillers"] == {} and d["hedges"] == {} and d["fillers_per_minute"] == 0
    assert d["length"] == "ok" and d["pace"] == "ok"
    assert not any("filler" in line for line in d["feedback"])


def test_interview_summary_weights_rates_by_time_spoken() -> None:
    first = analyse_delivery(TRANSCRIPT, 30.0, ["docker"])  # 37 words, 6 fillers
    second = analyse_delivery(" ".join(["result"] * 150), 90.0, ["postgresql"])  # 150 words, no filler
    summary = summarise_delivery([first, second])
    assert summary is not None
    assert summary["answers"] == 2 and summary["duration_seconds"] == 120 and summary["words"] == 187
    assert summary["words_per_minute"] == 94  # 187 words over two minutes, not the mean of 74 and 100
    assert summary["fillers_per_minute"] == 3.0  # 6 fillers over two minutes
    assert summary["fillers"]["um"] == 2 and summary["hedges"]["i think"] == 2
    assert summary["repeated"][0] == ["result", 150]
    assert summary["answers_in_target"] == 1
    assert summary["terms_said"] == ["docker"]


def test_no_spoken_answers_no_summary() -> None:
    assert summarise_delivery([]) is None
