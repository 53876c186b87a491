"""A structured CV from plain text: contact details, sections, positions, education, skills.

General heuristics only (the parser meets CVs it has never seen): sections are found by their headings
(lines the file's type sets apart, when the reader passes them as hints, else a keyword list) and, when a
heading is unusual ("Where I've worked") or missing, by their content; positions are anchored on date
ranges; the highest degree counts completed degrees only. The result is deterministic for a given text and month.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.engine.documents import bound_text
from core.engine.heading_style import line_key
from core.engine.report import DEGREE_LEVELS
from core.engine.resume_dates import RANGE_RE, SEASON_RE, Period, find_periods, join_split_ranges, merged_years
from core.engine.skills import extract_skills

if TYPE_CHECKING:
    from core.engine.documents import ReadLimits

SECTIONS = ("summary", "experience", "education", "skills", "projects", "certifications")
EXPECTED_FIELDS = ("name", "email", "phone", "location", "summary", "experience", "education", "skills")

# Words that make a short line a section heading. "other" sections end the one before them.
_HEADING_WORDS: dict[str, tuple[str, ...]] = {
    "other": (
        "volunteer", "volunteering", "languages", "language", "publications", "talks", "patents", "awards",
        "honors", "honours", "interests", "hobbies", "references", "leadership", "activities", "memberships",
        "affiliations", "contact", "achievements", "conferences", "presentations", "extracurricular", "coursework",
        "details", "information", "service",
    ),
    "summary": ("summary", "profile", "objective", "about", "overview", "introduction", "statement", "bio"),
    "experience": ("experience", "employment", "work", "history", "internships", "internship", "career"),
    "education": ("education", "academic", "academics", "qualifications", "degrees", "schooling"),
    "skills": (
        "skills", "skill", "competencies", "competences", "proficiencies", "technologies", "expertise",
        "toolkit", "tools", "stack", "strengths",
    ),
    "projects": ("projects", "project", "portfolio"),
    "certifications": (
        "certifications", "certification", "certificates", "certificate", "licenses", "licences", "license",
        "licence", "credentials",
    ),
}  # fmt: skip
_HEADING_FILLERS = {
    "and", "&", "of", "my", "professional", "technical", "core", "key", "relevant", "selected", "personal",
    "additional", "other", "side", "open", "source", "executive", "career", "work", "matrix", "areas",
    "area", "summary", "recent", "notable", "academic", "skills", "tools", "languages", "training", "me",
    "history", "highlights", "top", "research", "industry", "teaching", "soft", "hard", "software", "background",
}  # fmt: skip
_INLINE_HEADINGS = {"skills", "technical skills", "core skills", "key skills", "summary", "objective", "profile"}

_BULLET_RE = re.compile(r"^(?:[•▪●◦○■□▸►▶➤✓✔✦◆◇➢\-–—*·]|\d{1,2}[.)])\s+")
_DECORATION_RE = re.compile(r"^[^\w(]+|[\s:]+$")
# Matches start only where a run of address characters starts: a start inside the run would rescan it, which
# made a long run without "@" quadratic (20,000 characters 3.4 s); the leftmost match is the same.
_EMAIL_RE = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_P = r"[\s.\-\xad]"  # a separator inside a phone number (a soft hyphen too)
# "(555) 010-4821", "+1 (555) 010-4821", "555.010.4821"; then "+44 20 7946 0321", "+33 6 12 34 56 78", "(+82) 10 1234"
_PHONE_RE = re.compile(
    rf"(?<![\w.+])(?:\+\d{{1,3}}{_P}?|\(\+\d{{1,3}}\){_P}?)?(?:\(\d{{2,4}}\){_P}?|\d{{2,4}}{_P})\d{{3,4}}{_P}\d{{3,5}}(?![\w-]?\d)"
    rf"|(?<![\w.+])(?:\+\d{{1,3}}|\(\+\d{{1,3}}\))(?:{_P}?\d{{1,5}}){{2,6}}(?![\w-]?\d)"
)
# A bare mobile number ("9845012345"): only among the contact details, where no ID stands.
_BARE_MOBILE_RE = re.compile(r"(?<![\w.+/-])(?:0?[6-9]\d{4}[\s\xad-]?\d{5}|0\d{10})(?![\w-]?\d)")
_LABELLED_PHONE_RE = re.compile(
    r"(?i)\b(?:phone|mobile|mob|tel|telephone|cell|whatsapp)\b\.?\s*(?:no\.?|number)?\s*[:\-]?\s*"
    r"(\(?\+?\d[\d\s().\-\xad]{5,18}\d)"
)
# Numbers that are not phones: identifiers after their label, ORCID ids, date ranges.
_NOT_PHONE_RE = re.compile(
    r"(?i)\b(?:orcid|id|roll|reg(?:istration)?|aadhaar|pan|ssn|passport|license|licence|isbn|doi)\b[\s.:#no]*$"
)
_ORCID_RE = re.compile(r"\b\d{4}-\d{4}-\d{4}-\d{3}[\dX]\b")
_LINKEDIN_RE = re.compile(r"(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(?:in|pub)/[\w%.-]+/?", re.I)
_GITHUB_RE = re.compile(r"(?:https?://)?(?:www\.)?github\.com/[\w-]+/?", re.I)
_URL_RE = re.compile(  # starts only where a host name starts ("-" too), so a long "a-a-a-…" run stays linear
    r"(?<![@\w.-])(?:https?://)?(?:www\.)?(?:[a-z0-9-]+\.)+(?:io|dev|design|me|com|net|org|co|site|page|app|"
    r"xyz|info|tech|art|studio|portfolio|online|website|blog|ai|cc|us|uk|ca|de|fr)(?:/[\w./#-]*)?(?![\w@])",
    re.I,
)
_SEPARATORS_RE = re.compile(r"\s*(?:\||·|•|●|⋅|∙|\t|\s{3,}|\s[—–]\s|[✉☎⌂➤✆📍📞📧])\s*")
_US_STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
    "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR",
)  # fmt: skip
_LOCATION_RE = re.compile(
    r"^(?P<loc>[A-ZÀ-Þ][\w.'’ -]{1,30}(?:,\s*[A-ZÀ-Þ][\w.'’ -]{1,30}){1,2})(?:\s+\d{5}(?:-\d{4})?)?$"
)
_CITY_STATE_RE = re.compile(
    r"(?<![\w])(?P<loc>[A-Z][a-zA-Z.'’-]+(?:\s[A-Z][a-zA-Z.'’-]+){0,3},\s?(?:" + "|".join(_US_STATES) + r"))(?![\w])"
)
_TITLE_WORDS = re.compile(
    r"\b(?:engineer|developer|manager|analyst|designer|scientist|intern|specialist|director|lead|consultant|"
    r"administrator|teacher|executive|associate|officer|coordinator|architect|researcher|fellow|assistant|head|"
    r"vp|president|founder|representative|technician|nurse|accountant|writer|editor|programmer|strategist|"
    r"marketer|recruiter|tutor|instructor|professor|lecturer|owner|partner|advisor|adviser|sre|devops|"
    r"co-?op|trainee|apprentice|clerk|cashier|supervisor|agent|student|volunteer)\b",
    re.I,
)
_NOT_NAME_WORDS = _TITLE_WORDS.pattern[:-3] + r"|resume|curriculum|vitae|cv|page|contact|profile)\b"
_NOT_NAME_RE = re.compile(_NOT_NAME_WORDS, re.I)
_NAME_TOKEN_RE = re.compile(r"^(?:[A-ZÀ-ÞŁŚŻŹĆŃÓ][\w'’.-]*|[a-z]{1,3}|[A-Z]\.)$")

_DEGREE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern, re.I if level in ("phd", "high_school") else 0))
    for level, pattern in (
        ("phd", r"\bph\.?\s?d\b|\bd\.?phil\b|\bdoctor(?:ate)?\s+(?:of|in)\b|\bed\.d\b|\bdoctoral degree\b"),
        (
            "master",
            r"\b[Mm]aster(?:'s|’s|s)?\b(?:\s+(?:of|in|degree)\b)?|\bM\.\s?(?:S|A|Sc|Eng|Ed|Phil|Tech|F\.A|B\.A|P\.H)\b\.?"
            r"|\b(?:MSc|MEng|MBA|MPH|MFA|MPA|MSW|MCA|MTech|MPhil|LLM|MEd|MArch)\b|(?<!,\s)(?<!,)\b(?:MS|MA)\b(?=\s+(?:in|of)\b|,)",
        ),
        (
            "bachelor",
            r"\b[Bb]achelor(?:'s|’s|s)?\b|\bB\.\s?(?:S|A|Sc|Eng|E|Tech|F\.A|B\.A|Com|Arch)\b\.?"
            r"|\b(?:BSc|BEng|BTech|BBA|BFA|BCom|BCA|LLB|BArch|BSN)\b|\b(?:BS|BA)\b(?=\s+(?:in|of)\b|,|\s+[A-Z])",
        ),
        (
            "associate",
            r"\b[Aa]ssociate(?:'s|’s)?\s+(?:of|in|degree)\b|\bA\.\s?A\.?S?\b\.?|\bA\.S\.|\bAAS\b"
            r"|\b(?:[Aa]dvanced |[Gg]raduate |[Pp]ostgraduate |[Hh]igher [Nn]ational )?[Dd]iploma (?:in|of)\b",
        ),
        (
            "high_school",
            r"\bhigh\s+school\b|\bsecondary\s+school\b|\bGED\b|\bA-levels?\b|\b(?:HSC|SSC)\b"
            r"|(?<!\w )\bdiploma\b(?!\s+(?:in|of)\b)",
        ),
    )
)
_IN_PROGRESS_RE = re.compile(
    r"\b(?:expected|anticipated|candidate|in\s+progress|pursuing|ongoing|current(?:ly)?|present|to\s+be\s+completed)\b",
    re.I,
)
_INSTITUTION_RE = re.compile(
    r"\b(?:university|college|institute|school|academy|polytechnic|politechnika|universidad|université|"
    r"universität|universita|conservatory|seminary)\b",
    re.I,
)
_COUNTRIES = {
    "usa", "us", "united states", "canada", "mexico", "brazil", "argentina", "uk", "united kingdom", "england",
    "ireland", "france", "germany", "spain", "portugal", "italy", "netherlands", "belgium", "switzerland",
    "austria", "poland", "czechia", "czech republic", "sweden", "norway", "denmark", "finland", "greece",
    "turkey", "israel", "uae", "united arab emirates", "saudi arabia", "egypt", "nigeria", "kenya",
    "south africa", "india", "pakistan", "bangladesh", "sri lanka", "nepal", "china", "japan", "korea",
    "south korea", "singapore", "malaysia", "indonesia", "philippines", "vietnam", "thailand", "australia",
    "new zealand", "ukraine", "romania", "hungary", "colombia", "chile", "peru",
}  # fmt: skip
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z][a-z]{0,3}|\b[A-Z](?:\.[A-Z])+)\.$")  # "Co.", "Inc.", "U.S."


def _ends_sentence(text: str) -> bool:
    text = text.rstrip()
    if text.endswith((";", "!", "?")):
        return True
    return text.endswith(".") and not _ABBREVIATION_END.search(text)


@dataclass
class Line:
    text: str
    section: str | None
    is_bullet: bool = False
    heading: bool = False


@dataclass
class Structure:
    """What the parser saw of the CV's layout: the raw headings and its bullets (for the ATS format score)."""

    headings: list[tuple[str, str]] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    word_count: int = 0


