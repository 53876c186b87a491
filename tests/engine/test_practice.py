"""The deterministic practice-interview engine: questions, per-answer feedback, interview scores."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from core.engine import practice
from core.engine.practice import evaluate_answer, generate_questions, score_interview, score_transcript
from tests.fakes.tavus_server import DEFAULT_TRANSCRIPT

RESUME: dict[str, Any] = {
    "name": "Ada Lovelace",
    "skills": ["python", "postgresql", "docker", "git", "rest api"],
    "years_experience": 1.5,
    "experience": [
        {
            "title": "Backend Intern",
            "company": "Acme Retail",
            "start": "2025-06",
            "end": "2025-12",
            "bullets": [
                "Built REST API endpoints for the order service",
                "Cut checkout query latency by 40% with PostgreSQL indexes",
            ],
        },
        {
            "title": "Teaching Assistant",
            "company": "State University",
            "start": "2024-09",
            "end": "2025-05",
            "bullets": ["Ran weekly lab sessions for 30 students"],
        },
    ],
}
JOB = "Backend Engineer"
REQUIRED = ["python", "postgresql", "kubernetes", "aws"]
KEYWORDS = ["microservices", "scalability"]

STRONG = (
    "At my last internship at Acme Retail our checkout API was timing out during a big sale. My task was to "
    "bring p95 latency under 300 ms within two weeks, before the next campaign. I profiled the endpoints in "
    "Python, added PostgreSQL indexes and a Redis cache, and I wrote load tests that ran in CI. I also "
    "deployed the service on Kubernetes with autoscaling on AWS so it could handle the scalability needs of the "
    "microservices around it. As a result p95 latency fell from 1.2 s to 240 ms, timeouts dropped by 90%, and "
    "the sale processed $50k in orders without an incident. I learned to measure before optimising."
)
VAGUE = "I worked on some backend stuff and it was pretty good. We did a lot of things and it went well."
FILLERS = " Um, basically, you know, um, it was like, actually, uh, really good."


@pytest.fixture
def questions() -> list[dict[str, Any]]:
    return generate_questions(RESUME, JOB, REQUIRED, KEYWORDS)


def _interview(questions: list[dict[str, Any]], answer: str) -> dict[str, Any]:
    return score_interview(questions, [evaluate_answer(q, answer) for q in questions])


# --- questions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 5, 6, 7, 8, 20])
def test_question_count_is_5_to_8_with_every_kind(n: int) -> None:
    questions = generate_questions(RESUME, JOB, REQUIRED, KEYWORDS, n=n)
    assert len(questions) == min(8, max(5, n))
    assert {q["kind"] for q in questions} == {"behavioural", "technical", "role"}
    assert [q["id"] for q in questions] == [f"q{i}" for i in range(1, len(questions) + 1)]
    assert len({q["text"] for q in questions}) == len(questions)
    for q in questions:
        assert set(q) == {"id", "text", "kind", "skill", "keywords"}
        assert isinstance(q["keywords"], list) and q["text"].strip()


def test_technical_questions_prefer_claimed_skills_plus_one_gap(questions: list[dict[str, Any]]) -> None:
    technical = [q for q in questions if q["kind"] == "technical"]
    assert [q["skill"] for q in technical] == ["python", "postgresql", "kubernetes"]
    gap = technical[-1]
    assert "does not mention" in gap["text"] and "kubernetes" in gap["text"]
    assert all(q["keywords"] == [q["skill"]] for q in technical)


def test_soft_skills_are_not_asked_as_technical_questions() -> None:
    questions = generate_questions({"skills": ["sql", "communication"]}, "Data Analyst", ["communication", "sql"], [])
    assert [q["skill"] for q in questions if q["kind"] == "technical" and q["skill"]] == ["sql"]
    assert any("communication" in q["keywords"] for q in questions if q["kind"] != "technical")


def test_behavioural_questions_are_grounded_in_the_cv(questions: list[dict[str, Any]]) -> None:
    behavioural = [q for q in questions if q["kind"] == "behavioural"]
    assert len(behavioural) == 2
    # The measurable, job-relevant bullet becomes a STAR prompt.
    assert "Cut checkout query latency by 40% with PostgreSQL indexes" in behavioural[0]["text"]
    assert "postgresql" in behavioural[0]["keywords"]
    assert "Acme Retail" in behavioural[1]["text"]
    role = [q for q in questions if q["kind"] == "role"]
    assert "Backend Engineer" in role[0]["text"]
    assert role[0]["keywords"] == ["aws", "microservices", "scalability"]


def test_questions_without_cv_or_skills_still_work() -> None:
    questions = generate_questions({}, "", [], [], n=5)
    assert len(questions) == 5 and {q["kind"] for q in questions} == {"behavioural", "technical", "role"}
    assert all("a this" not in q["text"] and "  " not in q["text"] for q in questions)
    assert generate_questions({}, "Accountant", [], [], n=5)[-1]["text"].startswith(
        "Why do you want to work as an Accountant"
    )


def test_generation_is_deterministic_and_does_not_mutate_input() -> None:
    resume = copy.deepcopy(RESUME)
    first = generate_questions(resume, JOB, REQUIRED, KEYWORDS, n=8)
    assert resume == RESUME
    assert generate_questions(resume, JOB, REQUIRED, KEYWORDS, n=8) == first


# --- one answer ----------------------------------------------------------------------------------------


def test_strong_star_answer_beats_vague_one(questions: list[dict[str, Any]]) -> None:
    for question in questions:
        strong, vague = evaluate_answer(question, STRONG), evaluate_answer(question, VAGUE)
        assert strong["star"] == {"situation": True, "task": True, "action": True, "result": True}
        assert strong["scores"]["star"] == 100 > vague["scores"]["star"]
        assert strong["scores"]["specificity"] > vague["scores"]["specificity"]
        assert strong["scores"]["length"] > vague["scores"]["length"]
        assert strong["score"] > vague["score"] + 30
        assert vague["specifics"] == []


def test_star_parts_are_detected_separately() -> None:
    question = {"id": "q1", "kind": "behavioural", "keywords": []}
    situation_only = evaluate_answer(question, "When I was at my last job there was a big outage on the website.")
    assert situation_only["star"] == {"situation": True, "task": False, "action": False, "result": False}
    assert any("your own task" in line for line in situation_only["feedback"])
    we_only = evaluate_answer(question, "We fixed the database and we deployed a new version quickly.")
    assert not we_only["star"]["action"]
    assert any("“we”" in line for line in we_only["feedback"])
    mine = evaluate_answer(question, "I quickly rewrote the importer and then I tested it with real files.")
    assert mine["star"]["action"]


def test_specifics_cover_numbers_money_percent_and_time() -> None:
    evaluation = evaluate_answer(
        {"id": "q", "kind": "technical", "keywords": []},
        "I cut costs by ₹2 lakh, sped up builds 3x, served 12,000 users and shipped in three weeks; 25% fewer bugs.",
    )
    assert set(evaluation["specifics"]) >= {"₹2 lakh", "3x", "12,000 users", "three weeks", "25%"}
    assert evaluation["scores"]["specificity"] == 100


def test_keywords_covered_and_missed() -> None:
    question = {"id": "q", "kind": "technical", "keywords": ["rest api", "ci/cd", "c++"]}
    evaluation = evaluate_answer(question, "I designed REST APIs and set up CI/CD pipelines for the team.")
    assert evaluation["keywords_covered"] == ["rest api", "ci/cd"]
    assert evaluation["keywords_missed"] == ["c++"]
    assert evaluation["scores"]["keywords"] == 67
    assert any("c++" in line for line in evaluation["feedback"])
    assert evaluate_answer({"id": "q", "kind": "role", "keywords": []}, STRONG)["scores"]["keywords"] is None


def test_filler_words_are_counted_but_not_ordinary_like() -> None:
    question = {"id": "q", "kind": "role", "keywords": []}
    fillers = evaluate_answer(question, STRONG + FILLERS)["filler_words"]
    assert fillers == {"um": 2, "uh": 1, "basically": 1, "you know": 1, "like": 1, "actually": 1}
    clean = evaluate_answer(question, "I would like to use tools like Docker. You know how hard deploys can be.")
    assert clean["filler_words"] == {}
    assert clean["scores"]["fluency"] == 100


def test_length_feedback() -> None:
    question = {"id": "q", "kind": "behavioural", "keywords": []}
    short = evaluate_answer(question, "I fixed it.")
    assert short["scores"]["length"] < 10 and any("Too short (3 words)" in line for line in short["feedback"])
    rambling = evaluate_answer(question, " ".join([STRONG] * 5))
    assert rambling["scores"]["length"] < 100 and any("Too long" in line for line in rambling["feedback"])
    assert evaluate_answer(question, STRONG)["scores"]["length"] == 100


def test_empty_answer_scores_zero_with_a_sentence() -> None:
    evaluation = evaluate_answer({"id": "q", "kind": "technical", "keywords": ["python"]}, "   ")
    assert evaluation["score"] == 0 and evaluation["word_count"] == 0
    assert set(evaluation["scores"].values()) == {0}
    assert evaluation["feedback"] == [
        "No answer was given. Even a short answer with one real example scores better than skipping."
    ]


# --- whole interview ------------------------------------------------------------------------------------


def test_strong_interview_beats_vague_on_every_axis(questions: list[dict[str, Any]]) -> None:
    strong, vague = _interview(questions, STRONG), _interview(questions, VAGUE)
    for axis in ("technical", "communication", "job_match", "overall"):
        assert isinstance(strong[axis], int) and 0 <= vague[axis] < strong[axis] <= 100
    assert strong["overall"] >= 80 and vague["overall"] <= 30
    assert strong["strengths"] and not vague["strengths"]
    assert vague["weaknesses"] and vague["recommendations"]
    assert any("STAR" in line for line in vague["recommendations"])
    json.dumps(strong)  # stored as JSON


def test_filler_words_lower_communication(questions: list[dict[str, Any]]) -> None:
    clean, filled = _interview(questions, STRONG), _interview(questions, STRONG + FILLERS)
    assert filled["communication"] < clean["communication"]
    assert any("filler" in line.lower() for line in filled["weaknesses"])


def test_keyword_coverage_raises_job_match(questions: list[dict[str, Any]]) -> None:
    generic = STRONG.replace("Python", "code").replace("PostgreSQL", "database").replace("Kubernetes", "servers")
    generic = generic.replace("AWS", "the cloud").replace("scalability", "load").replace("microservices", "systems")
    with_terms, without = _interview(questions, STRONG), _interview(questions, generic)
    assert with_terms["job_match"] > without["job_match"] + 30
    assert with_terms["technical"] > without["technical"]
    assert any("kubernetes" in line for line in without["recommendations"])


def test_unanswered_questions_count_as_zero(questions: list[dict[str, Any]]) -> None:
    half = [evaluate_answer(q, STRONG) for q in questions[:3]]
    partial = score_interview(questions, half)
    assert partial["questions_answered"] == 3 and partial["questions_total"] == len(questions)
    assert partial["overall"] < _interview(questions, STRONG)["overall"]
    assert "3 of 6 questions were not answered." in partial["weaknesses"]
    nothing = score_interview(questions, [])
    assert [nothing[a] for a in ("technical", "communication", "job_match", "overall")] == [0, 0, 0, 0]
    assert score_interview([], [])["overall"] == 0


def test_scoring_is_deterministic(questions: list[dict[str, Any]]) -> None:
    answers = [STRONG, VAGUE, STRONG + FILLERS, "", VAGUE, STRONG]
    runs = [score_interview(questions, [evaluate_answer(q, a) for q, a in zip(questions, answers, strict=True)])]
    runs.append(score_interview(questions, [evaluate_answer(q, a) for q, a in zip(questions, answers, strict=True)]))
    assert runs[0] == runs[1]


def test_weights_are_normalised() -> None:
    for table in (*practice.ANSWER_WEIGHTS.values(), *practice.AXIS_WEIGHTS.values()):
        assert sum(table.values()) == pytest.approx(1.0)


# --- Tavus transcripts ----------------------------------------------------------------------------------


def test_transcript_user_turns_are_scored_and_small_talk_skipped() -> None:
    transcript = DEFAULT_TRANSCRIPT[1:]  # what TavusClient returns: no system prompt
    context = {"job_title": JOB, "required_skills": ["python", "redis", "sql"], "keywords": ["latency"]}
    result = score_transcript(transcript, context)
    assert result["questions_total"] == 1 and result["questions_answered"] == 1
    assert result["communication"] > 60 and result["job_match"] > 0


def test_transcript_reuses_planned_questions(questions: list[dict[str, Any]]) -> None:
    technical = next(q for q in questions if q["skill"] == "kubernetes")
    transcript = [
        {"role": "assistant", "content": "Hello! Can you hear me?"},
        {"role": "user", "content": "Yes, I can hear you."},
        {"role": "assistant", "content": technical["text"].replace("How would you", "So, how would you")},
        {"role": "user", "content": "I would start with the official tutorials"},
        {"role": "user", "content": "and deploy a small service on a local Kubernetes cluster in my first week."},
        {"role": "assistant", "content": "Thanks, that's all from me."},
    ]
    result = score_transcript(transcript, questions)
    assert result["questions_total"] == 1
    assert result["job_match"] == 100  # the only expected keyword (kubernetes) was covered
    vague = score_transcript([*transcript[:3], {"role": "user", "content": VAGUE}], questions)
    assert vague["job_match"] < result["job_match"] and vague["technical"] < result["technical"]


def test_empty_transcript_scores_zero() -> None:
    result = score_transcript([], {"required_skills": ["python"], "keywords": []})
    assert result["overall"] == 0 and result["questions_total"] == 0
