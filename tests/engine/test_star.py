"""STAR detection on real answers of each shape, answers counted in their category, synonyms as keywords."""

from __future__ import annotations

import pytest

from core.engine.practice import evaluate_answer, score_interview

BEHAVIOURAL = {"id": "b", "kind": "behavioural", "keywords": []}


@pytest.mark.parametrize(
    "answer",
    [
        # Issue 16: context stated as "At X, our …" with a number of people.
        "At Northstar Home Goods our 120 store managers spent hours every Monday building sales reports by hand.",
        "When the checkout service started timing out during the holiday sale, orders were failing.",
        "Our team of 6 engineers maintained a legacy billing system of 40 services that nobody fully understood.",
        "In my last internship the support queue had grown to 900 open tickets.",
        "During my final year project, the lab's booking spreadsheet kept double-booking rooms.",
        "There were three regional offices using different versions of the pricing sheet.",
    ],
)
def test_situation_stated_as_context_is_recognised(answer: str) -> None:
    assert evaluate_answer(BEHAVIOURAL, answer)["star"]["situation"]


@pytest.mark.parametrize(
    "answer",
    [
        "My goal was to get the weekly report out before 9 am without anyone touching Excel.",
        "I was asked to cut the cloud bill before the next funding round.",
        "It was my job to make sure the migration did not lose a single order.",
        "The manager brought me in to fix onboarding, which took new hires three weeks.",
        "We needed to ship the feature before the trade show.",
    ],
)
def test_task_is_recognised(answer: str) -> None:
    assert evaluate_answer(BEHAVIOURAL, answer)["star"]["task"]


@pytest.mark.parametrize(
    "answer",
    [
        "I built a Power BI dashboard that pulled the sales data every night.",
        "First I interviewed five store managers, then I rewrote the queries.",
        "I then set up alerts and sat down with the on-call engineers to agree a runbook.",
        "I've automated the refresh with a scheduled job.",
    ],
)
def test_action_is_recognised(answer: str) -> None:
    assert evaluate_answer(BEHAVIOURAL, answer)["star"]["action"]


@pytest.mark.parametrize(
    "answer",
    [
        "Manual reporting time fell from 10 hours to 1 hour a week.",
        "As a result refresh failures dropped to zero.",
        "Page load went down to 1.2 seconds and conversion rose by 4%.",
        "The managers no longer build reports by hand.",
        "We cut the cloud bill by 30%.",
    ],
)
def test_result_is_recognised(answer: str) -> None:
    assert evaluate_answer(BEHAVIOURAL, answer)["star"]["result"]


def test_full_star_answer_from_the_issue_has_all_four_parts() -> None:
    answer = (
        "At Northstar Home Goods our 120 store managers spent hours each week on sales reports. My goal was to "
        "automate them. I built a Power BI dashboard with DAX measures and trained the managers. As a result "
        "manual reporting time fell by 10 hours per week."
    )
    evaluation = evaluate_answer(BEHAVIOURAL, answer)
    assert all(evaluation["star"].values())
    assert "Open with the situation" not in " ".join(evaluation["feedback"])


def test_vague_answer_still_lacks_parts() -> None:
    star = evaluate_answer(BEHAVIOURAL, "I think I am a hard worker and I like working with people.")["star"]
    assert not star["situation"] and not star["result"]


def test_an_answered_technical_question_counts_in_technical() -> None:
    """Was: the practice summary showed "Technical 0" though the technical question was answered."""
    questions = [
        {"id": "q1", "kind": "technical", "skill": "kubernetes", "keywords": ["kubernetes"]},
        {"id": "q2", "kind": "behavioural", "skill": None, "keywords": []},
    ]
    answer = (
        "I would start with the official tutorial, then run a small cluster on my laptop and move one of our "
        "side projects onto it, pairing with someone on the platform team who knows it well."
    )
    result = score_interview(questions, [evaluate_answer(questions[0], answer)])
    assert result["questions_answered"] == 1
    assert result["technical"] > 0


def test_a_synonym_covers_the_keyword() -> None:
    """ "Postgres" is postgresql and Hibernate is an ORM: neither is reported as missed."""
    question = {"id": "q", "kind": "technical", "skill": "postgresql", "keywords": ["postgresql", "orm"]}
    evaluation = evaluate_answer(question, "I tuned Postgres indexes and mapped the entities with Hibernate.")
    assert evaluation["keywords_covered"] == ["postgresql", "orm"] and not evaluation["keywords_missed"]
    assert not any("Mention" in f for f in evaluation["feedback"])


def test_no_question_says_the_cv_lacks_a_skill_it_shows_through_another() -> None:
    from core.engine.practice import generate_questions

    resume = {"skills": ["hibernate", "java"], "experience": []}
    questions = generate_questions(resume, "Java Developer", ["orm", "java", "kubernetes"], [])
    said = " ".join(q["text"] for q in questions)
    assert "orm, which your CV does not mention" not in said
    assert "kubernetes, which your CV does not mention" in said  # a real gap is still named
