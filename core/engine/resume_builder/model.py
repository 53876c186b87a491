"""The structured résumé a student edits: contact, summary, positions, degrees, skills, projects, certifications.

Every text field has a limit (a CV field longer than that is a paste gone wrong), so a résumé that validates
always renders to a CV our own reader accepts. Dates are kept as ISO prefixes ("2021", "2021-03",
"2021-03-15") or "present" for an ongoing end, the form JSON Resume uses; `dates.py` reads what people type.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from core.errors import AppError, ErrorCode

ISO_DATE = re.compile(r"^(?:[12]\d{3}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?)?$")
PRESENT = "present"
MAX_POSITIONS, MAX_BULLETS, MAX_DEGREES, MAX_SKILLS, MAX_ITEMS, MAX_LINKS = 20, 15, 10, 60, 20, 6


Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Bullet = Annotated[str, StringConstraints(strip_whitespace=True, max_length=400)]
Long = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
Summary = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1500)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _date(value: str, *, end: bool) -> str:
    value = value.strip()
    if end and value.lower() == PRESENT:
        return PRESENT
    if not ISO_DATE.match(value):
        raise ValueError("use a date like 2021-03 or 2021" + (", or present" if end else ""))
    return value


class Position(_Part):
    position: Short = ""
    company: Short = ""
    start: str = ""
    end: str = ""
    bullets: list[Bullet] = Field(default_factory=list, max_length=MAX_BULLETS)

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        return _date(value, end=False)

    @field_validator("end")
    @classmethod
    def _end(cls, value: str) -> str:
        return _date(value, end=True)

    @field_validator("bullets")
    @classmethod
    def _bullets(cls, value: list[str]) -> list[str]:
        return [bullet for bullet in value if bullet]


class Degree(_Part):
    degree: Short = ""
    field: Short = ""
    institution: Name = ""
    start: str = ""
    end: str = ""

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        return _date(value, end=False)

    @field_validator("end")
    @classmethod
    def _end(cls, value: str) -> str:
        return _date(value, end=True)


class Project(_Part):
    name: Short = ""
    description: Long = ""


class Certification(_Part):
    name: Name = ""
    issuer: Short = ""
    date: str = ""

    @field_validator("date")
    @classmethod
    def _when(cls, value: str) -> str:
        return _date(value, end=False)


class Contact(_Part):
    name: Short = ""
    title: Short = ""
    location: Short = ""
    email: Short = ""
    phone: Phone = ""
    links: list[Name] = Field(default_factory=list, max_length=MAX_LINKS)


class Resume(_Part):
    contact: Contact = Field(default_factory=Contact)
    summary: Summary = ""
    experience: list[Position] = Field(default_factory=list, max_length=MAX_POSITIONS)
    education: list[Degree] = Field(default_factory=list, max_length=MAX_DEGREES)
    skills: list[Short] = Field(default_factory=list, max_length=MAX_SKILLS)
    projects: list[Project] = Field(default_factory=list, max_length=MAX_ITEMS)
    certifications: list[Certification] = Field(default_factory=list, max_length=MAX_ITEMS)

    @field_validator("skills")
    @classmethod
    def _skills(cls, value: list[str]) -> list[str]:
        """Blank and repeated skills dropped (case-insensitively), first spelling kept."""
        seen: set[str] = set()
        kept = []
        for skill in value:
            if skill and skill.lower() not in seen:
                seen.add(skill.lower())
                kept.append(skill)
        return kept


_LABELS = {
    "contact": "Contact", "summary": "Summary", "experience": "Position", "education": "Degree",
    "skills": "Skill", "projects": "Project", "certifications": "Certification", "bullets": "bullet",
    "links": "link",
}  # fmt: skip


def field_label(loc: tuple[int | str, ...]) -> str:
    """'Position 2, bullet 3' for ("experience", 1, "bullets", 2): how the page names a field."""
    words: list[str] = []
    for part in loc:
        if isinstance(part, int):
            words[-1] = f"{words[-1]} {part + 1}" if words else str(part + 1)
        else:
            words.append(_LABELS.get(part, part.replace("_", " ")))
    text = ", ".join(words)
    return text[:1].upper() + text[1:]


def validate(data: Any) -> Resume:
    """A Resume from untrusted data, or AppError(INVALID_INPUT) naming the first field that is wrong."""
    if isinstance(data, Resume):
        data = data.model_dump()
    try:
        return Resume.model_validate(data)
    except ValidationError as exc:
        raise AppError(ErrorCode.INVALID_INPUT, _problem(exc.errors()[0]), count=exc.error_count()) from None


def _problem(error: Any) -> str:
    where = field_label(tuple(error["loc"])) or "The résumé"
    limit = (error.get("ctx") or {}).get("max_length")
    if error["type"] == "string_too_long":
        return f"{where} is {len(error['input']):,} characters; the limit is {limit:,}."
    if error["type"] == "too_long":
        return f"{where} has more than {limit} entries, which is the limit."
    if error["type"] == "extra_forbidden":
        return f"{where} is not a résumé field we know."
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}."


# --- one field by its path, as the checks and the assistant name it -----------------------------------------

Path = tuple[str | int, ...]


def get_field(resume: Resume, path: Path) -> Any:
    """The value at ("experience", 0, "bullets", 2); the skills list is read as one comma-separated text."""
    value: Any = resume.model_dump()
    for part in path:
        value = value[part]
    return ", ".join(value) if path == ("skills",) else value


def set_field(resume: Resume, path: Path, value: str) -> Resume:
    """A new, validated résumé with one text field changed ("skills" takes comma-separated text)."""
    if not path:
        raise AppError(ErrorCode.INVALID_INPUT, "Choose a field to change.")
    data: Any = resume.model_dump()
    target = data
    try:
        for part in path[:-1]:
            target = target[part]
        new: Any = [s.strip() for s in value.split(",")] if path == ("skills",) else value
        if isinstance(path[-1], int) and path[-1] == len(target):
            target.append(new)
        else:
            target[path[-1]] = new
    except (KeyError, IndexError, TypeError):
        raise AppError(ErrorCode.INVALID_INPUT, "That field is not part of this résumé.") from None
    return validate(data)
