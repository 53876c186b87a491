"""Deterministic practice-interview engine: questions from a CV and a job, feedback per answer, scores.

Pure functions of their arguments (no clock, no randomness, no I/O), so a score can be reproduced and
explained. A language model may reword questions or feedback elsewhere; the numbers always come from here.
All weights and thresholds live in the constants block below.

Shapes:
- question: {"id", "text", "kind": behavioural|technical|role, "skill": str|None, "keywords": [str]}
- evaluation (evaluate_answer): {"question_id", "kind", "word_count", "score", "scores": {star, specificity,
  keywords (None when the question expects none), fluency, length}, "star": {situation, task, action, result},
  "specifics", "keywords_covered", "keywords_missed", "filler_words", "feedback": [sentence]}
- result (score_interview / score_transcript): {"technical", "communication", "job_match", "overall",
  "strengths", "weaknesses", "recommendations", "questions_total", "questions_answered"}
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from core.engine.skills import covered_by, find_skills

# --- weights and thresholds (the only place scores are tuned) ------------------------------------------

# Per-answer score by question kind; sub-scores that do not apply (no expected keywords) are left out and
# the remaining weights rescaled.
ANSWER_WEIGHTS: dict[str, dict[str, float]] = {
    "behavioural": {"star": 0.35, "specificity": 0.25, "keywords": 0.10, "fluency": 0.15, "length": 0.15},
    "technical": {"star": 0.15, "specificity": 0.25, "keywords": 0.30, "fluency": 0.15, "length": 0.15},
    "role": {"star": 0.15, "specificity": 0.20, "keywords": 0.30, "fluency": 0.15, "length": 0.20},
}
# technical: the mean answer score of the technical questions (all answers when there are none), so an
# answered technical question always counts in its category.
# communication: over all answers — structured, fluent, right length.
# job_match: share of the job's expected keywords covered anywhere, plus how well role questions went.
AXIS_WEIGHTS: dict[str, dict[str, float]] = {
    "communication": {"star": 0.40, "fluency": 0.30, "length": 0.30},
    "job_match": {"coverage": 0.75, "role_answers": 0.25},
    "overall": {"technical": 0.35, "communication": 0.35, "job_match": 0.30},
}
# Ideal answer length in words (typed or transcribed speech) by kind: about one to two spoken minutes.
LENGTH_RANGE: dict[str, tuple[int, int]] = {"behavioural": (80, 300), "technical": (60, 250), "role": (50, 220)}
# Specificity: points for 0, 1, 2, 3, 4+ distinct specifics (numbers, %, money, durations), plus a bonus
# for naming an outcome (reduced, increased, saved ...).
SPECIFICS_POINTS = (0, 40, 65, 85, 100)
OUTCOME_BONUS = 15
FLUENCY_PENALTY_PER_FILLER_RATE = 10  # points lost per filler word per 100 words
STRENGTH_AT, WEAKNESS_BELOW = 75, 50
QUESTION_COUNT = (5, 8)
MAX_ROLE_KEYWORDS = 5
# Skills a technical question cannot test; they stay expected keywords of behavioural and role questions.
SOFT_SKILLS = frozenset(
    {
        "communication",
        "leadership",
        "teamwork",
        "collaboration",
        "mentoring",
        "coaching",
        "problem solving",
        "time management",
        "stakeholder management",
        "negotiation",
        "presentation",
        "public speaking",
        "customer service",
        "critical thinking",
        "adaptability",
        "attention to detail",
        "creativity",
    }
)
MATCH_PLANNED_AT = 0.5  # share of content words an interviewer's question shares with a planned one

KINDS = ("behavioural", "technical", "role")
SUB_SCORES = ("star", "specificity", "keywords", "fluency", "length")
STAR_PARTS = ("situation", "task", "action", "result")

# --- text cues ---------------------------------------------------------------------------------------

_ACTION_VERBS = (
    "analysed|analyzed|automated|built|changed|coached|collaborated|configured|coordinated|created|"
    "debugged|decided|delegated|deployed|designed|developed|documented|drafted|drove|escalated|"
    "established|evaluated|fixed|gathered|handled|identified|implemented|improved|interviewed|introduced|"
    "investigated|launched|led|mapped|measured|mentored|migrated|monitored|negotiated|optimised|"
    "optimized|organised|organized|paired|persuaded|planned|presented|prioritised|prioritized|profiled|"
    "proposed|prototyped|rebuilt|redesigned|refactored|reorganised|reorganized|replaced|researched|"
    "reviewed|rewrote|ran|scheduled|set|simplified|spoke|split|started|streamlined|suggested|taught|"
    "tested|trained|traced|tracked|tuned|used|wrote|worked"
)
_ACTION = r"(?:\w+\s+){0,2}?(?:" + _ACTION_VERBS + r")\b"

STAR_CUES: dict[str, re.Pattern[str]] = {
    "situation": re.compile(
        r"\b(?:when i was|while i was|while working|at my (?:previous|last|current|old|first) "
        r"(?:job|company|role|internship|employer|team)|in my (?:previous|last|current|first|final) "
        r"(?:job|role|position|internship|team|company|year)|during my|back in|last (?:year|summer|semester|"
        r"quarter|month)|in (?:19|20)\d\d|our team|my team|the team was|the company|the client|the customer|"
        r"the project|we were|there was|there were|we had an?|situation|at the time)\b"
        # Context stated outright: "At Northstar, our team…", "When the checkout failed…", "our 120 store
        # managers…", "a legacy system of 40 services…".
        r"|(?:^|[.!?]\s+)(?:at|during|while|when|after|last)\s+\w+"
        r"|\b(?:our|the)\s+(?:\d[\d,]*\+?\s+)?(?:\w+\s+)?(?:team|company|store|stores|managers|customers|"
        r"users|clients|system|systems|service|services|product|app|platform|department|office|school|hospital)\b"
        r"|\b\d[\d,]*\+?\s+(?:\w+\s+){0,2}(?:people|users|customers|managers|engineers|developers|stores|"
        r"systems|servers|services|teams|staff|employees|clients|students|patients|branches|sites|accounts)\b"
    ),
    "task": re.compile(
        r"\b(?:my (?:task|job|goal|role|responsibility|objective|assignment|challenge) (?:was|is)|i was "
        r"(?:responsible|tasked|asked|assigned|in charge)|responsible for|i needed to|i had to|we needed to|"
        r"we had to|the (?:goal|task|challenge|problem|objective|deadline|aim) was|(?:goal|aim|target) was to|"
        r"in order to|i wanted to|i was expected to|i was (?:brought|hired|put) in to|so i (?:decided|set out) to|"
        r"(?:asked|tasked|hired|brought) (?:me|us)(?: in)? to|i took on|i owned|it was (?:my|up to me)|"
        r"(?:my|our) (?:goal|job|task|aim|mission) (?:was|became))\b"
    ),
    "action": re.compile(
        r"\b(?:i(?:'ve| have| had)?\s+" + _ACTION + r"|my approach was|the first thing i did|"
        r"i (?:then |also |first )?(?:\w+ed|built|wrote|ran|led|set up|sat down|met|took|made|put|brought)\b)"
    ),
    "result": re.compile(
        r"\b(?:as a result|the result|resulted in|result was|which (?:led|meant|helped|allowed|cut|reduced|"
        r"increased|saved|improved)|this (?:led|meant|helped|allowed|cut|reduced|increased|saved|improved)|"
        r"outcome|in the end|by the end|ended up|we (?:achieved|delivered|launched|shipped|hit|met|won|cut|"
        r"reduced|increased|saved|improved)|i (?:achieved|delivered|learned|learnt)|(?:reduced|increased|"
        r"improved|saved|cut|grew|boosted|doubled|tripled|halved|decreased|raised|lowered|dropped|fell|rose)"
        r"\s+(?:\w+\s+){0,4}?(?:by|from|to)\b|feedback was|(?:was|got) (?:promoted|recognised|recognized|"
        r"praised|adopted)|lesson|from \S+ (?:\w+ )?to \S+|\bdown to\b|\bup to\b \d|\d+\s?% (?:fewer|less|more|faster)|"
        r"(?:fell|dropped|rose|went) (?:from|to)\b|no longer|now (?:takes|runs|uses|has|saves))"
    ),
}
BEHAVIOURAL_CUE = re.compile(
    r"\b(?:tell me about a time|describe a (?:time|situation)|give (?:me )?an example|a time when|walk me through a)\b"
)
_WE_ACTION = re.compile(r"\bwe\s+" + _ACTION)
OUTCOME = re.compile(
    r"\b(?:reduc|increas|improv|sav|cut|grew|grow|boost|doubl|tripl|halv|decreas|rais|lower|launch|ship|"
    r"deliver|won|promot|adopt|achiev)\w*"
)

_NUMBER_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|fifty|hundred)"
_UNITS = (
    r"(?:ms|milliseconds?|s|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|quarters?|"
    r"sprints?|x|times|users|customers|clients|people|engineers|developers|students|members|requests|tickets|"
    r"orders|records|rows|servers|services|stores|sites|teams|bugs|tests|pages|releases|countries)\b"
)
SPECIFIC_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\d+(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b)"),
    re.compile(r"(?:[$€£₹]|\brs\.?\s?|\binr\s?|\busd\s?)\d[\d,.]*(?:\s?(?:k|m|bn|million|billion|lakhs?|crores?)\b)?"),
    re.compile(r"\b\d[\d,.]*\s?(?:k|m|million|billion|lakhs?|crores?|dollars|rupees|euros|pounds)\b"),
    re.compile(r"\b\d[\d,.]*\+?\s?(?:\w+\s)?" + _UNITS),
    re.compile(r"\b" + _NUMBER_WORDS + r"\s+(?:\w+\s)?" + _UNITS),
    re.compile(r"\b\d[\d,.]*\b"),
)

# Filler words and phrases. "like" only counts in its filler positions ("it was like, ...", "and like"),
# not as a verb or in "tools like Docker".
FILLERS: dict[str, re.Pattern[str]] = {
    "um": re.compile(r"\b(?:um+|umm+|erm+)\b"),
    "uh": re.compile(r"\b(?:uh+|er|ah+|hmm+)\b"),
    "like": re.compile(
        r"(?:\blike,|(?:^|[,.!?]\s*|\b(?:and|so|but|was|is|were|just|it's)\s+)like\b"
        r"(?!\s+(?:to|a|an|the|this|that|it|how|what|when|i|we|you|me|them)\b))"
    ),
    "you know": re.compile(r"\byou know\b(?!\s+(?:how|what|when|where|why|that|if|the)\b)"),
    "basically": re.compile(r"\bbasically\b"),
    "actually": re.compile(r"\bactually\b"),
    "literally": re.compile(r"\bliterally\b"),
    "i mean": re.compile(r"\bi mean\b"),
    "sort of": re.compile(r"\bsort of\b"),
    "kind of": re.compile(r"\bkind of\b(?!\s+(?:\w+\s+)?(?:problem|project|role|work|team|thing)s?\b)"),
    "so yeah": re.compile(r"\bso yeah\b"),
}
_WORD = re.compile(r"[\w'+#./-]+")
_SMALL_TALK = re.compile(
    r"(?:yes|yeah|yep|sure|ok|okay|hi|hello|hey|thanks|thank|you|ready|i'm|im|i|am|good|great|fine|sounds|"
    r"let's|lets|go|no|problem|can|hear|me|well|morning|afternoon|evening|nice|to|meet|too|bye|goodbye|all|"
    r"right|alright)"
)


# --- question generation --------------------------------------------------------------------------------


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
    required = _unique(s.lower().strip() for s in required_skills)
    job_terms = _unique([*required, *(k.lower().strip() for k in keywords)])
    cv_skills = set(_unique(str(s).lower() for s in resume.get("skills") or []))

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


def _mentions(text: str, terms: Iterable[str]) -> list[str]:
    """The terms the text uses: literally, under a taxonomy alias ("Postgres" for postgresql), or through a
    skill that implies it ("Hibernate" for orm)."""
    lowered = text.lower()
    named = {m.skill for m in find_skills(text)}
    named |= set(covered_by(named))
    return [t for t in terms if t in named or _term_pattern(t).search(lowered)]


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
            terms, specifics = len(_mentions(text, job_terms)), len(_specifics(_normalise(text)))
            return bool(terms) + bool(specifics), terms + specifics, -index

        _, (bullet, entry) = max(enumerate(bullets), key=richness)
        where = f" at {entry['company']}" if entry["company"] else ""
        prompts.append(
            (
                f"Your CV says{where}: “{bullet.rstrip('.')}”. Tell me that story: what was the situation, what "
                "was your task, what exactly did you do, and what was the measurable result?",
                bullet + " " + entry["title"],
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
        expected = _mentions(grounding, job_terms)[:3] or job_terms[:2]
        questions.append(_question(text, "behavioural", None, expected))
    return questions


def _role_questions(
    roles: dict[str, str], strengths: list[str], role_keywords: list[str], count: int
) -> list[dict[str, Any]]:
    best = f" and your {_join(strengths[:2])} experience" if strengths else ""
    texts = (
        f"Why do you want to work {roles['as_role']}, and how does your background{best} prepare you for it?",
        f"What would you aim to achieve in your first 90 days {roles['as_role']}, and how would you measure it?",
        f"What do you think will be the hardest part of {roles['this_role']}, and how are you preparing for it?",
    )
    return [_question(texts[i % len(texts)], "role", None, role_keywords) for i in range(count)]


# --- one answer -------------------------------------------------------------------------------------------


def evaluate_answer(question: Mapping[str, Any], answer_text: str) -> dict[str, Any]:
    """Feedback for one answer: STAR parts, specifics, keywords, filler words, length — each scored 0–100
    with a sentence that says what to do next."""
    kind = question.get("kind") if question.get("kind") in KINDS else "role"
    expected = _unique(str(k).lower() for k in question.get("keywords") or [])
    text = _normalise(answer_text)
    words = _WORD.findall(text)
    star = {part: bool(STAR_CUES[part].search(text)) for part in STAR_PARTS}
    specifics = _specifics(text)
    outcome = bool(OUTCOME.search(text))
    covered = _mentions(text, expected)
    fillers = {name: len(p.findall(text)) for name, p in FILLERS.items()}
    fillers = {name: count for name, count in fillers.items() if count}

    if not words:
        scores: dict[str, int | None] = dict.fromkeys(SUB_SCORES, 0)
        scores["keywords"] = 0 if expected else None
    else:
        filler_rate = 100 * sum(fillers.values()) / len(words)
        scores = {
            "star": 25 * sum(star.values()),
            "specificity": min(100, SPECIFICS_POINTS[min(len(specifics), 4)] + (OUTCOME_BONUS if outcome else 0)),
            "keywords": round(100 * len(covered) / len(expected)) if expected else None,
            "fluency": max(0, round(100 - FLUENCY_PENALTY_PER_FILLER_RATE * filler_rate)),
            "length": _length_score(len(words), LENGTH_RANGE[kind]),
        }
    evaluation = {
        "question_id": question.get("id"),
        "kind": kind,
        "word_count": len(words),
        "score": _weighted(scores, ANSWER_WEIGHTS[kind]),
        "scores": scores,
        "star": star,
        "specifics": specifics,
        "keywords_covered": covered,
        "keywords_missed": [k for k in expected if k not in covered],
        "filler_words": fillers,
    }
    evaluation["feedback"] = _answer_feedback(evaluation, outcome, bool(_WE_ACTION.search(text)))
    return evaluation


def _normalise(text: str) -> str:
    return " ".join(str(text or "").replace("’", "'").replace("‘", "'").lower().split())


@lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    """Whole-term match that tolerates a plural ("rest apis") and punctuation-heavy names (c++, ci/cd)."""
    return re.compile(r"(?<![\w+#])" + re.escape(term.lower()) + r"(?:e?s)?(?![\w+#])")


def _specifics(text: str) -> list[str]:
    """Distinct concrete details, longest pattern first so "40%" is not also counted as the number 40."""
    taken: list[tuple[int, int]] = []
    found: list[str] = []
    for pattern in SPECIFIC_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            value = match.group().strip(" ,.")
            if value not in found:
                found.append(value)
    return found


def _length_score(words: int, ideal: tuple[int, int]) -> int:
    low, high = ideal
    if words < low:
        return round(100 * words / low)
    if words > high:
        return max(40, round(100 - 50 * (words - high) / high))
    return 100


def _weighted(scores: Mapping[str, int | float | None], weights: Mapping[str, float]) -> int:
    """Weighted mean over the scores that apply (None = not applicable), as an int 0–100."""
    present = [(scores[name], weight) for name, weight in weights.items() if scores.get(name) is not None]
    total = sum(weight for _, weight in present)
    if not total:
        return 0
    return max(0, min(100, round(sum(value * weight for value, weight in present) / total)))


_STAR_ADVICE = {
    "situation": "Open with the situation: where you were, who was involved and what was at stake.",
    "task": "Say what your own task or goal was, so the interviewer knows what success meant.",
    "action": "Describe the steps you took yourself, starting sentences with “I …”.",
    "result": "Finish with the result: what changed, ideally with a number, and what you learned.",
}


def _answer_feedback(evaluation: dict[str, Any], outcome: bool, we_actions: bool) -> list[str]:
    words, star = evaluation["word_count"], evaluation["star"]
    if not words:
        return ["No answer was given. Even a short answer with one real example scores better than skipping."]
    feedback: list[str] = []
    missing = [part for part in STAR_PARTS if not star[part]]
    if not missing:
        feedback.append("Clear STAR structure: situation, task, action and result are all there.")
    elif evaluation["kind"] == "behavioural" or len(missing) >= 3:
        feedback += [_STAR_ADVICE[part] for part in missing]
    if not star["action"] and we_actions:
        feedback.append("You describe what “we” did; make your own contribution explicit with “I”.")
    specifics = evaluation["specifics"]
    if len(specifics) >= 2:
        feedback.append(f"Good use of concrete detail ({', '.join(specifics[:4])}).")
    elif specifics:
        feedback.append(f"One concrete detail ({specifics[0]}); add another, such as the size of the result.")
    elif outcome:
        feedback.append("You name an outcome but no figure; quantify it (time saved, % change, users, money).")
    else:
        feedback.append("Add specifics: numbers, timeframes, team size and a measurable outcome.")
    missed = evaluation["keywords_missed"][:4]
    if missed:
        feedback.append(
            f"Mention {_join(missed)} if you have used {'it' if len(missed) == 1 else 'them'}; the interviewer "
            "listens for these terms."
        )
    elif evaluation["keywords_covered"]:
        feedback.append(f"You covered the key terms ({_join(evaluation['keywords_covered'][:4])}).")
    if evaluation["filler_words"]:
        listed = ", ".join(f"“{w}” ×{n}" for w, n in sorted(evaluation["filler_words"].items(), key=_by_count))
        feedback.append(f"Cut filler words ({listed}); a short pause sounds more confident.")
    low, high = LENGTH_RANGE[evaluation["kind"]]
    if words < low:
        feedback.append(f"Too short ({words} words); aim for {low}–{high} words so there is room for detail.")
    elif words > high:
        feedback.append(f"Too long ({words} words); aim for under {high} words and lead with the result.")
    return feedback


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --- a whole interview ------------------------------------------------------------------------------


def score_interview(questions: Sequence[Mapping[str, Any]], evaluations: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Technical, communication, job_match and overall (0–100) with strengths, weaknesses and
    recommendations. Evaluations match questions by question_id; an unanswered question counts as 0."""
    by_id = {e.get("question_id"): e for e in evaluations}
    rows = [by_id.get(q.get("id")) or evaluate_answer(q, "") for q in questions]
    answered = [r for r in rows if r["word_count"]]

    def mean(name: str, subset: Sequence[Mapping[str, Any]]) -> float | None:
        values = [r["scores"][name] for r in subset if r["scores"].get(name) is not None]
        return sum(values) / len(values) if values else None

    technical_rows = [r for r in rows if r["kind"] == "technical"] or rows
    expected = _unique(k for q in questions for k in (str(x).lower() for x in q.get("keywords") or []))
    covered = {k for r in rows for k in r["keywords_covered"]}
    coverage = 100 * len([k for k in expected if k in covered]) / len(expected) if expected else None
    role_rows = [r for r in rows if r["kind"] == "role"]
    role_answers = sum(r["score"] for r in role_rows) / len(role_rows) if role_rows else None

    axes = {
        "technical": round(sum(r["score"] for r in technical_rows) / len(technical_rows)) if technical_rows else 0,
        "communication": _weighted({n: mean(n, rows) for n in SUB_SCORES}, AXIS_WEIGHTS["communication"]),
        "job_match": _weighted({"coverage": coverage, "role_answers": role_answers}, AXIS_WEIGHTS["job_match"]),
    }
    if not rows:
        axes = dict.fromkeys(axes, 0)
    axes["overall"] = _weighted(axes, AXIS_WEIGHTS["overall"])
    signals = {
        "star": mean("star", rows),
        "specificity": mean("specificity", rows),
        "fluency": mean("fluency", answered),
        "length": mean("length", rows),
        "coverage": coverage,
    }
    strengths, weaknesses, recommendations = _summary(axes, signals, rows, expected, covered, len(answered))
    return {
        **axes,
        "strengths": strengths,
        "weaknesses": weaknesses,
        "recommendations": recommendations,
        "questions_total": len(rows),
        "questions_answered": len(answered),
    }


