"""CV <-> job-description analysis: the report of DESIGN.md, with the evidence behind every number.

All weights live in WEIGHTS / PART_WEIGHTS below. "Does it match" (skills, keywords, experience, education)
and "will it parse" (format_optimization, core.ats) are computed separately; the overall ATS score combines
them, the role-compatibility score uses only the match. Deterministic: same input, byte-identical JSON.
"""

from __future__ import annotations

import csv
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from core.engine import ats, keywords, roles
from core.engine.documents import ReadLimits, extract_text
from core.engine.flashcards import generate_flashcards
from core.engine.insights import cite, generate_insights
from core.engine.jd import JobDescription, parse_jd
from core.engine.report import (
    DEGREE_LEVELS,
    FAIR_SCORE,
    GOOD_SCORE,
    Analysis,
    AtsScore,
    EducationMatch,
    Evidence,
    ExperienceMatch,
    Job,
    RecommendedRole,
    Report,
    RoleCompatibility,
    SoftSkills,
)  # fmt: skip
from core.engine.resume import parse_resume
from core.engine.skills import covered_by, find_skills, skill_info
from core.errors import AppError, ErrorCode
from core.untrusted_text import csv_cell

# Overall ATS score = sum of weight x part. Sums to 1.
WEIGHTS: dict[str, float] = {
    "skills_match": 0.40,
    "experience_relevance": 0.20,
    "keyword_density": 0.10,
    "education_match": 0.15,
    "format_optimization": 0.15,
}
# Inside the parts.
PART_WEIGHTS: dict[str, dict[str, float]] = {
    "skills_match": {"required": 0.75, "preferred": 0.25},
    "experience_relevance": {"years": 0.45, "title": 0.30, "skills_in_experience": 0.25},
    # Role compatibility: the recruiter's question "is this the right person", no format.
    "role_compatibility": {"required": 0.45, "preferred": 0.10, "title": 0.20, "years": 0.15, "education": 0.10},
}
KEYWORD_FULL_MARKS = 0.6  # using 60% of the job's terms (skills + key phrases) reads as a well-targeted CV
PREVIEW_CHARS = 600


@dataclass(frozen=True)
class _Facts:
    """Everything the scores are computed from; kept together so insights and flashcards see the same facts."""

    jd: JobDescription
    cv_skills: set[str]
    req_hit: list[str]
    req_miss: list[str]
    pref_hit: list[str]
    pref_miss: list[str]
    kw_hit: list[str]
    kw_miss: list[str]
    kw_lines: dict[str, str]  # keyword -> the CV line that uses it
    skill_terms_hit: list[str]  # the JD's hard skills in its own wording, found in the CV (by any alias)
    skill_terms_miss: list[str]
    years: float
    degree: str
    title_sim: float
    best_title: str | None
    title_line: str | None  # the CV line that names best_title, quoted when the reasoning mentions it
    skills_in_experience: list[str]
    covered_by: dict[str, str]  # a JD skill the CV shows without naming it -> what covers it ("orm" -> "hibernate")
    skill_lines: dict[str, str]  # a JD skill found in the CV -> the CV line that shows it


def analyze(resume: dict[str, Any], cv_text: str, jd_text: str | None, layout: ats.Layout | None = None) -> Report:
    """The full report for a parsed CV against a JD; without a JD, the CV-only analysis."""
    if not (jd_text or "").strip():
        return analyze_cv_only(resume, cv_text, layout)
    return report_for_job(resume, cv_text, parse_jd(jd_text or ""), layout)


def analyze_cv_only(resume: dict[str, Any], cv_text: str, layout: ats.Layout | None = None) -> Report:
    """Recommended roles, skills by category, and a report scored against the best-fitting role."""
    skills = set(resume.get("skills") or [])
    titles = _cv_titles(resume, cv_text)
    ranked = roles.rank(skills, titles)
    top = [f for f in ranked if f.score >= 25][:5] or ranked[:3]
    top = top if len(top) >= 3 else ranked[:3]
    best = top[0].role
    core = list(best.core_skills)
    pseudo_jd = JobDescription(best.name, sorted(core[:8]), sorted(core[8:]), None, None, [], "")
    report = report_for_job(resume, cv_text, pseudo_jd, layout)
    report.analysis.recommended_roles = [
        RecommendedRole(
            role=f.role.name,
            family=f.role.family,
            score=f.score,
            matching_skills=list(f.matched),
            missing_skills=list(f.missing[:5]),
            reasoning=_role_reason(f),
        )
        for f in top
    ]
    report.analysis.skills_summary = skills_by_category(skills)
    report.mode = "cv_only"
    return report


