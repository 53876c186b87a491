"""What users typed leaves the app inert: CSV cells never run as formulas, the Markdown export renders no
HTML, image or link, and UTF-16 text without a byte-order mark is read in any script (issue #21, hole 14)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path

from markdown_it import MarkdownIt

from core import cli
from core.billing.ledger import LedgerEntry, ledger_csv
from core.coaching.dashboard import StudentRow, students_csv
from core.config import Settings
from core.engine.documents import extract_text
from core.student import analyses, cvs, report_export
from core.untrusted_text import FORMULA_STARTS
from tests.conftest import CORPUS

FORMULA = "=cmd|' -c calc'!A0"
HOSTILE = [FORMULA, "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_inert(text: str) -> None:
    """No text cell starts like a formula (a plain number such as -1 is a number, not a formula)."""
    live = [cell for cell in cells(text) if cell.startswith(FORMULA_STARTS) and not re.fullmatch(r"-\d+", cell)]
    assert not live, live


def test_batch_csv_neutralises_file_names_names_and_emails(tmp_path: Path, capsys):
    folder = tmp_path / "cvs"
    folder.mkdir()
    (folder / f"{FORMULA}.txt").write_text(
        '=HYPERLINK("https://evil.example","Click")\n@evil.example\nPython developer with SQL, 3 years.\n'
    )
    (folder / "02_ok.txt").write_bytes((CORPUS / "resumes" / "07_carla_mendes.txt").read_bytes())
    out = tmp_path / "rows.csv"
    jd = CORPUS / "jds" / "05_data_analyst.txt"
    assert cli.main(["batch", "--jd", str(jd), str(folder), "--csv", str(out)]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    text = out.read_text()
    assert_inert(text)
    assert f"'{FORMULA}.txt" in cells(text)


def test_cohort_and_ledger_csvs_neutralise_every_text_cell():
    rows = [StudentRow(user_id=n, name=name, email=f"{name}@example.com", last_active_at=None, analyses=0,
                       best_score=None, first_score=None, latest_score=None, interviews=0, cards_due=0, credits=-1)
            for n, name in enumerate(HOSTILE)]  # fmt: skip
    cohort_csv = students_csv(rows)
    assert_inert(cohort_csv)
    entries = [LedgerEntry(id=n, user_id=1, created_at=datetime(2026, 1, 1), kind="grant", amount=-1, balance_after=0,
                           reason=reason, ref_type=None, ref_id=reason, refund_of_id=None, is_demo=False)
               for n, reason in enumerate(HOSTILE)]  # fmt: skip
    ledger = ledger_csv(entries)
    assert_inert(ledger)
    assert ",-1," in ledger and ",-1\r" in cohort_csv  # numbers stay numbers: only text is neutralised


def test_markdown_export_renders_user_text_as_text(ctx, make_user):
    student = make_user(name="Mallory")
    title = "<script>alert(1)</script> ![pixel](https://evil.example/p.png) [win](https://evil.example) *bold*"
    filename = "<img src=https://evil.example/x.png>.txt"
    cv = cvs.upload_cv(ctx, student, filename, (CORPUS / "resumes" / "07_carla_mendes.txt").read_bytes())
    jd = (CORPUS / "jds" / "05_data_analyst.txt").read_text(encoding="utf-8")
    record = analyses.run_analysis(ctx, student, cv.id, pasted_text=jd, title=title)
    markdown = report_export.to_markdown(record)
    html = MarkdownIt("commonmark").enable("table").render(markdown)  # raw HTML on, as Markdown viewers do
    for tag in ("<script", "<img", "<a ", "<em>", "<strong>"):
        assert tag not in html, tag
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, not run
    assert "![pixel](https://evil.example/p.png)" in html


def Limits() -> Settings:
    return Settings(app_env="test", max_upload_mb=5, max_pdf_pages=20, extraction_timeout_seconds=5)


def test_utf16_without_a_byte_order_mark_is_read_in_any_script():
    for text in ("Иван Петров\nИнженер-программист, Python и SQL, 5 лет.\n" * 5,
                 "Иван Петров Инженер программист Москва " * 10,
                 "Γιώργος Παπαδόπουλος, μηχανικός λογισμικού, Python.\n" * 5):  # fmt: skip
        for encoding in ("utf-16-le", "utf-16-be"):
            assert extract_text(text.encode(encoding), "cv.txt", Limits()).text == text.strip(), encoding