def parse_resume(text: str, today: date | None = None, headings: Iterable[str] = ()) -> dict[str, Any]:
    """The DESIGN.md `resume` object for a CV's text; `today` fixes what "Present" means. `headings` are the
    lines the file sets apart as headings (ExtractedDocument.headings); plain text has none."""
    today = today or date.today()
    text = join_split_ranges(bound_text(text))
    lines = _classify_lines(text, headings)
    name = _find_name(lines)
    email = _first(_EMAIL_RE, text)
    phone = _find_phone(lines)
    location = _find_location(lines)
    experience = _parse_experience([line for line in lines if line.section == "experience"], today)
    if not experience and not any(line.section == "experience" for line in lines):
        experience = _parse_experience([line for line in lines if line.section is None], today)
    education = _parse_education(lines, today)
    sections = _sections(lines, experience, education)
    periods = [entry.pop("_period") for entry in experience]
    periods = [period for period, entry in zip(periods, experience, strict=True) if _is_position(entry)]
    result = {
        "name": name,
        "email": email,
        "phone": phone,
        "location": location,
        "links": _find_links(lines, email),
        "sections": sections,
        "skills": extract_skills(_skill_text(text, name, experience)),
        "years_experience": merged_years(periods),
        "highest_degree": _highest_degree(education),
        "experience": experience,
        "education": education,
    }
    present = {key: bool(result[key]) for key in ("name", "email", "phone", "location")}
    present.update({key: key in sections for key in ("summary", "experience", "education", "skills")})
    result["missing_fields"] = [key for key in EXPECTED_FIELDS if not present[key]]
    return result


