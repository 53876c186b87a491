""" "Why these scores" in plain words: per sub-score one sentence and a small table, built from the evidence.

The report page and the PDF/Markdown export both render `explain(report)`, so a student reads the same
explanation everywhere and never the raw evidence. Works on older stored reports too: evidence recorded
after them reads as empty, and a report stored without any evidence says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.engine.ats import FORMAT_CHECKS
from core.engine.matching import KEYWORD_FULL_MARKS, PART_WEIGHTS
from core.engine.report import (
    BREAKDOWN,
    DEGREE_LEVELS,
    DegreeLevel,
    EducationEvidence,
    ExperienceEvidence,
    FormatEvidence,
    KeywordEvidence,
    Report,
    SkillsEvidence,
)  # fmt: skip

PART_LABELS = dict(zip(BREAKDOWN, ("Keywords", "Skills", "Experience", "Education", "Format"), strict=True))
NO_EVIDENCE = "This report was stored without the evidence behind its scores; run the analysis again to see why."
COLUMNS = ("What", "Counted", "Missing", "Weight")


@dataclass(frozen=True)
class Row:
    """One line of a sub-score's table: what was checked, what counted, what was missing, its weight."""

    what: str
    counted: str
    missing: str
    weight: str


@dataclass(frozen=True)
class PartExplanation:
    part: str
    label: str
    score: int
    share: float  # this sub-score's weight in the overall score
    sentence: str
    rows: tuple[Row, ...]


def _list(items: list[str] | None, empty: str = "—") -> str:
    return ", ".join(items) if items else empty


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _degree(level: DegreeLevel | None) -> str:
    return (level or "none").replace("_", " ")


def with_cover(skills: list[str], covered: dict[str, str]) -> list[str]:
    """Skills as a student reads them: "orm (covered by hibernate)" when another skill or a title shows it."""
    return [f"{s} (covered by {covered[s]})" if s in covered else s for s in skills]


def _skills(ev: SkillsEvidence, weights: dict[str, float]) -> tuple[str, list[Row]]:
    req_hit, req_miss = with_cover(ev.required_matched, ev.covered_by), ev.required_missing
    pref_hit, pref_miss = with_cover(ev.preferred_matched, ev.covered_by), ev.preferred_missing
    n_req, n_pref = len(req_hit) + len(req_miss), len(pref_hit) + len(pref_miss)
    w_req, w_pref = weights.get("required", 0.75), weights.get("preferred", 0.25)
    bits = [f"{len(req_hit)} of the {n_req} required skills" if n_req else "no required skills are listed"]
    if n_pref:
        bits.append(f"{len(pref_hit)} of the {n_pref} preferred ones")
    sentence = (
        f"Your CV shows {' and '.join(bits)}; required skills carry {_pct(w_req)} of this score and preferred "
        f"ones {_pct(w_pref)}."
    )
    soft = set(ev.soft_skills)
    if soft:
        sentence += " Soft skills (" + ", ".join(sorted(soft)) + ") are listed apart: show them in a bullet's story."

    def split(items: list[str]) -> tuple[list[str], list[str]]:
        return [i for i in items if i.split(" (")[0] not in soft], [i for i in items if i.split(" (")[0] in soft]

    rows = []
    for kind, hit, miss, weight, n in (
        ("Required", req_hit, req_miss, w_req, n_req),
        ("Preferred", pref_hit, pref_miss, w_pref, n_pref),
    ):
        (hard_hit, soft_hit), (hard_miss, soft_miss) = split(hit), split(miss)
        rows.append(Row(f"{kind} skills ({len(hit)} of {n})", _list(hard_hit), _list(hard_miss), _pct(weight)))
        if soft_hit or soft_miss:
            rows.append(Row(f"{kind} soft skills", _list(soft_hit), _list(soft_miss), "within the above"))
    return sentence, rows


