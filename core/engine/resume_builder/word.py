"""A DOCX with Word's own styles (Title, Heading 1, List Bullet): one column, no tables or text boxes, so
ATS parsers and our reader see the same text in the same order."""

from __future__ import annotations

import io
from datetime import datetime

import docx
from docx.shared import Pt

from core.engine.resume_builder.layout import blocks
from core.engine.resume_builder.model import Resume

_STYLES = {"name": "Title", "heading": "Heading 1", "bullet": "List Bullet"}


def to_docx(resume: Resume) -> bytes:
    document = docx.Document()
    document.core_properties.title = f"{resume.contact.name or 'Résumé'} — résumé"
    document.core_properties.created = document.core_properties.modified = datetime(2000, 1, 1)
    for block in blocks(resume):
        paragraph = document.add_paragraph(style=_STYLES.get(block.kind))
        run = paragraph.add_run(block.text)
        run.bold = block.kind == "entry" or None
        if block.kind == "contact":
            run.font.size = Pt(9.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