def _skill_text(text: str, name: str | None, experience: list[dict[str, Any]]) -> str:
    """The text skills are read from: without the person's name (the surname "Doe" is no method) and without
    the employer on position lines (working at Figma or OpenAI is not using their product)."""
    if name:
        text = re.sub(re.escape(name), lambda m: " " * len(m.group()), text, flags=re.I)
    companies = sorted({entry["company"] for entry in experience if entry["company"]}, key=len, reverse=True)
    if not companies:
        return text
    employer = re.compile("|".join(re.escape(company) for company in companies))
    lines = []
    for line in text.split("\n"):
        if (
            employer.search(line)
            and not _BULLET_RE.match(line.strip())
            and (len(line.split()) <= 8 or _has_dates(line))
        ):
            line = employer.sub(lambda m: " " * len(m.group()), line)
        lines.append(line)
    return "\n".join(lines)


def analyze_structure(text: str, headings: Iterable[str] = ()) -> Structure:
    """Headings and bullets as the parser found them, for scoring how machine-readable a CV is."""
    text = bound_text(text)
    lines = _classify_lines(text, headings)
    return Structure(
        headings=[(line.text, line.section or "other") for line in lines if line.heading],
        bullets=[line.text for line in lines if line.is_bullet],
        sections=_sections(lines, [], []),
        word_count=len(text.split()),
    )


def section_lines(text: str, section: str) -> list[tuple[str, bool]]:
    """(text, is_bullet) of the body lines of one section as the parser sees them; the résumé builder starts a
    summary, projects and certifications from them."""
    lines = _classify_lines(join_split_ranges(bound_text(text)))
    return [(line.text, line.is_bullet) for line in lines if line.section == section and not line.heading]


def extract_file(path: Path, limits: ReadLimits, today: date | None = None) -> dict[str, Any]:
    """The `extract FILE` CLI contract: the text of a CV file and its structured form."""
    from core.engine.documents import extract_text

    document = extract_text(path.read_bytes(), path.name, limits)
    return {"text": document.text, "resume": parse_resume(document.text, today, document.headings)}


