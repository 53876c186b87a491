"""Report downloads: Markdown says what the page says; the PDF is a valid PDF with both charts as images."""

from __future__ import annotations

import io
import logging
from datetime import datetime

import pypdf

from core.student import analyses, cvs, report_export
from tests.conftest import CORPUS

JD_TEXT = (CORPUS / "jds" / "05_data_analyst.txt").read_text(encoding="utf-8")


def stored_report(ctx, make_user) -> analyses.AnalysisRecord:
    student = make_user(name="Zoë Łukasik")
    cv = cvs.upload_cv(ctx, student, "07_carla_mendes.txt", (CORPUS / "resumes" / "07_carla_mendes.txt").read_bytes())
    return analyses.run_analysis(ctx, student, cv.id, pasted_text=JD_TEXT, title="Analyst (₹ 9 LPA) | Zoë's team")


def test_markdown_has_scores_skills_insights_and_escapes_user_text(ctx, make_user) -> None:
    record = stored_report(ctx, make_user)
    text = report_export.to_markdown(record)
    assert text.startswith("# ATS report: Analyst (₹ 9 LPA) \\| Zoë's team\n")
    assert f"| Overall ATS score | {record.overall_score} / 100 |" in text
    for part, label in report_export.PART_LABELS.items():
        assert f"| {label} | {record.breakdown[part]} / 100 |" in text
    assert "## Recommendations" in text and "## Flashcards" in text
    assert record.report.flashcards[0].front in text
    assert "Scores come from the built-in engine" in text


def test_pdf_is_valid_with_chart_images_and_unicode_text(ctx, make_user, caplog) -> None:
    record = stored_report(ctx, make_user)
    caplog.set_level(logging.INFO)  # the app logs at INFO: font subsetting must not flood it
    data = report_export.to_pdf(record)
    assert not [r for r in caplog.records if r.name.startswith("fontTools")]
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages[0].images) == 2  # the gauge and the breakdown chart
    text = " ".join(page.extract_text() for page in reader.pages)
    assert f"{record.overall_score} / 100" in text
    assert "Zoë" in text and "₹" in text
    assert "Score breakdown" in text and "Recommendations" in text


def test_file_name_is_safe() -> None:
    record = analyses.AnalysisRecord(
        id=1, user_id=1, created_at=datetime(2026, 3, 4), job_title="C++ / Qt: Dev (Zoë)",
        cv_filename="cv.pdf", cv_deleted=False, overall_score=50, provider="local", cv_id=1, job_id=None,
        breakdown={}, report={}, credits_charged=1, charge_id=None,
    )  # fmt: skip
    assert report_export.file_stem(record) == "ats-report-c-qt-dev-zoë-20260304"
