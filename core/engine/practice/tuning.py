"""Every number that tunes practice-interview scores: weights, thresholds, lengths. The only place they are set."""

from __future__ import annotations

from core.engine.report import FAIR_SCORE, GOOD_SCORE

# Per-answer score by question kind; sub-scores that do not apply (no expected keywords) are left out and
# the remaining weights rescaled.
ANSWER_WEIGHTS: dict[str, dict[str, float]] = {
    "behavioural": {"star": 0.35, "specificity": 0.25, "keywords": 0.10, "fluency": 0.15, "length": 0.15},
    "technical": {"star": 0.15, "specificity": 0.25, "keywords": 0.30, "fluency": 0.15, "length": 0.15},
    "role": {"star": 0.15, "specificity": 0.20, "keywords": 0.30, "fluency": 0.15, "length": 0.20},
}
# technical: the mean answer score of the technical questions (all answers when there are none), so an
# answered technical question always counts in its category.
# communication: over all answers — structured, fluent, right length.
# job_match: share of the job's expected keywords covered anywhere, plus how well role questions went.
AXIS_WEIGHTS: dict[str, dict[str, float]] = {
    "communication": {"star": 0.40, "fluency": 0.30, "length": 0.30},
    "job_match": {"coverage": 0.75, "role_answers": 0.25},
    "overall": {"technical": 0.35, "communication": 0.35, "job_match": 0.30},
}
# Ideal answer length in words (typed or transcribed speech) by kind: about one to two spoken minutes.
LENGTH_RANGE: dict[str, tuple[int, int]] = {"behavioural": (80, 300), "technical": (60, 250), "role": (50, 220)}
# Specificity: points for 0, 1, 2, 3, 4+ distinct specifics (numbers, %, money, durations), plus a bonus
# for naming an outcome (reduced, increased, saved ...).
SPECIFICS_POINTS = (0, 40, 65, 85, 100)
OUTCOME_BONUS = 15
FLUENCY_PENALTY_PER_FILLER_RATE = 10  # points lost per filler word per 100 words
STRENGTH_AT, WEAKNESS_BELOW = GOOD_SCORE, FAIR_SCORE  # the report's score bands: a summary signal at or
# above / below these is a strength / weakness
STAR_POINTS_PER_PART = 25  # four STAR parts make 100
# An answer over the ideal length loses up to LENGTH_OVER_PENALTY points (at twice the length), never below
# LENGTH_FLOOR: a long answer still says something.
LENGTH_FLOOR, LENGTH_OVER_PENALTY = 40, 50
# Fluency praised at FLUENT_AT only when answers average at least FLUENT_NEEDS_LENGTH on length (a few
# words cannot show fluent speech); filler words become a weakness below FILLERS_WEAK_BELOW.
FLUENT_AT, FLUENT_NEEDS_LENGTH, FILLERS_WEAK_BELOW = 90, 60, 70
SMALL_TALK_MAX_WORDS = 8  # "Yes, I'm ready" is not an answer to score
CONTENT_WORD_MIN_CHARS = 4  # words shorter than this do not count when matching a spoken question to a planned one
QUESTION_COUNT = (5, 8)
MAX_ROLE_KEYWORDS = 5
# Skills a technical question cannot test; they stay expected keywords of behavioural and role questions.
SOFT_SKILLS = frozenset(
    {
        "communication",
        "leadership",
        "teamwork",
        "collaboration",
        "mentoring",
        "coaching",
        "problem solving",
        "time management",
        "stakeholder management",
        "negotiation",
        "presentation",
        "public speaking",
        "customer service",
        "critical thinking",
        "adaptability",
        "attention to detail",
        "creativity",
    }
)
MATCH_PLANNED_AT = 0.5  # share of content words an interviewer's question shares with a planned one

KINDS = ("behavioural", "technical", "role")
SUB_SCORES = ("star", "specificity", "keywords", "fluency", "length")
STAR_PARTS = ("situation", "task", "action", "result")

# Spoken delivery (core.engine.practice.delivery). Conversational interview pace is about 120–160 words a
# minute; under 110 sounds hesitant, over 170 rushed. A spoken answer should take one to two minutes.
PACE_RANGE = (110, 170)  # words per minute
SPOKEN_SECONDS = (60, 120)
FILLERS_PER_MINUTE_HIGH = 4.0  # more than this many filler words a minute is worth working on
HEDGES_PER_ANSWER_HIGH = 3  # "I think", "maybe" …: more than this per answer undersells what you did
REPEATED_AT = 3  # a content word said this often in one answer counts as repeated
REPEATED_SHOWN = 5