# --- lines and sections -----------------------------------------------------------------------------


def _heading_words(raw: str) -> list[str] | None:
    """The words of a line shaped like a heading (short, capitalised, no digits, address or sentence), or None."""
    text = _DECORATION_RE.sub("", raw.strip())
    if re.fullmatch(r"[A-Za-z](?: {1,2}[A-Za-z]|\t[A-Za-z]){3,}", text):  # "E X P E R I E N C E"
        text = " ".join(word.replace(" ", "") for word in re.split(r" {2,}|\t", text))
    if not text or len(text) > 45 or re.search(r"[\d@/]|https?:", text) or _ends_sentence(text):
        return None
    words = re.findall(r"[^\W\d_]+|&", text.lower())
    if not words or len(words) > 5 or not (text.isupper() or text.istitle() or raw.strip()[:1].isupper()):
        return None
    return words


def _heading_section(raw: str) -> str | None:
    """The section a short line announces by its words, or None if it is not a heading."""
    words = _heading_words(raw)
    if words is None or not all(word in _HEADING_FILLERS or _is_heading_word(word) for word in words):
        return None
    named = [section for section in SECTIONS if any(word in _HEADING_WORDS[section] for word in words)]
    if words[0] in _HEADING_WORDS["other"] and not set(named) & {"education", "skills", "projects", "certifications"}:
        return "other"  # "Volunteer Experience", "Leadership & Service", "Languages"
    if named:
        return named[0]
    if any(word in _HEADING_WORDS["other"] for word in words):
        return "other"
    return None


def _is_heading_word(word: str) -> bool:
    return any(word in keys for keys in _HEADING_WORDS.values())


def _classify_lines(text: str, headings: Iterable[str] = ()) -> list[Line]:
    """Non-empty lines tagged with the section they fall in; headings and bullets are marked. A hinted
    heading (`headings`) whose words the keyword list does not know opens a section told by its content;
    one right under another is an entry's line set in the headings' type (an employer), not a heading."""
    hinted = {line_key(heading) for heading in headings}
    lines: list[Line] = []
    section: str | None = None
    opened: dict[str, str | None] = {}  # a hinted heading's placeholder section -> the section open before it
    for raw in text.splitlines():
        stripped = re.sub(r"[ \t]*\t[ \t]*| {3,}", "\t", raw.strip())
        if not stripped or re.fullmatch(r"(?i)page\s+\d+(\s+of\s+\d+)?", stripped):
            continue
        head, _, rest = stripped.partition(":")
        inline = head.strip().lower()
        heading = _heading_section(stripped)
        if heading is None and rest.strip() and inline in _INLINE_HEADINGS:
            section = _heading_section(head)
            lines.append(Line(head.strip(), section, heading=True))
            lines.append(Line(rest.strip(), section))
            continue
        after_hinted = bool(lines) and lines[-1].heading and lines[-1].section in opened
        if heading is None and line_key(stripped) in hinted and not after_hinted and _may_head(stripped, lines):
            placeholder = f"?{len(opened)}"
            opened[placeholder], section = section, placeholder
            lines.append(Line(stripped, placeholder, heading=True))
            continue
        if heading is not None:
            section = None if heading == "other" else heading
            lines.append(Line(stripped, heading, heading=True))
            continue
        bullet = _BULLET_RE.match(stripped)
        text_only = stripped[bullet.end() :].strip() if bullet else stripped
        lines.append(Line(text_only, section, is_bullet=bool(bullet)))
    _resolve_hinted(lines, opened)
    return lines


def _may_head(text: str, before: list[Line]) -> bool:
    """A hinted line may be a heading if it is shaped like one and is no name at the top, job title, degree,
    school or dated entry (a bold title is set like a heading in many CVs)."""
    if _heading_words(text) is None or _TITLE_WORDS.search(text) or _degree_level(text):
        return False
    if _INSTITUTION_RE.search(text) or _has_dates(text):
        return False
    return any(line.heading for line in before) or len(before) >= 3 or _clean_name(text) is None


def _resolve_hinted(lines: list[Line], opened: dict[str, str | None]) -> None:
    """Give each hinted heading the section its content shows, in one pass. One that shows the section
    already open (a bold employer among positions) or the title band above the contact details is no heading."""
    blocks: dict[str, list[Line]] = {placeholder: [] for placeholder in opened}
    for line in lines:
        if line.section in blocks and not line.heading:
            blocks[line.section].append(line)
    resolved: dict[str, str | None] = {}
    any_heading = intro_seen = False
    for i, line in enumerate(lines):
        placeholder = line.section
        if line.heading and placeholder in blocks:
            block, before = blocks[placeholder], opened[placeholder]
            previous = resolved.get(before, before) if before is not None else None
            kind = _section_by_content(block, early=not intro_seen)
            title_band = not any_heading and any(_EMAIL_RE.search(x.text) for x in block)
            if kind == previous or title_band:
                lines[i] = Line(line.text, previous)
                resolved[placeholder] = previous
            else:
                resolved[placeholder] = None if kind == "other" else kind
                line.section = kind
            for body in block:
                body.section = resolved[placeholder]
        if lines[i].heading:
            any_heading = True
            intro_seen |= lines[i].section in ("summary", "experience")


