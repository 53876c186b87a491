"""Deterministic practice-interview engine: questions from a CV and a job, feedback per answer, scores.

Pure functions of their arguments (no clock, no randomness, no I/O), so a score can be reproduced and
explained. A language model may reword questions or feedback elsewhere; the numbers always come from here.
Every weight and threshold lives in `tuning`. Modules: questions (generation), answers (one answer's
feedback), scoring (a whole interview), transcripts (video interviews), delivery (how a spoken answer was
said: pace, fillers, hedges), cues and text (shared matching).

Shapes:
- question: {"id", "text", "kind": behavioural|technical|role, "skill": str|None, "keywords": [str]}
- evaluation (evaluate_answer): {"question_id", "kind", "word_count", "score", "scores": {star, specificity,
  keywords (None when the question expects none), fluency, length}, "star": {situation, task, action, result},
  "specifics", "keywords_covered", "keywords_missed", "filler_words", "feedback": [sentence]}
- result (score_interview / score_transcript): {"technical", "communication", "job_match", "overall",
  "strengths", "weaknesses", "recommendations", "questions_total", "questions_answered"}
"""

from core.engine.practice.answers import evaluate_answer
from core.engine.practice.delivery import analyse_delivery, summarise_delivery
from core.engine.practice.questions import generate_questions
from core.engine.practice.scoring import score_interview
from core.engine.practice.transcripts import score_transcript
from core.engine.practice.tuning import ANSWER_WEIGHTS, AXIS_WEIGHTS, LENGTH_RANGE, STAR_PARTS

__all__ = [
    "ANSWER_WEIGHTS",
    "AXIS_WEIGHTS",
    "LENGTH_RANGE",
    "STAR_PARTS",
    "analyse_delivery",
    "evaluate_answer",
    "generate_questions",
    "score_interview",
    "score_transcript",
    "summarise_delivery",
]
