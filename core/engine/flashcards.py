"""Interview flashcards generated from one report: the job's required skills, the CV's own bullets
(behavioural "Tell me about…" cards that quote the line) and the gaps ("How would you learn…").

The back of a card is a model-answer outline drawn from the student's own CV: what to say, which example
(the quoted CV line), which figure to give, then a tip. A card about a skill the CV shows only through an
implied skill ("Power BI" for data visualization) uses that skill's bullet, so no card claims a CV lacks
an example it has. Generation is self-contained and deterministic; scheduling of reviews lives elsewhere.
"""

from __future__ import annotations

import re
from typing import Any

from core.engine.report import Analysis
from core.engine.skills import covered_by, find_skills, skill_info

MIN_CARDS, MAX_CARDS = 8, 15
_NUMBER = re.compile(r"\d|%|\$")
_FIGURE = re.compile(
    r"(?<![\w.])[$€£₹]?\d[\d,.]*(?:\s?%|[KkMB]\b|x\b)?(?:\s+(?!and\b|or\b|to\b|by\b|in\b)[A-Za-z-]+){0,2}"
)
STAR_TIP = "Tip: tell it as situation, task, your own actions, then the result; keep it under two minutes."


def _figure(bullet: str) -> str | None:
    """The telling figure of a bullet with the words it counts ("31%", "$420K", "120 store managers").

    Money and percentages first; a bare number right after a capitalised word is a product name ("Analytics 4").
    """
    found = [m for m in _FIGURE.finditer(bullet) if not re.search(r"[A-Z][\w-]*\s$", bullet[: m.start()])]
    unit = re.compile(r"[$€£₹]?\d[\d,.]*(?:\s?%|[KkMB]\b|x\b)")
    found.sort(key=lambda m: not re.search(r"[$€£₹%]|\d[KkMB]\b|\dx\b", m.group()))
    if not found:
        return None
    figure = found[0].group()
    money_or_share = unit.match(figure)
    return (money_or_share.group() if money_or_share else figure).strip(" ,;.")


def outline(skill_phrase: str, where: str, bullet: str) -> str:
    """A model answer from one CV bullet: what to say, the example, the figure, then the tip."""
    figure = _figure(bullet)
    parts = [
        f"Say: how you used {skill_phrase} as {where}." if skill_phrase else f"Say: what you did as {where}.",
        f'Example: "{_short(bullet)}".',
    ]
    if figure:
        parts.append(f"Figure: {figure} — say how you measured it.")
    parts.append(STAR_TIP)
    return " ".join(parts)


def generate_flashcards(jd: Any, resume: dict[str, Any], analysis: Analysis) -> list[dict[str, str]]:
    """8-15 cards ({"front", "back", "skill"?}) for the job `jd` (a core.jd.JobDescription or None)."""
    title = getattr(jd, "title", "") or "this role"
    required = list(getattr(jd, "required_skills", []) or [])
    missing = set(analysis.missing_skills)
    bullets = _bullets(resume)
    skills_in = [{m.skill for m in find_skills(bullet)} for _, bullet in bullets]
    skills_in = [found | set(covered_by(found)) for found in skills_in]
    listed = analysis.skill_evidence
    cards: list[dict[str, str]] = []

    for skill in [s for s in required if s not in missing][:5]:
        line = next(((w, b) for (w, b), found in zip(bullets, skills_in, strict=True) if skill in found), None)
        if line:
            back = outline(skill, line[0], line[1])
        elif skill in listed:
            back = (
                f'Your CV names {skill} in "{_short(listed[skill])}" but no work bullet shows it yet. Say: one '
                f"project where you used {skill}, what you did and the result; then add that bullet. {STAR_TIP}"
            )
        else:
            back = f"Say: one project where you used {skill}, what you did and the result. {STAR_TIP}"
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
                "back": outline("", where, bullet) + " Expect follow-ups on how you measured the number.",
            }
        )

    have = set(resume.get("skills") or [])
    for skill in [s for s in required if s in missing][:3]:
        near = _adjacent(skill, have)
        bridge = f" Build on what you know: {', '.join(near)}." if near else ""
        cards.append(
            {
                "front": f"The role needs {skill}, which is not on your CV. How would you learn it quickly?",
                "back": "Say: that it is new to you, then a 30-day plan — the official tutorial, a small project "
                f"using {skill}, then applying it at work.{bridge} Tip: being honest about a gap reads better "
                "than bluffing.",
                "skill": skill,
            }
        )

    matched = analysis.matching_skills
    best = next(((w, b) for w, b in bullets if _NUMBER.search(b)), bullets[0] if bullets else None)
    example = f' Example: "{_short(best[1])}" ({best[0]}).' if best else ""
    figure = _figure(best[1]) if best else None
    cards.append(
        {
            "front": f"Why are you a good fit for {title}?",
            "back": "Say: the overlap first — "
            + (", ".join(matched[:4]) if matched else "your transferable strengths")
            + f"; then one result; then why this team.{example}"
            + (f" Figure: {figure}." if figure else "")
            + " Tip: end with what you would do in your first months.",
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
                    "back": outline("", job["title"], job["bullets"][0])
                    if job.get("bullets")
                    else "Say: the scope (team, users, budget), your two biggest contributions, and what you learned.",
                }
            )
    for skill in sorted(have - set(required)):
        if len(cards) >= MIN_CARDS:
            break
        cards.append(
            {
                "front": f"What is a mistake people often make with {skill}, and how do you avoid it?",
                "back": f"Say: a real pitfall you met with {skill}, how you noticed it, and the fix you now apply. "
                + STAR_TIP,
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
