"""Interview flashcards generated from one report: the job's required skills, the CV's own bullets
(behavioural "Tell me about…" cards that quote the line) and the gaps ("How would you learn…").

Generation is self-contained and deterministic; scheduling of reviews lives elsewhere.
"""

from __future__ import annotations

import re
from typing import Any

from core.engine.report import Analysis
from core.engine.skills import find_skills, skill_info

MIN_CARDS, MAX_CARDS = 8, 15
_NUMBER = re.compile(r"\d|%|\$")


def generate_flashcards(jd: Any, resume: dict[str, Any], analysis: Analysis) -> list[dict[str, str]]:
    """8-15 cards ({"front", "back", "skill"?}) for the job `jd` (a core.jd.JobDescription or None)."""
    title = getattr(jd, "title", "") or "this role"
    required = list(getattr(jd, "required_skills", []) or [])
    missing = set(analysis.missing_skills)
    bullets = _bullets(resume)
    skills_in = [{m.skill for m in find_skills(bullet)} for _, bullet in bullets]
    cards: list[dict[str, str]] = []

    for skill in [s for s in required if s not in missing][:5]:
        line = next(((w, _short(b)) for (w, b), found in zip(bullets, skills_in, strict=True) if skill in found), None)
        back = (
            f'From your CV: "{line[1]}" ({line[0]}). Tell it as situation, what you did with {skill}, result.'
            if line
            else f"Your CV lists {skill} without an example: prepare one project where you used it and the result."
        )
        info = skill_info(skill)
        front = (
            f"Tell me about a time your {skill} made the difference."
            if info and info.kind == "soft"
            else f"How have you used {skill}? Walk me through a concrete example."
        )
        cards.append({"front": front, "back": back, "skill": skill})

    for where, bullet in [b for b in bullets if _NUMBER.search(b[1])][:4]:
        cards.append(
            {
                "front": f'Tell me about this line on your CV: "{_short(bullet)}"',
                "back": f"({where}) Situation and goal, your own actions, the measured result, and what you would do "
                "differently. Expect follow-ups on how you measured the number.",
            }
        )

    have = set(resume.get("skills") or [])
    for skill in [s for s in required if s in missing][:3]:
        near = _adjacent(skill, have)
        bridge = f" Build on what you know: {', '.join(near)}." if near else ""
        cards.append(
            {
                "front": f"The role needs {skill}, which is not on your CV. How would you learn it quickly?",
                "back": "Be honest that it is new. Give a 30-day plan: official tutorial, a small project using "
                f"{skill}, then apply it at work.{bridge}",
                "skill": skill,
            }
        )

    matched = analysis.matching_skills
    cards.append(
        {
            "front": f"Why are you a good fit for {title}?",
            "back": "Lead with the overlap: "
            + (", ".join(matched[:4]) if matched else "your transferable strengths")
            + f"; then one result from your CV; then why this team. {analysis.role_compatibility.reasoning}",
        }
    )
    for job in resume.get("experience") or []:
        if len(cards) >= MIN_CARDS:
            break
        if job.get("title"):
            cards.append(
                {
                    "front": f"Walk me through your role as {job['title']}"
                    + (f" at {job['company']}." if job.get("company") else "."),
                    "back": "Scope (team, users, budget), your two biggest contributions, and what you learned.",
                }
            )
    for skill in sorted(have - set(required)):
        if len(cards) >= MIN_CARDS:
            break
        cards.append(
            {
                "front": f"What is a mistake people often make with {skill}, and how do you avoid it?",
                "back": f"Pick a real pitfall you met with {skill}, how you noticed it, and the fix you now apply.",
                "skill": skill,
            }
        )
    return cards[:MAX_CARDS]


def _bullets(resume: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, bullet) pairs: "Title, Company" and the bullet text, in CV order."""
    out: list[tuple[str, str]] = []
    for job in resume.get("experience") or []:
        where = ", ".join(p for p in (job.get("title"), job.get("company")) if p) or "your experience"
        out.extend((where, b.strip()) for b in job.get("bullets") or [] if b.strip())
    return out


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _adjacent(skill: str, have: set[str]) -> list[str]:
    """Skills the candidate has in the same category as the missing one (a bridge to learn from)."""
    info = skill_info(skill)
    if not info:
        return []
    return sorted(s for s in have if (other := skill_info(s)) and other.category == info.category)[:3]