def skills_by_category(skills: set[str]) -> dict[str, list[str]]:
    summary: dict[str, list[str]] = {}
    for name in sorted(skills):
        info = skill_info(name)
        summary.setdefault(info.category if info else "other", []).append(name)
    return dict(sorted(summary.items()))


def report_for_job(
    resume: dict[str, Any], cv_text: str, jd: JobDescription, layout: ats.Layout | None = None
) -> Report:
    """The report for a CV against an already parsed JD (batch parses the JD once)."""
    facts = _facts(resume, cv_text, jd)
    parts, evidence = _parts(facts, resume, cv_text, layout)
    overall = round(sum(WEIGHTS[k] * v for k, v in parts.items()))
    compat = _compatibility(facts)
    analysis = Analysis(
        matching_skills=facts.req_hit + facts.pref_hit,
        missing_skills=facts.req_miss + facts.pref_miss,
        matching_keywords=facts.kw_hit,
        missing_keywords=facts.kw_miss,
        keyword_evidence=facts.kw_lines,
        covered_by=facts.covered_by,
        skill_evidence=facts.skill_lines,
        soft_skills=SoftSkills(
            matched=JobDescription.soft(facts.req_hit + facts.pref_hit),
            missing=JobDescription.soft(facts.req_miss + facts.pref_miss),
        ),
        experience_match=ExperienceMatch(
            required_years=jd.min_years,
            candidate_years=round(facts.years, 1),
            match_percentage=_years_pct(facts),
        ),
        education_match=EducationMatch(
            required=jd.degree_required,
            candidate=facts.degree,
            match=_degree_gap(facts) <= 0,
        ),
        role_compatibility=RoleCompatibility(score=compat, reasoning=_compat_reason(facts, compat)),
    )
    why = Evidence.model_validate(evidence)
    return Report(
        analysis=analysis,
        insights=generate_insights(analysis, why, resume, jd.title, cv_text),
        flashcards=generate_flashcards(jd, resume, analysis),
        ats_score=AtsScore(overall_score=overall, breakdown=parts, evidence=why),
        resume_preview=_preview(cv_text),
        job=Job.model_validate(jd.to_dict()),
        weights=WEIGHTS,
    )


def _facts(resume: dict[str, Any], cv_text: str, jd: JobDescription) -> _Facts:
    named = set(resume.get("skills") or [])
    titles = _cv_titles(resume, cv_text)
    covered = _covered(jd, named, titles)
    cv_skills = named | set(covered)
    # Alternatives of an "any of" requirement the CV already meets are not missing.
    spare = {a for must, alts in jd.any_of.items() if must in cv_skills for a in alts}
    index = keywords.cv_index(cv_text)
    kw_lines = {k: line for k in jd.keywords if (line := index.find(k))}
    kw_hit = [k for k in jd.keywords if k in kw_lines]
    hard = [s for s in jd.required_skills + jd.preferred_skills if (info := skill_info(s)) and info.kind == "hard"]
    exp_text = "\n".join(
        " ".join([j.get("title") or "", *(j.get("bullets") or [])]) for j in resume.get("experience") or []
    )
    in_exp_named = {m.skill for m in find_skills(exp_text)}
    job_titles = [j.get("title") or "" for j in resume.get("experience") or []]
    in_exp = in_exp_named | set(_covered(jd, in_exp_named, job_titles))
    title_sim, best_title = _title_similarity(jd.title, titles)
    return _Facts(
        jd=jd,
        cv_skills=cv_skills,
        req_hit=[s for s in jd.required_skills if s in cv_skills],
        req_miss=[s for s in jd.required_skills if s not in cv_skills],
        pref_hit=[s for s in jd.preferred_skills if s in cv_skills],
        pref_miss=[s for s in jd.preferred_skills if s not in cv_skills and s not in spare],
        kw_hit=kw_hit,
        kw_miss=[k for k in jd.keywords if k not in kw_hit],
        kw_lines=kw_lines,
        skill_terms_hit=[jd.surface(s) for s in hard if s in cv_skills],
        skill_terms_miss=[jd.surface(s) for s in hard if s not in cv_skills],
        years=float(resume.get("years_experience") or 0.0),
        degree=resume.get("highest_degree") or "none",
        title_sim=title_sim,
        best_title=best_title,
        title_line=_heading_line(cv_text, best_title),
        skills_in_experience=sorted(s for s in jd.required_skills if s in in_exp),
        covered_by={s: covered[s] for s in jd.required_skills + jd.preferred_skills if s in covered},
        skill_lines=_skill_lines(cv_text, named, covered, jd.required_skills + jd.preferred_skills),
    )


