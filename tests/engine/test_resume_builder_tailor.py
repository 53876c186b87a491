"""Résumé builder: tailoring to a job truthfully, and the guard that keeps the wording assistant from inventing."""

from __future__ import annotations

import pytest

from core.engine.resume_builder import assistant, tailor
from core.engine.resume_builder.model import Resume, validate
from core.errors import AppError
from tests.engine.conftest import CORPUS
from tests.engine.test_resume_builder import TODAY, ZOE

JD = (CORPUS / "jds" / "05_data_analyst.txt").read_text(encoding="utf-8")


@pytest.fixture
def resume() -> Resume:
    return validate(ZOE)


def offered(resume: Resume) -> list[tailor.Gap]:
    return tailor.gaps(tailor.score(resume, JD, TODAY), JD)


def test_the_job_gaps_are_offered_as_the_job_spells_them(resume: Resume) -> None:
    gaps = {gap.term: gap for gap in offered(resume)}
    assert {"power bi", "communication"} <= set(gaps)
    assert gaps["power bi"].label == "Power BI" and gaps["power bi"].kind == "skill"
    assert "Power BI" in (gaps["power bi"].asked_in or "")
    assert not {"python", "sql", "tableau"} & set(gaps)  # already shown


def test_hard_skills_go_to_the_skills_line_and_soft_ones_under_a_position(resume: Resume) -> None:
    gaps = {gap.term: gap for gap in offered(resume)}
    assert tailor.suggest(resume, gaps["power bi"]) == tailor.Placement("power bi", "skills", "Power BI")
    soft = tailor.suggest(resume, gaps["communication"])
    assert soft.target == "experience.0"
    assert soft.text == "Applied communication as Data Analyst at Acme Logistics"
    assert tailor.targets(resume) == {
        "skills": "Skills",
        "experience.0": "A bullet under Data Analyst at Acme Logistics",
        "experience.1": "A bullet under Junior Analyst at Brightside Retail",
    }


def test_ticking_true_gaps_raises_the_score_and_adds_nothing_unticked(resume: Resume) -> None:
    before = tailor.score(resume, JD, TODAY)
    gaps = offered(resume)
    ticked = [gap for gap in gaps if gap.term in ("power bi", "communication")]
    placements = [tailor.suggest(resume, gap) for gap in ticked]
    soft = next(p for p in placements if p.term == "communication")
    after_resume = tailor.apply(resume, gaps, placements)
    after = tailor.score(after_resume, JD, TODAY)
    assert after.ats_score.overall_score > before.ats_score.overall_score
    assert after.ats_score.breakdown.skills_match > before.ats_score.breakdown.skills_match
    assert {"power bi", "communication"} <= set(after.analysis.matching_skills)
    # exactly the ticked items were added, where the student agreed, and nothing else changed
    assert after_resume.skills == [*resume.skills, "Power BI"]
    assert after_resume.experience[0].bullets == [*resume.experience[0].bullets, soft.text]
    assert after_resume.experience[1] == resume.experience[1]
    assert after_resume.model_copy(update={"skills": resume.skills, "experience": resume.experience}) == resume
    untouched = {gap.term for gap in gaps} - {"power bi", "communication"}
    assert untouched & set(before.analysis.missing_skills) <= set(after.analysis.missing_skills)
    assert tailor.score(after_resume, JD, TODAY).to_json() == after.to_json()  # deterministic


def test_a_term_the_job_did_not_ask_for_or_a_missing_position_is_refused(resume: Resume) -> None:
    gaps = offered(resume)
    with pytest.raises(AppError, match="not one of the job's missing terms"):
        tailor.apply(resume, gaps, [tailor.Placement("kubernetes", "skills", "Kubernetes")])
    with pytest.raises(AppError, match="Choose where"):
        tailor.apply(resume, gaps, [tailor.Placement("power bi", "experience.7", "Power BI")])
    with pytest.raises(AppError, match="Say how"):
        tailor.apply(resume, gaps, [tailor.Placement("power bi", "skills", "  ")])


# --- the assistant's guard --------------------------------------------------------------------------------------

BULLET = ("experience", 0, "bullets", 1)  # "Automated data cleaning in Python and SQL"


def test_a_faithful_rewording_passes(resume: Resume) -> None:
    assert assistant.problems(resume, BULLET, "Automated data cleaning with Python and SQL for Acme Logistics") == []
    assert (
        assistant.problems(resume, ("summary",), "Data Analyst since 2021 at Acme Logistics; Tableau dashboards") == []
    )


@pytest.mark.parametrize(
    ("proposal", "reason"),
    [
        ("Automated data cleaning in Python and SQL at Google", "names not in your résumé"),
        ("Automated data cleaning in Python and SQL since 2017", "dates not in your résumé: 2017"),
        ("Automated data cleaning in Python and SQL from March 2018", "dates not in your résumé"),
        ("Automated data cleaning in Python and SQL during a master's degree", "a degree (master)"),
        ("Automated data cleaning in Python, SQL and Snowflake", "skills not in your résumé: snowflake"),
        ("Automated data cleaning in Python and SQL, saving 20 hours a week", "figures not in your résumé: 20"),
    ],
    ids=["employer", "year", "month", "degree", "skill", "figure"],
)
def test_a_proposal_that_invents_is_refused(resume: Resume, proposal: str, reason: str) -> None:
    found = assistant.problems(resume, BULLET, proposal)
    assert any(reason in problem for problem in found), found


def test_the_prompt_variables_describe_one_field(resume: Resume) -> None:
    values = assistant.variables(resume, BULLET, "no number or result")
    assert values["field"] == "Position 1, bullet 2"
    assert values["current"] == "Automated data cleaning in Python and SQL"
    assert values["employers"] == ["Acme Logistics", "Brightside Retail"]