def _keywords(ev: KeywordEvidence) -> tuple[str, list[Row]]:
    found, missing = ev.found, ev.missing
    skills_found, skills_missing = ev.skill_terms_found, ev.skill_terms_missing
    hit = len(found) + len(skills_found)
    total = hit + len(missing) + len(skills_missing)
    full = KEYWORD_FULL_MARKS if ev.full_marks_share is None else ev.full_marks_share
    if not total:
        return "The job names no terms beyond its skills, so this score follows the skills score.", []
    sentence = (
        f"Your CV uses {hit} of the job's {total} terms (its skills in its own wording and its key phrases); "
        f"using {_pct(full)} of them earns full marks."
    )
    per_term = f"1 of {total} each"
    rows = [
        Row("Skills as the job writes them", _list(skills_found), _list(skills_missing), per_term),
        Row("Key phrases of the job", _list(found), _list(missing), per_term),
    ]
    return sentence, rows


def _experience(ev: ExperienceEvidence, weights: dict[str, float]) -> tuple[str, list[Row]]:
    need, have = ev.required_years, ev.candidate_years
    title, similarity = ev.closest_title, ev.title_similarity
    used = ev.required_skills_used_in_experience
    unused = ev.required_skills_not_used_in_experience
    years = f"{have:g} years against {need:g} asked" if need else f"{have:g} years (the job states no minimum)"
    title_text = (
        f'your closest past title is "{title}" ({_pct(similarity)} of the job title)'
        if title
        else ("no past title is close to the job title")
    )
    sentence = f"You have {years}; {title_text}; {len(used)} required skills appear in your experience bullets."
    rows = [
        Row("Years of experience", f"{have:g}", f"{need:g} asked" if need and have < need else "—",
            _pct(weights.get("years", 0.45))),
        Row("Closest past title", title or "—", "—" if similarity >= 1 else "some words of the job title",
            _pct(weights.get("title", 0.30))),
        Row("Required skills used in experience bullets", _list(used), _list(unused),
            _pct(weights.get("skills_in_experience", 0.25))),
    ]  # fmt: skip
    return sentence, rows


def _education(ev: EducationEvidence, or_equivalent: bool) -> tuple[str, list[Row]]:
    need, have = ev.required, ev.candidate
    if not need:
        return f"The job asks for no degree, so education scores full marks (yours: {_degree(have)}).", [
            Row("Degree", _degree(have), "—", "100%")
        ]
    need_text = f"a {_degree(need)} degree" + (" or equivalent experience" if or_equivalent else "")
    sentence = (
        f"The job asks for {need_text}; you have {_degree(have)}. Meeting it scores 100, one level below 50, "
        "further below 0."
    )
    met = DEGREE_LEVELS.index(have) >= DEGREE_LEVELS.index(need)
    return sentence, [Row("Degree", _degree(have), "—" if met else f"{_degree(need)} asked", "100%")]


def _format(ev: FormatEvidence) -> tuple[str, list[Row]]:
    passed, details, failed = set(ev.passed), ev.details, ev.failed
    sentence = (
        f"{len(passed)} of {len(FORMAT_CHECKS)} format checks passed: they ask whether an applicant-tracking "
        "system can read your CV, whatever the job."
    )
    rows = [
        Row(what, details.get(check, "passed") if check in passed else "—", failed.get(check, "—"), f"{points} pts")
        for check, (points, what) in FORMAT_CHECKS.items()
    ]
    return sentence, rows


def explain(report: Report) -> list[PartExplanation]:
    """One explanation per sub-score, in the breakdown's order."""
    evidence, job = report.ats_score.evidence, report.job
    breakdown = report.ats_score.breakdown.model_dump()
    shares = report.weights or {}
    out = []
    for part, label in PART_LABELS.items():
        rows: list[Row] = []
        if evidence is None:
            sentence = NO_EVIDENCE
        elif part == "skills_match":
            sentence, rows = _skills(evidence.skills_match, PART_WEIGHTS[part])
        elif part == "keyword_density":
            sentence, rows = _keywords(evidence.keyword_density)
        elif part == "experience_relevance":
            sentence, rows = _experience(evidence.experience_relevance, PART_WEIGHTS[part])
            if job and job.skill_years:
                asked = ", ".join(f"{skill} {years:g}+" for skill, years in job.skill_years.items())
                rows.append(Row("Years asked per skill", asked, "—", "shown, not scored"))
        elif part == "education_match":
            sentence, rows = _education(evidence.education_match, bool(job and job.degree_or_equivalent))
        else:
            sentence, rows = _format(evidence.format_optimization)
        out.append(PartExplanation(part, label, breakdown[part], shares.get(part, 0.0), sentence, tuple(rows)))
    return out