def _covered(jd: JobDescription, named: set[str], titles: list[str]) -> dict[str, str]:
    """JD skills a CV covers without naming them: implied by a named skill or a past title, or an alternative
    the JD accepts instead ("one of Python, Ruby, Java": Ruby covers the python slot)."""
    covered = covered_by(named, titles)
    for must, alternatives in jd.any_of.items():
        if must not in named and must not in covered:
            have = [a for a in alternatives if a in named or a in covered]
            if have:
                covered[must] = f"{have[0]} (the job accepts any of {', '.join([must, *alternatives])})"
    return covered


def _skill_lines(cv_text: str, named: set[str], covered: dict[str, str], wanted: list[str]) -> dict[str, str]:
    """The first CV line naming each wanted skill, or naming the skill that covers it. Only skills the CV names
    or covers can have one, and the scan stops once each of them has its line (most CVs: in the first half)."""
    findable = [skill for skill in wanted if skill in named or covered.get(skill)]
    lines: dict[str, str] = {}
    for line in (ln.strip() for ln in (cv_text or "").splitlines()):
        if len(lines) == len(findable):
            break
        if not line:
            continue
        found = {m.skill for m in find_skills(line)}
        for skill in findable:
            source = covered.get(skill, "").split(" (")[0]
            if skill not in lines and (skill in found & named or source in found or source == line):
                lines[skill] = line
    return lines


def _ratio(hit: list[str], miss: list[str], default: float) -> float:
    total = len(hit) + len(miss)
    return len(hit) / total if total else default


def _coverages(f: _Facts) -> tuple[float, float]:
    req = _ratio(f.req_hit, f.req_miss, _ratio(f.pref_hit, f.pref_miss, 0.5))
    return req, _ratio(f.pref_hit, f.pref_miss, req)


def _years_ratio(f: _Facts) -> float:
    need = f.jd.min_years
    return 1.0 if not need else min(1.0, f.years / need)


def _years_pct(f: _Facts) -> int:
    return round(100 * _years_ratio(f))


def _degree_gap(f: _Facts) -> int:
    """How many degree levels below the requirement the candidate is (<= 0 means the bar is met)."""
    if not f.jd.degree_required:
        return 0
    return DEGREE_LEVELS.index(f.jd.degree_required) - DEGREE_LEVELS.index(f.degree)


def _education_score(f: _Facts) -> int:
    gap = _degree_gap(f)
    return 100 if gap <= 0 else 50 if gap == 1 else 0


def _parts(
    f: _Facts, resume: dict[str, Any], cv_text: str, layout: ats.Layout | None
) -> tuple[dict[str, int], dict[str, Any]]:
    req_cov, pref_cov = _coverages(f)
    sw = PART_WEIGHTS["skills_match"]
    skills = round(100 * (sw["required"] * req_cov + sw["preferred"] * pref_cov))
    n_kw_hit = len(f.kw_hit) + len(f.skill_terms_hit)
    n_kw = n_kw_hit + len(f.kw_miss) + len(f.skill_terms_miss)
    kw = round(100 * min(1.0, n_kw_hit / n_kw / KEYWORD_FULL_MARKS)) if n_kw else skills
    ew = PART_WEIGHTS["experience_relevance"]
    in_exp = len(f.skills_in_experience) / len(f.jd.required_skills) if f.jd.required_skills else req_cov
    experience = round(
        100 * (ew["years"] * _years_ratio(f) + ew["title"] * f.title_sim + ew["skills_in_experience"] * in_exp)
    )
    fmt, fmt_evidence = ats.format_score(resume, cv_text, layout)
    parts = {
        "keyword_density": kw,
        "skills_match": skills,
        "experience_relevance": experience,
        "education_match": _education_score(f),
        "format_optimization": fmt,
    }
    evidence = {
        "skills_match": {
            "required_matched": f.req_hit,
            "required_missing": f.req_miss,
            "preferred_matched": f.pref_hit,
            "preferred_missing": f.pref_miss,
            "covered_by": f.covered_by,
            "soft_skills": JobDescription.soft(f.jd.required_skills + f.jd.preferred_skills),
            "formula": f"{sw['required']:.0%} x {len(f.req_hit)}/{len(f.req_hit) + len(f.req_miss)} required"
            f" + {sw['preferred']:.0%} x {len(f.pref_hit)}/{len(f.pref_hit) + len(f.pref_miss)} preferred",
            "jd_lines": {
                s: f.jd.evidence[s] for s in f.jd.required_skills + f.jd.preferred_skills if s in f.jd.evidence
            },
        },
        "keyword_density": {
            "found": f.kw_hit,
            "missing": f.kw_miss,
            "skill_terms_found": f.skill_terms_hit,
            "skill_terms_missing": f.skill_terms_miss,
            "cv_lines": f.kw_lines,
            "full_marks_share": KEYWORD_FULL_MARKS,
            "formula": f"{n_kw_hit}/{n_kw} job terms (skills and key phrases) found;"
            f" {KEYWORD_FULL_MARKS:.0%} earns full marks"
            if n_kw
            else "the job has no terms beyond skills; mirrors skills_match",
        },
        "experience_relevance": {
            "required_years": f.jd.min_years,
            "candidate_years": round(f.years, 1),
            "closest_title": f.best_title,
            "title_similarity": round(f.title_sim, 2),
            "required_skills_used_in_experience": f.skills_in_experience,
            "required_skills_not_used_in_experience": [
                s for s in f.jd.required_skills if s not in f.skills_in_experience
            ],
            "formula": f"{ew['years']:.0%} years + {ew['title']:.0%} title + {ew['skills_in_experience']:.0%}"
            " required skills shown in experience bullets",
        },
        "education_match": {
            "required": f.jd.degree_required,
            "candidate": f.degree,
            "rule": "meets or exceeds: 100; one level below: 50; further below: 0; no requirement: 100",
        },
        "format_optimization": fmt_evidence,
    }
    return parts, evidence


