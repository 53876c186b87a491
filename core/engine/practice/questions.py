"""Practice questions from a CV and a job: STAR prompts grounded in the CV, technical questions on the job's
required skills, role questions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from core.engine.practice.text import find_specifics, join_words, mentions, normalise, unique
from core.engine.practice.tuning import MAX_ROLE_KEYWORDS, QUESTION_COUNT, SOFT_SKILLS
from core.engine.skills import covered_by


def generate_questions(
    resume: Mapping[str, Any],
    job_title: str,
    required_skills: Sequence[str],
    keywords: Sequence[str],
    n: int = 6,
) -> list[dict[str, Any]]:
    """n (clamped to 5–8) questions: STAR prompts grounded in the CV's experience, technical questions on
    the job's required skills (skills the CV also claims first, then one gap), and role questions."""
    n = max(QUESTION_COUNT[0], min(QUESTION_COUNT[1], n))
    title = " ".join(job_title.split())
    roles = {
        "as_role": f"as {_article(title)} {title}" if title else "in this role",
        "this_role": f"this {title} role" if title else "this role",
    }
    required = unique(s.lower().strip() for s in required_skills)
    job_terms = unique([*required, *(k.lower().strip() for k in keywords)])
    cv_skills = set(unique(str(s).lower() for s in resume.get("skills") or []))
    cv_skills |= set(covered_by(cv_skills))  # Hibernate shows an ORM: never "your CV does not mention orm"

    behavioural_count = 2 + (n >= 8)
    role_count = 1 + (n >= 7)
    testable = [s for s in required if s not in SOFT_SKILLS]
    technical = _technical_questions(testable, cv_skills, roles, n - behavioural_count - role_count)
    behavioural = _behavioural_questions(resume, job_terms, behavioural_count)
    covered = {q["skill"] for q in technical}
    role_keywords = [t for t in job_terms if t not in covered][:MAX_ROLE_KEYWORDS]
    claimed = [s for s in required if s in cv_skills]
    role = _role_questions(roles, claimed, role_keywords, n - len(technical) - len(behavioural))

    questions = [*behavioural[:1], *technical, *behavioural[1:], *role]
    return [{"id": f"q{i}", **q} for i, q in enumerate(questions, start=1)]


def _article(title: str) -> str:
    """ "a" or "an" by sound: "an Accountant", "a UX Designer", "an SEO Specialist", "a University Lecturer"."""
    first = title.split()[0].split("/")[0]
    if len(first) > 1 and first.isupper():  # an acronym is read letter by letter
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    lowered = first.lower()
    if lowered.startswith(("uni", "use", "usu", "eu", "one")):
        return "a"
    return "an" if lowered[:1] in tuple("aeiou") or lowered.startswith(("hour", "honest")) else "a"


def _question(text: str, kind: str, skill: str | None = None, keywords: Iterable[str] = ()) -> dict[str, Any]:
    return {"text": text, "kind": kind, "skill": skill, "keywords": list(keywords)}


def _technical_questions(
    required: list[str], cv_skills: set[str], roles: dict[str, str], count: int
) -> list[dict[str, Any]]:
    """Matched skills first (the candidate can show depth), then one gap (how they would close it)."""
    matched = [s for s in required if s in cv_skills]
    gaps = [s for s in required if s not in cv_skills]
    chosen = matched[: count - 1] if gaps else matched[:count]
    if gaps:
        chosen.append(gaps[0])
    chosen += [s for s in required if s not in chosen][: count - len(chosen)]
    templates = (
        "Walk me through the most demanding piece of {skill} work you have done. What problem did it solve, "
        "which trade-offs did you weigh, and how did you know it worked?",
        "How would you use {skill} in {this_role}? Give a concrete example from your own projects, "
        "including a mistake or limitation you ran into.",
        "Imagine a colleague's {skill} work is slow or buggy. How do you find the cause and fix it? Refer to "
        "something you have actually done.",
    )
    questions = []
    for index, skill in enumerate(chosen):
        if skill in cv_skills:
            text = templates[index % len(templates)].format(skill=skill, **roles)
        else:
            text = (
                f"T{roles['this_role'][1:]} asks for {skill}, which your CV does not mention. How would you "
                f"become productive with {skill} in your first weeks, and which related experience would you build on?"
            )
        questions.append(_question(text, "technical", skill, [skill]))
    while len(questions) < count:  # the job lists too few skills: ask about tools in general
        general = (
            f"Which tools or technologies would you rely on most {roles['as_role']}, and how have you used them?",
            "Describe how you test and check your own work before others depend on it.",
            "Tell me about a technical concept you had to learn quickly. How did you learn it?",
        )[len(questions) % 3]
        questions.append(_question(general, "technical"))
    return questions