def _summary(
    axes: Mapping[str, int],
    signals: Mapping[str, float | None],
    rows: Sequence[Mapping[str, Any]],
    expected: Sequence[str],
    covered: set[str],
    answered: int,
) -> tuple[list[str], list[str], list[str]]:
    strengths: list[str] = []
    weaknesses: list[str] = []
    recommendations: list[str] = []

    def level(name: str) -> float:
        value = signals.get(name)
        return -1 if value is None else value

    if answered < len(rows):
        weaknesses.append(f"{len(rows) - answered} of {len(rows)} questions were not answered.")
        recommendations.append("Answer every question, even briefly: a skipped question scores zero.")
    if not answered:
        return strengths, weaknesses, recommendations

    star_parts = Counter(part for r in rows if r["word_count"] for part in STAR_PARTS if not r["star"][part])
    if level("star") >= STRENGTH_AT:
        strengths.append("Your answers are well structured: situation, task, action and result come through.")
    elif level("star") < WEAKNESS_BELOW:
        part = min(star_parts, key=lambda p: (-star_parts[p], STAR_PARTS.index(p))) if star_parts else "result"
        weaknesses.append(f"Answers often lack a clear STAR structure; the {part} is missing most often.")
        recommendations.append(
            "Prepare 4–5 stories in STAR form (situation, task, action, result) and practise telling each in "
            "under two minutes. " + _STAR_ADVICE[part]
        )
    if level("specificity") >= STRENGTH_AT:
        strengths.append("You back up your claims with numbers and concrete outcomes.")
    elif level("specificity") < WEAKNESS_BELOW:
        weaknesses.append("Answers are vague: few numbers, timeframes or measurable outcomes.")
        recommendations.append(
            "For each story, write down one figure (time saved, % improvement, users, money) and say it."
        )
    missed = [k for k in expected if k not in covered]
    if expected and level("coverage") >= STRENGTH_AT:
        strengths.append(f"You speak the job's language: you covered {_join(sorted(covered)[:5])}.")
    elif expected and missed and level("coverage") < WEAKNESS_BELOW:
        weaknesses.append(f"Key job terms were rarely mentioned ({_join(missed[:5])}).")
        recommendations.append(
            f"Link your examples to the job: mention {_join(missed[:5])} where you have real experience with them."
        )
    if level("fluency") >= 90 and level("length") >= 60:  # a few words cannot show fluent speech
        strengths.append("You speak cleanly, with very few filler words.")
    elif 0 <= level("fluency") < 70:
        fillers = Counter()
        for r in rows:
            fillers.update(r["filler_words"])
        top = [w for w, _ in sorted(fillers.items(), key=_by_count)[:3]]
        weaknesses.append(f"Frequent filler words ({_join([f'“{w}”' for w in top])}).")
        recommendations.append("Record yourself answering and replace filler words with a short pause.")
    lengths = [r for r in rows if r["word_count"]]
    short = [r for r in lengths if r["word_count"] < LENGTH_RANGE[r["kind"]][0]]
    long = [r for r in lengths if r["word_count"] > LENGTH_RANGE[r["kind"]][1]]
    if len(short) * 2 > len(lengths):
        weaknesses.append("Most answers are too short to show what you did and what it achieved.")
        recommendations.append("Aim for 1–2 minutes per answer (roughly 100–250 words).")
    elif len(long) * 2 > len(lengths):
        weaknesses.append("Answers run long; the key point gets lost.")
        recommendations.append("Lead with the result, then give the two or three steps that mattered most.")
    gaps = [r for r in rows if r["kind"] == "technical" and r["score"] < WEAKNESS_BELOW]
    if gaps:
        skills = [s for s in (_skill_of(r) for r in gaps) if s]
        if skills:
            recommendations.append(f"Revise {_join(skills[:3])} and prepare one concrete example for each.")
    if axes["technical"] >= STRENGTH_AT:
        strengths.append("Strong technical answers with relevant detail.")
    if not recommendations:
        weakest = min(("technical", "communication", "job_match"), key=lambda a: (axes[a], a))
        recommendations.append(
            {
                "technical": "Deepen technical answers with the trade-offs you considered and how you verified them.",
                "communication": "Tighten your delivery: one clear story per answer, ending on the result.",
                "job_match": "Tie each answer back to what this job needs and why you fit it.",
            }[weakest]
        )
    return strengths, weaknesses, recommendations