def _compatibility(f: _Facts) -> int:
    req_cov, pref_cov = _coverages(f)
    w = PART_WEIGHTS["role_compatibility"]
    edu = 1.0 if _degree_gap(f) <= 0 else 0.5 if _degree_gap(f) == 1 else 0.0
    score = (
        w["required"] * req_cov
        + w["preferred"] * pref_cov
        + w["title"] * f.title_sim
        + w["years"] * _years_ratio(f)
        + w["education"] * edu
    )
    return round(100 * score)


def _compat_reason(f: _Facts, score: int) -> str:
    """One sentence a recruiter would write: verdict, then the facts that drive it."""
    verdict = "Strong fit" if score >= GOOD_SCORE else "Partial fit" if score >= FAIR_SCORE else "Weak fit"
    n_req = len(f.req_hit) + len(f.req_miss)
    bits = [f"covers {len(f.req_hit)} of {n_req} required skills" if n_req else "the job lists no required skills"]
    if f.jd.min_years:
        bits.append(f"{f.years:.1f} years of experience against {f.jd.min_years:g} asked")
    if f.jd.degree_required:
        met = "meets" if _degree_gap(f) <= 0 else "falls short of"
        bits.append(f"{met} the {f.jd.degree_required.replace('_', ' ')} degree requirement")
    if f.best_title and f.title_sim >= 0.5:
        bits.append(f"has worked as {f.best_title}" + (f" (your CV: {cite(f.title_line)})" if f.title_line else ""))
    elif f.jd.title:
        bits.append("no past title close to this role")
    if f.req_miss:
        bits.append("missing " + ", ".join(f.req_miss[:3]))
    role = f.jd.title or "this role"
    return f"{verdict} for {role}: " + "; ".join(bits) + "."


def _heading_line(cv_text: str, title: str | None) -> str | None:
    """The shortest CV line naming `title`: the position's heading, rather than a summary that mentions it."""
    want = " ".join((title or "").split()).lower()
    lines = [ln.strip() for ln in cv_text.splitlines() if want and want in " ".join(ln.split()).lower()]
    return min(lines, key=len, default=None)


def _role_reason(fit: roles.RoleFit) -> str:
    have = ", ".join(fit.matched[:4]) or "few of its core skills"
    gap = f"; to strengthen: {', '.join(fit.missing[:3])}" if fit.missing else ""
    title = " and a matching past title" if fit.title_hit else ""
    return f"{len(fit.matched)} of its core skills ({have}){title}{gap}."


def _cv_titles(resume: dict[str, Any], cv_text: str) -> list[str]:
    """Past job titles plus the headline under the name (often the target title)."""
    titles = [j.get("title") or "" for j in resume.get("experience") or []]
    head = [ln.strip() for ln in (cv_text or "").splitlines() if ln.strip()][:3]
    headline = [ln for ln in head[1:] if "@" not in ln and not re.search(r"\d{3}", ln) and len(ln) < 60]
    return [t for t in titles + headline[:1] if t]


