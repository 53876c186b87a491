"""Résumé builder, pure parts: starting points, exports read back by our own reader, JSON Resume round trip and
schema, the builder seed's shape, refusals, missing/weak-field checks and version changes."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pypdf import PdfReader

from core.config import Settings
from core.engine.documents import extract_text
from core.engine.resume import degree_level, parse_resume
from core.engine.resume_builder import changes, checks, jsonresume, seed
from core.engine.resume_builder.dates import display_range, month_label, normalise, split_range
from core.engine.resume_builder.exports import FORMATS, export
from core.engine.resume_builder.from_cv import from_parse
from core.engine.resume_builder.imports import MAX_JSON_BYTES, read_json
from core.engine.resume_builder.layout import degree_name, to_markdown
from core.engine.resume_builder.model import Resume, set_field, validate
from core.engine.skills import extract_skills
from core.errors import AppError, ErrorCode

CORPUS = Path(__file__).parents[1] / "corpus" / "resumes"
TODAY = date(2026, 11, 1)
LIMITS = Settings(app_env="test", database_url="sqlite://")
READABLE = sorted(p.name for p in CORPUS.iterdir() if p.name != "12_bianca_russo.pdf")  # 12 is a scanned image

ZOE: dict[str, Any] = {
    "contact": {
        "name": "Zoë Martin", "title": "Data Analyst", "location": "Portland, OR", "email": "zoe.martin@example.com",
        "phone": "+1 (555) 010-4821", "links": ["https://zoemartin.dev", "https://www.linkedin.com/in/zoemartin"],
    },
    "summary": "Data analyst who turns messy operational data into dashboards and forecasts managers use weekly.",
    "experience": [
        {"position": "Data Analyst", "company": "Acme Logistics", "start": "2021-03", "end": "present",
         "bullets": ["Built 12 Tableau dashboards used by 40 managers, cutting reporting time by 30%",
                     "Automated data cleaning in Python and SQL"]},
        {"position": "Junior Analyst", "company": "Brightside Retail", "start": "2019-06", "end": "2021-02",
         "bullets": ["Maintained the sales database in PostgreSQL for 120 stores"]},
    ],
    "education": [{"degree": "Bachelor of Science", "field": "Statistics", "institution": "Portland State University",
                   "start": "2015-09", "end": "2019-06"}],
    "skills": ["Python", "SQL", "Tableau", "PostgreSQL", "Microsoft Excel"],
    "projects": [{"name": "Bike-share demand model", "description": "A weekly forecast of station demand."}],
    "certifications": [{"name": "Tableau Desktop Specialist", "issuer": "Tableau", "date": "2022-05"}],
}  # fmt: skip


def read_back(data: bytes, filename: str) -> dict[str, Any]:
    """Our reader on an export: the file reader (PDF/DOCX in its worker), then the CV parser."""
    name = filename.replace(".md", ".txt")  # Markdown is plain text to the reader
    return parse_resume(extract_text(data, name, LIMITS).text, TODAY)


def expected(resume: Resume) -> dict[str, Any]:
    """The fields as the reader reports them: an empty field is None, a date its month."""
    contact = resume.contact
    return {
        "name": contact.name or None,
        "email": contact.email or None,
        "phone": contact.phone or None,
        "positions": [
            (j.position or None, j.company or None, month_label(j.start), month_label(j.end)) for j in resume.experience
        ],
        "degrees": [(degree_level(d.degree), degree_name(d), d.institution or None) for d in resume.education],
    }


def got(parsed: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": parsed["name"],
        "email": parsed["email"],
        "phone": parsed["phone"],
        "positions": [(e["title"], e["company"], e["start"], e["end"]) for e in parsed["experience"]],
        "degrees": [(e["level"], e["degree"], e["institution"]) for e in parsed["education"]],
    }


def assert_reads_back(resume: Resume) -> None:
    skills_by_format = {}
    for key in ("pdf", "docx", "md"):
        filename, _, data = export(resume, key)
        parsed = read_back(data, filename)
        assert got(parsed) == expected(resume), key
        listed = set(extract_skills(", ".join(resume.skills)))
        assert listed <= set(parsed["skills"]), (key, listed - set(parsed["skills"]))
        skills_by_format[key] = parsed["skills"]
    assert skills_by_format["pdf"] == skills_by_format["docx"] == skills_by_format["md"]


# --- round trips ----------------------------------------------------------------------------------------------


def test_a_hand_built_resume_reads_back_from_every_export() -> None:
    assert_reads_back(validate(ZOE))


@pytest.mark.parametrize("name", READABLE)
def test_a_resume_started_from_a_corpus_cv_reads_back_from_every_export(name: str) -> None:
    document = extract_text((CORPUS / name).read_bytes(), name, LIMITS)
    resume = from_parse(parse_resume(document.text, TODAY), document.text)
    assert resume.contact.name and resume.experience, "the starting point keeps the CV's facts"
    assert_reads_back(resume)
    exported = jsonresume.export_document(resume)
    jsonresume.check(exported)
    assert read_json(json.dumps(exported).encode())[0] == resume


def test_starting_from_a_cv_keeps_its_facts_and_spelling() -> None:
    text = (CORPUS / "07_carla_mendes.txt").read_text(encoding="utf-8")
    parsed = parse_resume(text, TODAY)
    resume = from_parse(parsed, text)
    assert resume.contact.email == parsed["email"] and resume.contact.phone == parsed["phone"]
    assert resume.contact.title == "Growth Marketing Manager"  # the headline under the name
    assert [j.company for j in resume.experience] == [e["company"] for e in parsed["experience"]]
    assert set(extract_skills(", ".join(resume.skills))) == set(parsed["skills"])
    assert any(any(ch.isupper() for ch in skill) for skill in resume.skills)  # as the CV spells them


JSON_RESUME: dict[str, Any] = {
    "basics": {
        "name": "Ravi Kumar", "label": "Backend Engineer", "email": "ravi.kumar@example.com",
        "phone": "+91 98450 12345",
        "url": "https://ravi.dev", "summary": "Backend engineer building payment APIs.",
        "location": {"city": "Bengaluru", "region": "Karnataka", "countryCode": "IN"},
        "profiles": [{"network": "GitHub", "username": "ravik", "url": "https://github.com/ravik"}],
    },
    "work": [
        {"name": "Paywise", "position": "Backend Engineer", "startDate": "2022-01",
         "summary": "Payments platform team.", "highlights": ["Cut p99 latency of the payouts API by 45%"]},
        {"name": "Kite Labs", "position": "Software Engineer Intern", "startDate": "2021-05", "endDate": "2021-08",
         "highlights": ["Wrote 30 integration tests in Go"]},
    ],
    "education": [{"institution": "RV College of Engineering", "area": "Computer Science", "studyType": "B.E.",
                   "startDate": "2018", "endDate": "2022"}],
    "skills": [{"name": "Backend", "keywords": ["Go", "PostgreSQL", "Kafka"]}],
    "projects": [{"name": "ledgerlite", "highlights": ["A double-entry ledger in Go"]}],
    "certificates": [{"name": "AWS Certified Developer", "issuer": "Amazon", "date": "2023-04"}],
    "volunteer": [{"organization": "Code Club", "position": "Mentor"}],
}  # fmt: skip


def test_json_resume_import_export_import_is_identical_and_validates() -> None:
    first, notes = read_json(json.dumps(JSON_RESUME).encode())
    assert notes == ["Not imported (the builder has no section for them): volunteer."]
    assert first.contact.location == "Bengaluru, Karnataka, IN"
    assert first.contact.links == ["https://ravi.dev", "https://github.com/ravik"]
    assert first.experience[0].end == "present"  # no endDate: ongoing
    assert first.experience[0].bullets[0] == "Payments platform team."
    assert first.skills == ["Backend", "Go", "PostgreSQL", "Kafka"]
    exported = json.loads(export(first, "json")[2])
    jsonschema.Draft4Validator(jsonresume.schema(), format_checker=jsonschema.FormatChecker()).validate(exported)
    assert "endDate" not in exported["work"][0]
    second, _ = read_json(json.dumps(exported).encode())
    assert second == first
    assert json.loads(export(second, "json")[2]) == exported


def test_every_export_of_the_json_format_validates_against_the_vendored_schema() -> None:
    schema = json.loads(jsonresume.SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["title"] == "Resume Schema" and "basics" in schema["properties"]
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    for data in (ZOE, {"contact": {"name": "Only A Name"}}, {}):
        validator.validate(json.loads(export(validate(data), "json")[2]))


def test_the_builder_seed_shape_imports_and_exports() -> None:
    document = {
        "Name": "Amelia Chen", "Title": "UX Designer", "Location": "Austin, TX", "Email": "amelia@example.com",
        "Phone": "512-555-0101", "Summary": "Designer of accessible public services.",
        "Experience": [{"Position": "UX Designer", "Company": "CivicWorks", "Dates": "Mar 2021 - Present",
                        "Description": "• Ran 24 usability tests\n• Redesigned the permit form, halving drop-off"}],
        "Education": [{"Degree": "BFA", "Field": "Interaction Design", "Institution": "Texas State University",
                       "Dates": "2016 – 2020"}],
    }  # fmt: skip
    resume, notes = read_json(json.dumps(document).encode(), TODAY)
    assert notes == []
    job = resume.experience[0]
    assert (job.start, job.end, job.bullets) == (
        "2021-03", "present", ["Ran 24 usability tests", "Redesigned the permit form, halving drop-off"]
    )  # fmt: skip
    assert (resume.education[0].start, resume.education[0].end) == ("2016", "2020")
    again, _ = seed.import_document(seed.export_document(resume), TODAY)
    assert again == resume


# --- the files themselves -------------------------------------------------------------------------------------


def test_the_pdf_is_one_column_text_with_embedded_fonts_and_is_deterministic() -> None:
    resume = validate(ZOE)
    _, mime, data = export(resume, "pdf")
    assert mime == "application/pdf" and data == export(resume, "pdf")[2]
    reader = PdfReader(io.BytesIO(data))
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts)
    document = extract_text(data, "cv.pdf", LIMITS)
    assert not document.has_columns and not document.has_tables and document.pages == 1
    assert document.text.startswith("Zoë Martin\nData Analyst\n")


def test_markdown_and_every_format_have_a_file_name_and_type() -> None:
    resume = validate(ZOE)
    assert {key: export(resume, key)[0] for key in FORMATS} == {
        "pdf": "zoe-martin-resume.pdf", "docx": "zoe-martin-resume.docx", "json": "zoe-martin-resume.json",
        "md": "zoe-martin-resume.md", "seed": "zoe-martin-resume-builder.json",
    }  # fmt: skip
    markdown = to_markdown(resume)
    assert markdown.startswith("Zoë Martin\n==========\n") and "\n## Experience\n" in markdown
    assert "- Built 12 Tableau dashboards" in markdown


# --- refusals ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (b"{not json", ErrorCode.INVALID_FILE_FORMAT, "This file is not valid JSON (line 1, column 2)."),
        (b"[1, 2]", ErrorCode.INVALID_FILE_FORMAT, "does not hold a résumé"),
        (b"  ", ErrorCode.EMPTY_FILE, "This file is empty."),
        (b"\xff\xfe\x00", ErrorCode.INVALID_FILE_FORMAT, "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, ErrorCode.INVALID_FILE_FORMAT, "nested far deeper"),
        (json.dumps({"basics": {"email": "not-an-email"}}).encode(), ErrorCode.INVALID_INPUT, "basics/email"),
        (json.dumps({"work": [{"startDate": "last spring"}]}).encode(), ErrorCode.INVALID_INPUT,
         "work/0/startDate: use a date like 2021-03-15, 2021-03 or 2021"),
        (json.dumps({"basics": {"name": "x" * 200}}).encode(), ErrorCode.INVALID_INPUT,
         "Contact, name is 200 characters; the limit is 120."),
        (json.dumps({"Name": "A B", "Experience": "Acme"}).encode(), ErrorCode.INVALID_INPUT,
         "Experience must be a list"),
        (b" " * (MAX_JSON_BYTES + 1), ErrorCode.FILE_TOO_LARGE, "a résumé file is at most 200 KB"),
    ],
    ids=["broken", "array", "blank", "binary", "deep", "email", "date", "long-name", "seed-shape", "oversized"],
)  # fmt: skip
def test_bad_json_is_refused_with_a_plain_sentence(data: bytes, code: ErrorCode, message: str) -> None:
    with pytest.raises(AppError) as caught:
        read_json(data)
    assert caught.value.code == code
    assert message in caught.value.message


def test_over_long_fields_and_too_many_entries_are_named() -> None:
    with pytest.raises(AppError, match=r"Position 1, bullet 2 is 401 characters; the limit is 400\."):
        validate({"experience": [{"bullets": ["ok", "x" * 401]}]})
    with pytest.raises(AppError, match=r"Position 1, bullet has more than 15 entries"):
        validate({"experience": [{"bullets": ["a"] * 16}]})
    with pytest.raises(AppError, match=r"Position 1, start: use a date like 2021-03 or 2021\."):
        validate({"experience": [{"start": "sometime"}]})
    with pytest.raises(AppError, match="not a résumé field we know"):
        validate({"contact": {"fax": "1"}})


def test_dates_as_people_type_them() -> None:
    assert [normalise(t) for t in ("Mar 2021", "March 2021", "03/2021", "2021", "2021-03-15", "")] == [
        "2021-03", "2021-03", "2021-03", "2021", "2021-03-15", "",
    ]  # fmt: skip
    assert normalise("Present", end=True) == "present" and normalise("Present") == "Present"
    assert split_range("Jan 2019 – Dec 2020", TODAY) == ("2019-01", "2020-12")
    assert split_range("Summer 2023", TODAY) == ("2023-06", "2023-09")
    assert display_range("2021-03", "present") == "Mar 2021 – Present"


# --- checks and changes -----------------------------------------------------------------------------------------


def test_checks_list_what_is_missing_first_then_what_is_weak() -> None:
    data = json.loads(json.dumps(ZOE))
    data["contact"]["phone"] = ""
    data["experience"][1]["end"] = ""
    data["experience"][0]["start"] = "2021"  # a year only, while the others have months
    data["skills"] = []
    data["summary"] = "word " * 90
    found = {issue.key: issue for issue in checks.issues(validate(data))}
    keys = list(found)
    assert keys[:3] == ["contact.phone", "experience.1.end", "skills"]
    assert all(found[k].severity == "missing" for k in ("contact.phone", "experience.1.end", "skills"))
    assert found["contact.phone"].check == "contact_block" and found["contact.phone"].field == ("contact", "phone")
    assert found["experience.0.bullets.1"].check == "measurable_bullets"
    assert "The summary has 90 words" in found["summary"].message
    assert found["experience.dates"].message.startswith("Dates in mixed styles")
    assert "experience.0.bullets.0" not in found  # it has numbers


def test_characters_the_pdf_font_cannot_print_are_flagged() -> None:
    resume = set_field(validate(ZOE), ("contact", "name"), "王伟 Zoë Martin")
    [issue] = [i for i in checks.issues(resume) if i.key == "pdf.glyphs"]
    assert issue.message.startswith("The PDF font cannot print: 伟 王.")
    assert "pdf.glyphs" not in {i.key for i in checks.issues(validate(ZOE))}  # "ë", "–", "•" print


def test_filling_the_missing_phone_clears_the_issue_and_raises_the_format_score() -> None:
    data = json.loads(json.dumps(ZOE))
    data["contact"]["phone"] = ""
    before = validate(data)
    score_before, evidence = checks.format_check(before, TODAY)
    assert "contact_block" in evidence["failed"]
    after = set_field(before, ("contact", "phone"), "+1 (555) 010-4821")
    assert "contact.phone" not in {issue.key for issue in checks.issues(after)}
    score_after, evidence = checks.format_check(after, TODAY)
    assert score_after > score_before and "contact_block" in evidence["passed"]


def test_set_field_validates_and_refuses_unknown_fields() -> None:
    resume = validate(ZOE)
    assert set_field(resume, ("skills",), "Python, SQL , dbt").skills == ["Python", "SQL", "dbt"]
    assert set_field(resume, ("experience", 1, "bullets", 1), "Trained 6 new analysts").experience[1].bullets[-1]
    with pytest.raises(AppError, match="not part of this résumé"):
        set_field(resume, ("experience", 9, "position"), "x")
    with pytest.raises(AppError, match="the limit is 120"):
        set_field(resume, ("contact", "title"), "x" * 121)


def test_version_changes_are_described() -> None:
    before = validate(ZOE)
    after = set_field(set_field(before, ("contact", "phone"), ""), ("skills",), "Python, SQL, Tableau, dbt")
    assert changes.describe(None, before) == ["First version"]
    assert changes.describe(before, after) == [
        "Skills: added dbt; removed Microsoft Excel, PostgreSQL", "Contact, phone removed",
    ]  # fmt: skip
    assert changes.describe(before, before) == ["No changes"]