def _section_by_content(block: list[Line], early: bool) -> str:
    """What a section under an unknown heading holds: dated positions, degrees and schools, skill lists, an
    introduction (prose before any summary or experience), or something else ("other", which ends the
    section above)."""
    texts = [line.text for line in block]
    schooling = sum(1 for text in texts if _degree_level(text) or _INSTITUTION_RE.search(text))
    entries = _parse_experience(block, date.today())
    positions = sum(
        1 for entry in entries if entry["title"] and _is_position(entry) and not _degree_level(entry["title"])
    )
    if positions and positions * 2 >= schooling:
        return "experience"
    if schooling:
        return "education"
    prose = sum(len(text.split()) for text in texts) >= 12 and _ends_sentence(texts[-1]) if texts else False
    if early and prose and not any(_has_dates(text) for text in texts):
        return "summary"
    if _lists_skills(" ".join(texts)):
        return "skills"
    return "other"


def _sections(lines: list[Line], experience: list[dict], education: list[dict]) -> list[str]:
    """Sections present by heading, or by content when the heading is missing or unusual."""
    found = {line.section for line in lines if line.heading and line.section in SECTIONS}
    content = [line for line in lines if not line.heading]
    if "summary" not in found:
        first_heading = next((i for i, line in enumerate(lines) if line.heading), len(lines))
        intro = " ".join(line.text for line in lines[:first_heading] if not line.is_bullet)
        if any(len(line.text.split()) >= 15 for line in lines[:first_heading]) and len(intro.split()) >= 25:
            found.add("summary")
    if experience:
        found.add("experience")
    if education:
        found.add("education")
    if "skills" not in found and any(_is_skill_list(line.text) for line in content):
        found.add("skills")
    if "certifications" not in found and any(
        (
            re.search(r"\b(?:certified|certification|certificate)\b", line.text, re.I)
            and line.section not in ("summary", "experience", "education")
        )
        or (re.search(r"\b(?:certified|certification)\b", line.text, re.I) and line.section == "education")
        for line in content
    ):
        found.add("certifications")
    return [name for name in SECTIONS if name in found]


def _lists_skills(text: str) -> bool:
    """Short items ("Data: PostgreSQL, Kafka, Redis"), wrapped or not, naming at least three skills."""
    items = [item for item in re.split(r"[,;|•·:]", text) if item.strip()]
    return len(items) >= 3 and len(text.split()) <= 3 * len(items) and len(extract_skills(text)) >= 3


def _is_skill_list(text: str) -> bool:
    items = [item for item in re.split(r"[,;|•·]", text.partition(":")[2] or text) if item.strip()]
    return len(items) >= 4 and len(extract_skills(text)) >= 3 and len(text.split()) <= 3 * len(items)


# --- contact details ----------------------------------------------------------------------------------


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(0).strip() if match else None


def _header_lines(lines: list[Line]) -> list[Line]:
    """Where contact details live: the top of the CV and the lines around the e-mail address."""
    top = lines[:12]
    for i, line in enumerate(lines):
        if _EMAIL_RE.search(line.text):
            return top + [x for x in lines[max(0, i - 4) : i + 6] if all(x is not y for y in top)]
    return top


def _find_name(lines: list[Line]) -> str | None:
    """A name-like line near the top: one matching the e-mail or LinkedIn handle, else the first one
    above the first heading, else the first one at all."""
    candidates: list[tuple[str, bool]] = []
    seen_heading = False
    for line in _header_lines(lines)[:12]:
        seen_heading |= line.heading
        if line.heading:
            continue
        for part in _SEPARATORS_RE.split(line.text)[:1] + ([line.text] if "," in line.text else []):
            candidate = _clean_name(part)
            if candidate and all(candidate != known for known, _ in candidates):
                candidates.append((candidate, not seen_heading))
    text = " ".join(line.text for line in lines[:40])
    handles = [m.group(0).split("@")[0] for m in _EMAIL_RE.finditer(text)] + _LINKEDIN_RE.findall(text)
    handle = _fold(" ".join(handles))
    for candidate, _ in candidates:
        if any(len(token) >= 3 and _fold(token)[:4] in handle for token in candidate.split()):
            return candidate
    ranked = [c for c, above_headings in candidates if above_headings] + [c for c, _ in candidates]
    return ranked[0] if ranked else None


def _fold(text: str) -> str:
    """Lower-case ASCII letters only, so "Zoë Łukasik" can match "zoe.lukasik"."""
    text = unicodedata.normalize("NFKD", text.lower().replace("ł", "l").replace("ø", "o").replace("ß", "ss"))
    return "".join(ch for ch in text if "a" <= ch <= "z" or ch == " ")