def _experience_entries(resume: Mapping[str, Any]) -> list[dict[str, Any]]:
    entries = [e for e in resume.get("experience") or [] if isinstance(e, Mapping)]
    return [
        {
            "title": str(e.get("title") or "").strip(),
            "company": str(e.get("company") or "").strip(),
            "bullets": [str(b).strip() for b in e.get("bullets") or [] if str(b).strip()],
        }
        for e in entries
    ]


def _behavioural_questions(resume: Mapping[str, Any], job_terms: list[str], count: int) -> list[dict[str, Any]]:
    """STAR prompts tied to the CV: the most measurable bullet, then the roles themselves."""
    entries = _experience_entries(resume)
    prompts: list[tuple[str, str]] = []  # (question, text it is grounded in)
    bullets = [(b, e) for e in entries for b in e["bullets"]]
    if bullets:
        # A bullet that is both measurable and about the job makes the richest STAR story; ties go to the
        # most recent (CVs list the latest role first).
        def richness(item: tuple[int, tuple[str, dict[str, Any]]]) -> tuple[int, int, int]:
            index, (text, _) = item
            terms, specifics = len(mentions(text, job_terms)), len(find_specifics(normalise(text)))
            return bool(terms) + bool(specifics), terms + specifics, -index

        _, (bullet, richest) = max(enumerate(bullets), key=richness)
        where = f" at {richest['company']}" if richest["company"] else ""
        prompts.append(
            (
                f"Your CV says{where}: “{bullet.rstrip('.')}”. Tell me that story: what was the situation, what "
                "was your task, what exactly did you do, and what was the measurable result?",
                bullet + " " + richest["title"],
            )
        )
    templates = (
        "Tell me about a time {where} when you had to deliver under a tight deadline. What was at stake, what "
        "did you do, and how did it turn out?",
        "Describe a disagreement with a colleague or manager {where}. How did you handle it and what was the result?",
        "Tell me about a mistake you made {where}. What happened, what did you do about it, and what changed "
        "afterwards?",
    )
    for index, template in enumerate(templates):
        entry = entries[index % len(entries)] if entries else None
        if entry and entry["company"]:
            where = f"at {entry['company']}" + (f" as {entry['title']}" if entry["title"] else "")
        elif entry and entry["title"]:
            where = f"as {entry['title']}"
        else:
            where = "in a job, a project or your studies"
        grounding = " ".join([entry["title"], *entry["bullets"]]) if entry else ""
        prompts.append((template.format(where=where), grounding))
    questions = []
    for text, grounding in prompts[:count]:
        expected = mentions(grounding, job_terms)[:3] or job_terms[:2]
        questions.append(_question(text, "behavioural", None, expected))
    return questions


def _role_questions(
    roles: dict[str, str], strengths: list[str], role_keywords: list[str], count: int
) -> list[dict[str, Any]]:
    best = f" and your {join_words(strengths[:2])} experience" if strengths else ""
    texts = (
        f"Why do you want to work {roles['as_role']}, and how does your background{best} prepare you for it?",
        f"What would you aim to achieve in your first 90 days {roles['as_role']}, and how would you measure it?",
        f"What do you think will be the hardest part of {roles['this_role']}, and how are you preparing for it?",
    )
    return [_question(texts[i % len(texts)], "role", None, role_keywords) for i in range(count)]