def _skill_of(row: Mapping[str, Any]) -> str | None:
    words = [*row["keywords_missed"], *row["keywords_covered"]]
    return words[0] if words else None


# --- Tavus transcripts --------------------------------------------------------------------------------


def score_transcript(
    transcript: Sequence[Mapping[str, Any]],
    questions_or_context: Sequence[Mapping[str, Any]] | Mapping[str, Any],
) -> dict[str, Any]:
    """Score a video interview: each interviewer turn is a question, the candidate turns after it its answer.

    `questions_or_context` is either the generated questions (their kinds and keywords are reused when the
    interviewer asked something close to them) or a job context {"required_skills", "keywords"}. Small talk
    ("Yes, I'm ready") is not scored.
    """
    if isinstance(questions_or_context, Mapping):
        planned: list[Mapping[str, Any]] = []
        terms = _unique(
            str(t).lower()
            for t in [
                *(questions_or_context.get("required_skills") or []),
                *(questions_or_context.get("keywords") or []),
            ]
        )
    else:
        planned = list(questions_or_context)
        terms = _unique(str(k).lower() for q in planned for k in q.get("keywords") or [])
    skills = {str(q.get("skill")).lower() for q in planned if q.get("skill")}
    if isinstance(questions_or_context, Mapping):
        skills |= {str(s).lower() for s in questions_or_context.get("required_skills") or []}

    questions: list[dict[str, Any]] = []
    evaluations: list[dict[str, Any]] = []
    for asked, answer in _exchanges(transcript):
        if _is_small_talk(answer):
            continue
        question = _classify(asked, planned, terms, skills, f"t{len(questions) + 1}")
        questions.append(question)
        evaluations.append(evaluate_answer(question, answer))
    return score_interview(questions, evaluations)


