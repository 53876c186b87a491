"""Every export of a résumé by format key: its bytes, MIME type and file name."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from core.engine.resume_builder import jsonresume, seed
from core.engine.resume_builder.layout import to_markdown
from core.engine.resume_builder.model import Resume
from core.engine.resume_builder.pdf import to_pdf
from core.engine.resume_builder.word import to_docx


def _json(document: object) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Format:
    label: str
    extension: str
    mime: str
    render: Callable[[Resume], bytes]


FORMATS: dict[str, Format] = {
    "pdf": Format("PDF", "pdf", "application/pdf", to_pdf),
    "docx": Format(
        "Word (DOCX)", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", to_docx
    ),
    "json": Format("JSON Resume", "json", "application/json", lambda r: _json(jsonresume.export_document(r))),
    "md": Format("Markdown", "md", "text/markdown", lambda r: to_markdown(r).encode("utf-8")),
    "seed": Format("Builder JSON", "json", "application/json", lambda r: _json(seed.export_document(r))),
}


def file_stem(resume: Resume) -> str:
    """'zoe-martin-resume' from the name (ASCII letters and digits only), or 'resume'."""
    ascii_name = unicodedata.normalize("NFKD", resume.contact.name.lower()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    return f"{slug}-resume" if slug else "resume"


def filename(resume: Resume, key: str, stem: str | None = None) -> str:
    suffix = "-builder" if key == "seed" else ""
    return f"{stem or file_stem(resume)}{suffix}.{FORMATS[key].extension}"


def export(resume: Resume, key: str, stem: str | None = None) -> tuple[str, str, bytes]:
    """(file name, MIME type, bytes)."""
    return filename(resume, key, stem), FORMATS[key].mime, FORMATS[key].render(resume)