def _title_words(title: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z/+-]*", roles.clean_title(title)) if w not in {"and", "of", "the"}}


def _title_similarity(jd_title: str, cv_titles: list[str]) -> tuple[float, str | None]:
    """Best share of the JD title's words found in one CV title, plus that title."""
    want = _title_words(jd_title)
    if not want:
        return 0.0, None
    best, best_title = 0.0, None
    for title in cv_titles:
        have = _title_words(title)
        score = len(want & have) / len(want)
        if score > best:
            best, best_title = score, title
    return best, best_title


def _preview(text: str) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[:PREVIEW_CHARS].rsplit(" ", 1)[0] + " …"


# --- files: the CLI entry points -----------------------------------------------------------------------
# Reading goes through core.documents (type checks, killable parser worker); a CV that cannot be read
# becomes a batch row with its error code instead of stopping the batch.

CV_SUFFIXES = (".pdf", ".docx", ".txt")
BATCH_COLUMNS = (
    "rank", "file", "name", "email", "overall_score", "role_compatibility", "skills_match",
    "experience_relevance", "education_match", "keyword_density", "format_optimization",
    "years_experience", "highest_degree", "missing_required", "error",
)  # fmt: skip


def read_text(path: Path, limits: ReadLimits) -> tuple[str, ats.Layout]:
    """Text and layout facts of a CV or JD file (raises AppError with a user-facing message)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AppError(ErrorCode.INVALID_FILE_FORMAT, f"Cannot read {path.name}: check the path.") from exc
    doc = extract_text(data, path.name, limits)
    return doc.text, ats.Layout(doc.pages, doc.has_columns, doc.has_tables, doc.headings)


def _read_jd(jd_path: Path, limits: ReadLimits) -> str:
    try:
        text, _ = read_text(jd_path, limits)
    except AppError as exc:
        if exc.code == ErrorCode.EMPTY_FILE:
            raise AppError(ErrorCode.MISSING_JOB_DESCRIPTION, "The job description file is empty.") from exc
        raise
    return text


def analyze_files(
    resume_path: str | Path, jd_path: str | Path | None, limits: ReadLimits, today: date | None = None
) -> Report:
    """The report for one CV file against one JD file (CV-only analysis when jd_path is None)."""
    cv_text, layout = read_text(Path(resume_path), limits)
    jd_text = _read_jd(Path(jd_path), limits) if jd_path else None
    return analyze(parse_resume(cv_text, today, layout.headings), cv_text, jd_text, layout)


def batch(
    jd_path: str | Path, directory: str | Path, limits: ReadLimits, today: date | None = None
) -> list[dict[str, Any]]:
    """One row per CV in `directory` (not recursive), best overall score first; unreadable files last."""
    folder = Path(directory)
    if not folder.is_dir():
        raise AppError(ErrorCode.NOT_FOUND, f"{folder} is not a folder of CVs.")
    jd = parse_jd(_read_jd(Path(jd_path), limits))
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in CV_SUFFIXES)
    # Threads only wait on the parser worker processes, so two cores are kept busy without pickling reports.
    with ThreadPoolExecutor(max_workers=4) as pool:
        rows = list(pool.map(lambda p: _row(p, jd, limits, today), files))
    rows.sort(key=lambda r: (r["error"] is not None, -(r["overall_score"] or 0), r["file"]))
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    return rows


def _row(path: Path, jd: JobDescription, limits: ReadLimits, today: date | None) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(BATCH_COLUMNS)
    row["file"] = path.name
    try:
        text, layout = read_text(path, limits)
    except AppError as exc:
        row["error"] = str(exc.code)
        return row
    resume = parse_resume(text, today, layout.headings)
    report = report_for_job(resume, text, jd, layout)
    evidence = report.ats_score.evidence
    row.update(report.ats_score.breakdown.model_dump())
    row.update(
        name=resume.get("name"),
        email=resume.get("email"),
        overall_score=report.ats_score.overall_score,
        role_compatibility=report.analysis.role_compatibility.score,
        years_experience=resume.get("years_experience"),
        highest_degree=resume.get("highest_degree"),
        missing_required="; ".join(evidence.skills_match.required_missing if evidence else []),
    )
    return row


def write_batch_csv(rows: list[dict[str, Any]], out: str | Path) -> None:
    """Write batch rows as CSV with a fixed column order."""
    with Path(out).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=BATCH_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_cell(row.get(k)) for k in BATCH_COLUMNS} for row in rows)