def _exchanges(transcript: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(interviewer text, candidate text) pairs; consecutive turns of one speaker are joined."""
    pairs: list[tuple[str, str]] = []
    asked, answer = "", []
    for turn in transcript:
        role, content = turn.get("role"), str(turn.get("content") or "").strip()
        if role == "user":
            answer.append(content)
        elif role == "assistant":
            if answer:
                pairs.append((asked, " ".join(answer)))
                asked, answer = "", []
            asked = f"{asked} {content}".strip()
    if answer:
        pairs.append((asked, " ".join(answer)))
    return pairs


def _is_small_talk(answer: str) -> bool:
    words = _WORD.findall(_normalise(answer))
    return len(words) < 8 and all(_SMALL_TALK.fullmatch(w.strip(".,!?")) for w in words)


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(_normalise(text)) if len(w) >= 4}


def _classify(
    asked: str, planned: Sequence[Mapping[str, Any]], terms: list[str], skills: set[str], qid: str
) -> dict[str, Any]:
    """Reuse the planned question the interviewer was paraphrasing (at least half of the shorter one's
    content words shared); otherwise infer the kind from cues and expect the job terms it touches."""
    asked_words = _content_words(asked)
    best, best_overlap = None, 0.0
    for candidate in planned:
        words = _content_words(candidate.get("text", ""))
        overlap = len(asked_words & words) / min(len(asked_words), len(words)) if asked_words and words else 0.0
        if overlap > best_overlap:
            best, best_overlap = candidate, overlap
    if best is not None and best_overlap >= MATCH_PLANNED_AT:
        return {**best, "id": qid, "text": asked}
    mentioned = _mentions(asked, terms)
    skill = next((t for t in mentioned if t in skills), None)
    if BEHAVIOURAL_CUE.search(_normalise(asked)):
        kind, expected = "behavioural", mentioned or terms[:2]
    elif skill:
        kind, expected = "technical", mentioned
    else:
        kind, expected = "role", mentioned or terms[:MAX_ROLE_KEYWORDS]
    return {
        "id": qid,
        "text": asked,
        "kind": kind,
        "skill": skill if kind == "technical" else None,
        "keywords": expected,
    }


def _unique(items: Iterable[str]) -> list[str]:
    """Order-preserving de-duplication without empty strings (keeps results deterministic)."""
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return list(seen)