def _clean_name(text: str) -> str | None:
    text = re.sub(r"^(?:name\s*:\s*)?(?:(?:dr|mr|mrs|ms|mx|prof)\.?\s+)?", "", text.strip(), flags=re.I)
    text = re.sub(r"(?:,\s*[A-Z][A-Za-z.]{1,6})+$", "", re.sub(r"\s*\([^)]*\)", "", text)).strip(" ,")  # ", MBA"
    tokens = text.split()
    if not 2 <= len(tokens) <= 4 or re.search(r"[\d@:/()|,&]", text) or _NOT_NAME_RE.search(text):
        return None
    if any(_is_heading_word(token.lower()) for token in tokens):
        return None
    if not all(_NAME_TOKEN_RE.match(token) for token in tokens) or not tokens[0][0].isupper():
        return None
    if text.isupper():
        text = " ".join(token.capitalize() if "'" not in token else token.title() for token in tokens)
    return text


def _find_phone(lines: list[Line]) -> str | None:
    """A labelled number first, then a phone-shaped one near the contact details, then anywhere; a bare
    10-11 digit mobile only near the contact details. Never an ID, an ORCID, a date range or a postcode."""
    for line in lines:
        labelled = _LABELLED_PHONE_RE.search(line.text)
        if labelled and 7 <= len(re.sub(r"\D", "", labelled.group(1))) <= 15:
            return _phone_text(labelled.group(1))
    header = _header_lines(lines)
    for group, patterns in ((header, (_PHONE_RE, _BARE_MOBILE_RE)), (lines, (_PHONE_RE,))):
        for line in group:
            for pattern in patterns:
                for match in pattern.finditer(line.text):
                    if _is_phone(line.text, match):
                        return _phone_text(match.group(0))
    return None


def _is_phone(text: str, match: re.Match[str]) -> bool:
    number = match.group(0)
    if not 7 <= len(re.sub(r"\D", "", number)) <= 15 or RANGE_RE.search(number):
        return False
    if re.fullmatch(r"(?:19|20)\d{2}\D+(?:19|20)\d{2}", number) or _NOT_PHONE_RE.search(text[: match.start()]):
        return False
    return not any(o.start() <= match.start() < o.end() for o in _ORCID_RE.finditer(text))


def _phone_text(number: str) -> str:
    return number.replace("\xad", "-").strip()


def _find_location(lines: list[Line]) -> str | None:
    """The person's place near the contact details; never the place of an employer or a school."""
    header = [line for line in _header_lines(lines) if line.section not in ("experience", "education")]
    for line in header:
        labelled = re.match(r"(?i)^(?:location|address|based in)\s*[:\-]\s*(.+)$", line.text)
        if labelled:
            return labelled.group(1).strip()
    contact = [i for i, line in enumerate(header) if _EMAIL_RE.search(line.text) or _PHONE_RE.search(line.text)]
    for i, line in enumerate(header):
        near_contact = any(abs(i - j) <= 3 for j in contact)
        for part in _SEPARATORS_RE.split(line.text):
            part = re.sub(r"^[^\w]+", "", part).strip(" ,;")
            if _looks_like_location(part, strict=not near_contact):
                return part
    for line in header:
        match = _CITY_STATE_RE.search(line.text)
        if match and not _TITLE_WORDS.search(match.group("loc")):
            return match.group("loc")
    return None


def _looks_like_location(part: str, *, strict: bool) -> bool:
    """'City, ST' or 'City, Country' near the top; 'City, Anything' only beside an e-mail or phone number."""
    if not _LOCATION_RE.match(part) or _EMAIL_RE.search(part) or _URL_RE.search(part):
        return False
    if _TITLE_WORDS.search(part) or _INSTITUTION_RE.search(part) or len(part.split()) > 6:
        return False
    last = re.sub(r"\s+\d{5}(?:-\d{4})?$", "", part.rsplit(",", 1)[1].strip())  # a ZIP code
    return _is_region(last) or (not strict and bool(re.fullmatch(r"[A-ZÀ-Þ][\w'’ -]+", last)))


def _find_links(lines: list[Line], email: str | None) -> dict[str, str | None]:
    """Profile links anywhere; a personal site only where contact details are (not "Node.js" in a bullet)."""
    text = "\n".join(line.text for line in lines)
    near_top = {id(line) for line in _header_lines(lines)}
    header = "\n".join(
        line.text for line in lines if id(line) in near_top or re.match(r"(?i)(portfolio|website)\b", line.text)
    )
    email_domain = email.rsplit("@", 1)[1].lower() if email else ""
    portfolio = None
    for match in _URL_RE.finditer(header):
        url = match.group(0).rstrip("./")
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/")[0]
        if host == email_domain or host.endswith(("linkedin.com", "github.com")) or host.endswith(".js"):
            continue
        if re.search(r"\d\.\d", url) or (url[:1].isupper() and not url.lower().startswith(("http", "www"))):
            continue  # phone numbers, versions, "B.Tech", "ASP.NET": not web sites
        portfolio = url
        break
    return {"linkedin": _first(_LINKEDIN_RE, text), "github": _first(_GITHUB_RE, text), "portfolio": portfolio}


# --- experience --------------------------------------------------------------------------------------


