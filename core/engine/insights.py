"""Strengths, improvements and prioritised recommendations, written from the facts of one report.

Every sentence names the skill, number or check it is about, so two different CVs never get the same
advice, and a sentence about the CV quotes the CV line it rests on (`cite`). Absence is claimed only for what
neither a synonym nor an implied skill covers (the report's missing lists already account for both).
Priority follows impact on the score: missing required skills and failed parse checks are high.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from core.engine.report import Analysis, Evidence
from core.engine.skills import skill_info

_FORMAT_FIXES = {
    "contact_block": "Put your name, e-mail and phone as plain text in the first lines ({detail}).",
    "section_headings": "Use standard headings an ATS recognises: 'Experience', 'Education', 'Skills' ({detail}).",
    "dates_consistent": "Give every position a start and end date in one style, e.g. 'Mar 2021 - Present' ({detail}).",
    "length": "Adjust the length ({detail}).",
    "measurable_bullets": "Add numbers to your bullets - scale, % change, money, time saved ({detail}).",
    "plain_layout": "Switch to a single-column layout without tables ({detail}).",
}


QUOTE_CHARS = 110


def cite(line: str) -> str:
    """A CV line as quoted evidence: the line itself, cut at a word with " …" when long."""
    line = " ".join(line.split())
    return f'"{line if len(line) <= QUOTE_CHARS else line[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"}"'


def cv_line(cv_text: str, fragment: str | None) -> str | None:
    """The first CV line containing `fragment` (case-insensitive), for citing where a fact comes from."""
    if not fragment:
        return None
    want = " ".join(fragment.split()).lower()
    return next((ln.strip() for ln in cv_text.splitlines() if want in " ".join(ln.split()).lower()), None)


def _with_line(sentence: str, line: str | None) -> str:
    return f"{sentence[:-1]} (your CV: {cite(line)})." if line else sentence


def generate_insights(
    analysis: Analysis, ev: Evidence, resume: dict[str, Any], job_title: str, cv_text: str = ""
) -> dict[str, Any]:
    """{"strengths": [...], "improvements": [...], "recommendations": {"high_priority": [...], ...}}."""
    lines = analysis.skill_evidence
    covered = analysis.covered_by
    jobs = resume.get("experience") or []
    bullets = [b for job in jobs for b in job.get("bullets") or []]
    skills_ev = ev.skills_match
    req_hit, req_miss = skills_ev.required_matched, skills_ev.required_missing
    pref_hit, pref_miss = skills_ev.preferred_matched, skills_ev.preferred_missing
    exp = analysis.experience_match
    edu = analysis.education_match
    fmt = ev.format_optimization
    role = job_title or "this role"

    strengths: list[str] = []
    improvements: list[str] = []
    high: list[str] = []
    medium: list[str] = []
    low: list[str] = []

    n_req = len(req_hit) + len(req_miss)
    if req_hit:
        shown = [f"{s} (covered by {covered[s]})" if s in covered else s for s in req_hit[:6]]
        strengths.append(
            _with_line(
                f"Covers {len(req_hit)} of {n_req} required skills for {role}: {', '.join(shown)}.",
                next((lines[s] for s in req_hit if s in lines), None),
            )
        )
    if pref_hit:
        strengths.append(
            _with_line(
                f"Brings preferred extras the posting values: {', '.join(pref_hit[:5])}.",
                next((lines[s] for s in pref_hit if s in lines), None),
            )
        )
    used = ev.experience_relevance.required_skills_used_in_experience
    if used:
        strengths.append(
            _with_line(
                f"Shows {', '.join(used[:4])} in real work bullets, not only in a skills list.",
                next((lines[s] for s in used if s in lines), None),
            )
        )
    if exp.required_years and exp.match_percentage >= 100 and jobs:
        strengths.append(
            _with_line(
                f"{exp.candidate_years:g} years of experience clears the {exp.required_years:g}-year bar.",
                cv_line(cv_text, jobs[0].get("title")),
            )
        )
    degrees = resume.get("education") or []
    if edu.required and edu.match:
        strengths.append(
            _with_line(
                f"Education ({edu.candidate.replace('_', ' ')}) meets the {edu.required} requirement.",
                cv_line(cv_text, degrees[0].get("degree") if degrees else None),
            )
        )
    if "measurable_bullets" in fmt.passed:
        strengths.append(
            _with_line(
                f"Results are quantified: {fmt.details['measurable_bullets']}.",
                cv_line(cv_text, next((b for b in bullets if any(ch.isdigit() for ch in b)), None)),
            )
        )
    strengths = [s for s in strengths if "(your CV: " in s or not cv_text]

    if req_miss:
        theme = _theme(req_miss)
        lead = f"Add {req_miss[0]}"
        verb = "is" if len(req_miss) == 1 else "are"
        why = f": {len(req_miss)} of {n_req} required skills {verb} missing ({', '.join(req_miss[:4])})"
        high.append(lead + why + (f", mostly {theme}." if theme else "."))
        improvements.append(
            f"Required for {role} but not on your CV: {', '.join(req_miss)}. If you have used them, say where."
        )
    for check, detail in fmt.failed.items():
        text = _FORMAT_FIXES[check].format(detail=detail)
        (high if check in ("contact_block", "section_headings", "plain_layout") else medium).append(text)
    if exp.required_years and exp.match_percentage < 100:
        gap = exp.required_years - exp.candidate_years
        improvements.append(
            f"The role asks for {exp.required_years:g}+ years; the CV shows {exp.candidate_years:g}"
            f" ({gap:.1f} short). Count internships, freelance and part-time roles with dates."
        )
        medium.append("Make relevant projects and internships prominent, with dates, to close the experience gap.")
    if edu.required and not edu.match:
        improvements.append(
            f"The posting asks for a {edu.required} degree; the CV shows {edu.candidate.replace('_', ' ')}."
            " If a degree is in progress, give the expected graduation date."
        )
    missing_kw = analysis.missing_keywords
    if missing_kw:
        medium.append(f"Mirror the posting's language where true: {', '.join(missing_kw[:5])}.")
    if pref_miss:
        low.append(f"Nice-to-haves to learn or mention next: {', '.join(pref_miss[:4])}.")
    unused = [s for s in req_hit if s not in used and skill_info(s) is not None]
    if unused:
        low.append(
            _with_line(
                f"Back up {', '.join(unused[:3])} with a bullet that shows where you used it.",
                lines.get(unused[0]),
            )
        )
    if not strengths:
        strengths.append(_fallback_strength(resume))
    if not improvements and not high:
        improvements.append(f"Tailor the summary to {role} and lead with your strongest matching result.")
    return {
        "strengths": strengths[:6],
        "improvements": improvements[:6],
        "recommendations": {"high_priority": high[:5], "medium_priority": medium[:5], "low_priority": low[:5]},
    }


def _theme(skills: list[str]) -> str | None:
    """The category most of the missing skills share ("cloud and devops"), if at least two share it."""
    counts = Counter(info.category for s in skills if (info := skill_info(s)))
    if not counts:
        return None
    category, n = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return category if n >= 2 else None


def _fallback_strength(resume: dict[str, Any]) -> str:
    skills = resume.get("skills") or []
    if skills:
        return f"A broad toolkit to build on: {', '.join(skills[:5])}."
    return "The CV reads as plain text, so any ATS can parse it."
