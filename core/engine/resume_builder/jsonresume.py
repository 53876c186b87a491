"""JSON Resume (jsonresume.org, schema v1.0.0, vendored in core/data/jsonresume-schema.json) to and from the
résumé model.

Export then import gives back the same résumé, and import then export then import gives the same résumé as
the first import: sections the builder has no place for (volunteer, awards, languages …) are listed in the
import notes rather than dropped silently. An ongoing position is one without an `endDate`, as the schema's
own examples write it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from core.engine.resume_builder.model import PRESENT, Resume, validate
from core.errors import AppError, ErrorCode

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "jsonresume-schema.json"
SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
KEPT = ("basics", "work", "education", "skills", "projects", "certificates", "meta", "$schema")
_NETWORKS = {"linkedin.com": "LinkedIn", "github.com": "GitHub", "gitlab.com": "GitLab", "behance.net": "Behance"}


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def check(document: Any) -> None:
    """Refuse a document the JSON Resume schema refuses, naming where (e-mail formats checked too)."""
    validator = jsonschema.Draft4Validator(schema(), format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the document"
        why = "use a date like 2021-03-15, 2021-03 or 2021" if error.validator == "pattern" else error.message[:200]
        raise AppError(ErrorCode.INVALID_INPUT, f"This is not a valid JSON Resume file ({where}: {why}).")


def import_document(document: dict[str, Any]) -> tuple[Resume, list[str]]:
    """The résumé in a schema-valid JSON Resume document, and notes on what was not imported."""
    check(document)
    basics = document.get("basics") or {}
    location = basics.get("location") or {}
    links = [basics["url"]] if basics.get("url") else []
    links += [p.get("url") or p.get("username") or "" for p in basics.get("profiles") or []]
    resume = validate(
        {
            "contact": {
                "name": basics.get("name", ""),
                "title": basics.get("label", ""),
                "email": basics.get("email", ""),
                "phone": basics.get("phone", ""),
                "location": ", ".join(location[key] for key in ("city", "region", "countryCode") if location.get(key)),
                "links": [link for link in links if link],
            },
            "summary": basics.get("summary", ""),
            "experience": [_position(job) for job in document.get("work") or []],
            "education": [
                {
                    "degree": entry.get("studyType", ""),
                    "field": entry.get("area", ""),
                    "institution": entry.get("institution", ""),
                    "start": entry.get("startDate", ""),
                    "end": entry.get("endDate", ""),
                }
                for entry in document.get("education") or []
            ],
            "skills": [name for skill in document.get("skills") or [] for name in _skill_names(skill)],
            "projects": [
                {"name": p.get("name", ""), "description": p.get("description") or "; ".join(p.get("highlights") or [])}
                for p in document.get("projects") or []
            ],
            "certifications": [
                {"name": c.get("name", ""), "issuer": c.get("issuer", ""), "date": c.get("date", "")}
                for c in document.get("certificates") or []
            ],
        }
    )
    skipped = sorted(key for key, value in document.items() if key not in KEPT and value)
    notes = [f"Not imported (the builder has no section for them): {', '.join(skipped)}."] if skipped else []
    return resume, notes


def _position(job: dict[str, Any]) -> dict[str, Any]:
    bullets = ([job["summary"]] if job.get("summary") else []) + list(job.get("highlights") or [])
    start = job.get("startDate", "")
    return {
        "position": job.get("position", ""),
        "company": job.get("name") or job.get("company", ""),
        "start": start,
        "end": job.get("endDate") or (PRESENT if start else ""),
        "bullets": bullets,
    }


def _skill_names(skill: dict[str, Any]) -> list[str]:
    return [name for name in [skill.get("name", ""), *(skill.get("keywords") or [])] if name]


def export_document(resume: Resume) -> dict[str, Any]:
    """A schema-valid JSON Resume document; empty fields are left out rather than written as ""."""
    contact = resume.contact
    basics: dict[str, Any] = {
        "name": contact.name, "label": contact.title, "email": contact.email, "phone": contact.phone,
        "summary": resume.summary,
    }  # fmt: skip
    if contact.links:
        basics["url"] = contact.links[0]
        basics["profiles"] = [{"network": _network(url), "url": url} for url in contact.links[1:]]
    if contact.location:
        city, _, region = contact.location.partition(", ")
        basics["location"] = _compact({"city": city, "region": region})
    document = {
        "$schema": SCHEMA_URL,
        "basics": _compact(basics),
        "work": [
            _compact(
                {
                    "name": job.company,
                    "position": job.position,
                    "startDate": job.start,
                    "endDate": "" if job.end == PRESENT else job.end,
                    "highlights": job.bullets,
                }
            )
            for job in resume.experience
        ],
        "education": [
            _compact(
                {
                    "institution": d.institution,
                    "area": d.field,
                    "studyType": d.degree,
                    "startDate": d.start,
                    "endDate": "" if d.end == PRESENT else d.end,
                }
            )
            for d in resume.education
        ],
        "skills": [{"name": skill} for skill in resume.skills],
        "projects": [_compact({"name": p.name, "description": p.description}) for p in resume.projects],
        "certificates": [_compact({"name": c.name, "issuer": c.issuer, "date": c.date}) for c in resume.certifications],
        "meta": {"version": "v1.0.0"},
    }
    return {key: value for key, value in document.items() if value}


def _network(url: str) -> str:
    host = url.lower().removeprefix("https://").removeprefix("http://").removeprefix("www.").split("/")[0]
    return next((name for domain, name in _NETWORKS.items() if host.endswith(domain)), "Website")


def _compact(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value}