def _parse_experience(lines: list[Line], today: date) -> list[dict[str, Any]]:
    """Positions anchored on date ranges: header lines around each range, then the bullets below it.

    Between two anchors, header-like lines right after an anchor belong to it (company or place under a
    title line), header-like lines right before the next anchor belong to that one (a title above its
    dates), and what lies in between are the bullets.
    """
    body = [line for line in lines if not line.heading]
    anchors: list[tuple[int, Period]] = []
    for i, line in enumerate(body):
        periods = [] if line.is_bullet else find_periods(line.text, today)
        if periods and _is_header_like(body, i):
            anchors.append((i, periods[0]))
    if not anchors:
        return []
    edges = [index for index, _ in anchors] + [len(body)]
    before: list[list[int]] = [_trailing_headers(body, 0, edges[0])]
    after: list[list[int]] = []
    for k in range(len(anchors)):
        gap_start, gap_end = edges[k] + 1, edges[k + 1]
        head = _leading_headers(body, gap_start, gap_end)
        tail = _trailing_headers(body, gap_start + len(head), gap_end) if k + 1 < len(anchors) else []
        next_is_bare = k + 1 < len(anchors) and not _title_text(body[edges[k + 1]].text)
        if len(head) == gap_end - gap_start and next_is_bare and (before[k] or _title_text(body[edges[k]].text)):
            head, tail = [], head[-2:]  # no bullets: the lines are the next position's title
        after.append(head)
        before.append(tail)
    entries: list[dict[str, Any]] = []
    for k, (index, period) in enumerate(anchors):
        header_rows = [*before[k], index, *after[k]]
        bullet_rows = [i for i in range(index + 1, edges[k + 1]) if i not in after[k] and i not in before[k + 1]]
        title, company = _title_and_company([body[i].text for i in header_rows])
        entries.append(
            {
                "title": title,
                "company": company,
                "start": period.label("start"),
                "end": period.label("end"),
                "bullets": _bullets([body[i] for i in bullet_rows]),
                "_period": period,
            }
        )
    return entries


_ORGANISATION_RE = re.compile(
    r"\b(?:club|society|association|council|chapter|fraternity|sorority|hackathon|volunteer(?:ing)?|"
    r"student\s+(?:government|union|body)|course(?:work)?|project)\b",
    re.I,
)
_JOB_TITLE_RE = re.compile(
    r"\b(?:intern(?:ship)?|assistant|engineer|developer|analyst|designer|scientist|specialist|consultant|"
    r"manager|nurse|accountant|technician|associate|officer|coordinator|researcher|teacher|tutor|clerk|"
    r"cashier|representative|administrator|architect|programmer|writer|editor|trainee|apprentice|co-?op)\b",
    re.I,
)


def _is_position(entry: dict[str, Any]) -> bool:
    """A job or internship, which counts towards years; a club, society or project does not, unless it is
    titled as a paid position ("Teaching Assistant, Robotics Club")."""
    header = " ".join(filter(None, (entry["title"], entry["company"])))
    return not _ORGANISATION_RE.search(header) or bool(_JOB_TITLE_RE.search(entry["title"] or ""))


def _leading_headers(body: list[Line], start: int, end: int) -> list[int]:
    rows: list[int] = []
    while start + len(rows) < end and len(rows) < 2 and _is_header_like(body, start + len(rows)):
        rows.append(start + len(rows))
    return rows


def _trailing_headers(body: list[Line], start: int, end: int) -> list[int]:
    rows: list[int] = []
    while end - len(rows) - 1 >= start and len(rows) < 2 and _is_header_like(body, end - len(rows) - 1):
        rows.insert(0, end - len(rows) - 1)
    return rows


def _is_header_like(body: list[Line], i: int) -> bool:
    """A short line that is not a bullet, a sentence, the wrapped tail of the line above, or the head of a
    sentence that wraps onto the next line (a PDF without bullet glyphs: "…for 900" / "stores.")."""
    line = body[i]
    if line.is_bullet or len(line.text) > 110 or _ends_sentence(line.text):
        return False
    following = body[i + 1] if i + 1 < len(body) else None
    if following is not None and not following.is_bullet and following.text[:1].islower():
        return False
    prev = body[i - 1] if i else None
    wrapped = (
        prev is not None
        and (prev.is_bullet or len(prev.text) > 70)
        and not _ends_sentence(prev.text)
        and (line.text[:1].islower() or (len(prev.text) > 70 and not _has_dates(line.text)))
    )
    return not wrapped


def _has_dates(text: str) -> bool:
    return bool(RANGE_RE.search(text) or SEASON_RE.search(text))


def _title_text(text: str) -> str:
    """What is left of a header line once dates, places and separators are removed."""
    return " ".join(_header_fields(text))


