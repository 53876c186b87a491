"""One reading order for every export: a résumé as a list of blocks (name, title, contact line, headings,
entries, bullets, paragraphs). Markdown, PDF, DOCX and the plain text the scores read all render these blocks,
so no export says something another does not.

The shapes are chosen for ATS parsers, ours included: one column, standard headings, the name alone on the
first line, contact details on one line split by " | ", each position on one line as
"Position | Company | Mar 2021 – Present" with its bullets below, each degree as "Degree in Field | Institution |
dates", skills as one comma-separated line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.engine.resume_builder.dates import display, display_range
from core.engine.resume_builder.model import Degree, Position, Resume

Kind = Literal["name", "title", "contact", "heading", "entry", "bullet", "paragraph"]
SEPARATOR = " | "


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str


def position_line(job: Position) -> str:
    return SEPARATOR.join(part for part in (job.position, job.company, display_range(job.start, job.end)) if part)


def degree_line(degree: Degree) -> str:
    return SEPARATOR.join(
        part for part in (degree_name(degree), degree.institution, display_range(degree.start, degree.end)) if part
    )


def degree_name(degree: Degree) -> str:
    """'Bachelor of Science in Statistics': the field is added unless the degree already names it."""
    if degree.field and degree.field.lower() not in degree.degree.lower():
        return f"{degree.degree} in {degree.field}" if degree.degree else degree.field
    return degree.degree


def blocks(resume: Resume) -> list[Block]:
    contact = resume.contact
    out: list[Block] = []
    if contact.name:
        out.append(Block("name", contact.name))
    if contact.title:
        out.append(Block("title", contact.title))
    details = [contact.location, contact.email, contact.phone, *contact.links]
    if any(details):
        out.append(Block("contact", SEPARATOR.join(detail for detail in details if detail)))
    if resume.summary:
        out += [Block("heading", "Summary"), Block("paragraph", resume.summary)]
    if resume.experience:
        out.append(Block("heading", "Experience"))
        for job in resume.experience:
            out.append(Block("entry", position_line(job)))
            out += [Block("bullet", bullet) for bullet in job.bullets]
    if resume.education:
        out.append(Block("heading", "Education"))
        out += [Block("entry", degree_line(degree)) for degree in resume.education]
    if resume.skills:
        out += [Block("heading", "Skills"), Block("paragraph", ", ".join(resume.skills))]
    if resume.projects:
        out.append(Block("heading", "Projects"))
        for project in resume.projects:
            out.append(Block("entry", project.name))
            if project.description:
                out.append(Block("paragraph", project.description))
    if resume.certifications:
        out.append(Block("heading", "Certifications"))
        for cert in resume.certifications:
            out.append(Block("entry", SEPARATOR.join(p for p in (cert.name, cert.issuer, display(cert.date)) if p)))
    return out


def to_text(resume: Resume) -> str:
    """The plain text an ATS reads from the exports (bullets as "•"); what the scores are computed on."""
    return "\n".join(("• " + block.text) if block.kind == "bullet" else block.text for block in blocks(resume))


def to_markdown(resume: Resume) -> str:
    """Markdown that reads back as the same CV: the name as a setext title (our reader, like most ATS, takes
    '# Name' for a heading), sections as '## Heading', bullets as '- '."""
    lines: list[str] = []
    for block in blocks(resume):
        if block.kind == "name":
            lines += [block.text, "=" * max(3, len(block.text)), ""]
        elif block.kind == "heading":
            lines += ([""] if lines and lines[-1] else []) + [f"## {block.text}", ""]
        elif block.kind == "bullet":
            lines.append(f"- {block.text}")
        else:
            lines += [block.text, ""] if block.kind == "paragraph" else [block.text]
    return "\n".join(lines).strip() + "\n"
