"""Journey in real Chromium: a student uploads a CV without a phone number, builds a résumé from it, fills the
missing phone, tailors it to a pasted job (the score rises), downloads the PDF and saves it as a version that
appears in My CVs."""

from __future__ import annotations

import io
import re
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from core.engine.resume_builder import tailor
from core.engine.resume_builder.model import set_field
from core.student import cvs, resumes
from tests.conftest import CORPUS
from tests.e2e.conftest import PASSWORD

JD = (CORPUS / "jds" / "05_data_analyst.txt").read_text(encoding="utf-8")
PHONE = "801-555-0156"


def test_build_from_an_upload_fill_the_phone_tailor_and_download(app, new_user, e2e_ctx, tmp_path: Path):
    student = new_user(name="Carla Builder")
    cv_file = tmp_path / "carla_no_phone.txt"
    cv_file.write_bytes((CORPUS / "resumes" / "07_carla_mendes.txt").read_bytes().replace(b" | " + PHONE.encode(), b""))
    page = app.page
    app.sign_in(student.email, PASSWORD)
    app.go_to("My CVs")
    app.upload("Upload a CV", cv_file)
    expect(page.get_by_text(f"Added {cv_file.name}.")).to_be_visible()

    app.go_to("Résumé builder")
    app.click("Start from this CV")
    expect(page.get_by_text(f"Started from {cv_file.name}.", exact=False)).to_be_visible()
    expect(page.get_by_text("No phone in the contact details.")).to_be_visible()
    app.fill("Your answer", PHONE)
    app.click("Apply")
    expect(page.get_by_text("No phone in the contact details.")).to_have_count(0)
    app.step("phone filled")

    [upload] = cvs.list_cvs(e2e_ctx, student)
    draft = set_field(resumes.from_cv(e2e_ctx, student, upload.id), ("contact", "phone"), PHONE)
    before = tailor.score(draft, JD).ats_score.overall_score
    app.tab("Tailor to a job")
    app.choose("Job", "Paste a job")
    app.fill("Job description", JD)
    app.click("Find what this job asks for")
    expect(page.get_by_text("your score now:", exact=False)).to_contain_text(f"{before} / 100")
    first_gap = page.get_by_test_id("stCheckbox").filter(visible=True).first.locator("label")
    expect(first_gap).to_be_visible()
    app.act(first_gap.click)
    app.click("Add the ticked ones and rescore")
    score = app.metric("ATS score for Data Analyst")
    expect(score).to_have_text(re.compile(r"\d+ / 100"))
    after = int(score.inner_text().split(" / ")[0])
    assert after > before, (before, after)
    app.step("tailored")

    app.tab("Preview & download")
    pdf = app.download("PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF-") and "Carla Mendes" in text and PHONE in text

    app.click("Save as a new version")
    [version] = resumes.list_versions(e2e_ctx, student)
    expect(
        page.get_by_text("Saved version 1. It is in My CVs as carla-mendes-resume-v1.pdf", exact=False)
    ).to_be_visible()
    assert version.source == "tailored" and version.job_title
    assert tailor.score(version.resume, JD).ats_score.overall_score == after
    app.go_to("My CVs")
    expect(page.get_by_text("carla-mendes-resume-v1.pdf").first).to_be_visible()