def _header_fields(text: str) -> list[str]:
    text = re.sub(r"\(\s*\|\s*\)", " | ", SEASON_RE.sub(" | ", RANGE_RE.sub(" | ", text)))
    text = re.sub(r"\(([^()]*)\)", lambda m: " | " if _is_place(m.group(1)) else m.group(0), text)
    fields: list[str] = []
    for part in re.split(r"\s*(?:\||·|•|\t|\s{2,}|\s[—–-]\s|\s@\s|\bat\b)\s*", text):
        part = _drop_place(part.strip(" ,;:-–—"))
        if part and not re.fullmatch(r"[\W\d]*", part) and not _GRADE_RE.match(part):
            fields.append(part)
    return fields


_GRADE_RE = re.compile(r"(?i)(?:c?gpa|grade|percentage|marks|cgpa)\b\s*[:=]?\s*[\d.]")


def _is_place(text: str) -> bool:
    parts = [p.strip() for p in text.split(",")]
    return len(parts) == 2 and bool(re.fullmatch(r"[A-ZÀ-Þ][\w.'’ -]{1,30}", parts[0])) and _is_region(parts[1])


def _is_region(text: str) -> bool:
    return text in _US_STATES or text.lower() in _COUNTRIES or text.lower() in ("remote", "hybrid")


def _drop_place(text: str) -> str:
    """'Acme Corp, Portland, OR' -> 'Acme Corp'; 'Portland, OR' -> ''."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 2 and _is_region(parts[-1]):
        return ", ".join(parts[:-2]).strip()
    if text.lower() in ("remote", "hybrid"):
        return ""
    return text


def _bullets(lines: list[Line]) -> list[str]:
    """Bullet texts with wrapped continuation lines joined back on."""
    bullets: list[str] = []
    for line in lines:
        if (
            bullets
            and not line.is_bullet
            and not _ends_sentence(bullets[-1])
            and (line.text[:1].islower() or len(bullets[-1]) > 60)
        ):
            bullets[-1] += " " + line.text
        else:
            bullets.append(line.text)
    return bullets


def _title_and_company(header: list[str]) -> tuple[str | None, str | None]:
    fields = [field for text in header for field in _header_fields(text)]
    if len(fields) == 1 and "," in fields[0]:
        head, _, tail = fields[0].partition(",")
        fields = [head.strip(), tail.strip()]
    if not fields:
        return None, None
    titled = [f for f in fields if _TITLE_WORDS.search(f)]
    title = titled[0] if titled else fields[0]
    company = next((f for f in fields if f != title), None)
    return title, company


# --- education ---------------------------------------------------------------------------------------


def _degree_level(text: str) -> str | None:
    for level, pattern in _DEGREE_PATTERNS:
        if pattern.search(text):
            return level
    return None


def degree_level(text: str) -> str | None:
    """The degree level a text names ("bachelor", "master" …), or None: for checking wording, not parsing."""
    return _degree_level(text)


def _parse_education(lines: list[Line], today: date) -> list[dict[str, Any]]:
    """One entry per line naming a degree; institution and year from that line or its neighbours."""
    scope = [line for line in lines if line.section == "education" and not line.heading]
    if not scope:
        scope = [line for line in lines if line.section is None and not line.heading]
    entries: list[dict[str, Any]] = []
    for i, line in enumerate(scope):
        level = _degree_level(line.text)
        if level is None:
            continue
        # the same line first, then below, above, two below (lines naming no other degree)
        context = [line.text] + [
            scope[j].text for j in (i + 1, i - 1, i + 2) if 0 <= j < len(scope) and _degree_level(scope[j].text) is None
        ]
        institution = next((_institution_part(text) for text in context if _INSTITUTION_RE.search(text)), None)
        year_line = next((text for text in context if _YEAR_RE.search(text)), "")
        years = [int(y) for y in _YEAR_RE.findall(year_line)]
        year = max(years) if years else None
        in_progress = bool(_IN_PROGRESS_RE.search(line.text + " " + year_line)) or (
            year is not None and year > today.year
        )
        entries.append(
            {
                "degree": _degree_text(line.text),
                "level": level,
                "institution": institution,
                "year": year,
                "completed": not in_progress,
            }
        )
    return entries


def _degree_text(text: str) -> str:
    """The degree phrase of a line: up to the institution, place or dates."""
    kept: list[str] = []
    for part in re.split(r"\s*(?:\t|\s{2,}|\s[—–|·]\s|,\s)\s*", RANGE_RE.sub("", text)):
        if kept and (_INSTITUTION_RE.search(part) or _is_region(part.strip()) or _YEAR_RE.fullmatch(part.strip())):
            break
        if part.strip():
            kept.append(part.strip())
    return re.sub(r"\s*\(\s*\)", "", ", ".join(kept)).strip(" ,:;–—-")


def _institution_part(text: str) -> str:
    for part in re.split(r"\s{2,}|\t|\s[—–|·]\s|,\s", text):
        if _INSTITUTION_RE.search(part):
            return re.sub(r"\s*\([^)]*\)", "", part).strip()
    return text.strip()


def _highest_degree(education: list[dict[str, Any]]) -> str:
    """Highest completed degree; someone studying for a degree has at least finished high school."""
    completed = [DEGREE_LEVELS.index(entry["level"]) for entry in education if entry.pop("completed")]
    if completed:
        return DEGREE_LEVELS[max(completed)]
    return "high_school" if education else "none"
