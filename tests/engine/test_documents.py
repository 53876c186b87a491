"""Upload validation and text extraction: the labelled corpus and a suite of hostile files made here."""

from __future__ import annotations

import io
import json
import random
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, StreamObject

from core.config import Settings
from core.engine.documents import extract_text, sanitize_filename
from core.errors import AppError, ErrorCode

CORPUS = Path(__file__).parents[1] / "corpus"
LABELS = json.loads((CORPUS / "labels.json").read_text())["resumes"]
CV_LINES = [
    "Jane Example",
    "jane@example.com | (555) 555-0100 | Austin, TX",
    "EXPERIENCE",
    "Engineer, Acme  2020 - 2022",
]


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(app_env="test", max_upload_mb=5, max_pdf_pages=20, extraction_timeout_seconds=5)


def make_pdf(lines: list[str] = CV_LINES, pages: int = 1) -> bytes:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for _ in range(pages):
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def many_pages_pdf(count: int) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def slow_pdf() -> bytes:
    """A small file whose one page holds millions of text operations once decompressed."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    stream = StreamObject()
    stream.set_data(zlib.compress(b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj 1 0 Td " * 3_000_000 + b"ET", 9))
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(with_header: bool = True) -> bytes:
    document = docx.Document()
    if with_header:
        document.sections[0].header.paragraphs[0].text = "Header Person | header@example.com"
    document.add_paragraph("Body paragraph text")
    document.add_paragraph("A bulleted achievement", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Table left cell"
    table.cell(0, 1).text = "Table right cell"
    document.sections[0].footer.paragraphs[0].text = "Footer line"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx_bomb_by_size() -> bytes:
    parts = _docx_parts()
    parts["word/media/padding.bin"] = b"\0" * (60 * 1024 * 1024)
    return zip_bytes(parts)


def docx_bomb_by_count() -> bytes:
    parts = _docx_parts()
    parts.update({f"word/custom/item{i}.xml": b"<a/>" for i in range(1500)})
    return zip_bytes(parts)


def _docx_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(make_docx())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def random_bytes(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random_bytes(4096)

HOSTILE: list[tuple[str, str, Callable[[], bytes], ErrorCode]] = [
    ("empty file", "cv.pdf", lambda: b"", ErrorCode.EMPTY_FILE),
    ("whitespace only", "cv.txt", lambda: b"  \n\t \n", ErrorCode.EMPTY_FILE),
    ("random bytes named .pdf", "cv.pdf", lambda: random_bytes(20_000), ErrorCode.INVALID_FILE_FORMAT),
    ("random bytes named .docx", "cv.docx", lambda: random_bytes(20_000), ErrorCode.INVALID_FILE_FORMAT),
    ("random bytes named .txt", "cv.txt", lambda: random_bytes(20_000), ErrorCode.INVALID_FILE_FORMAT),
    ("truncated PDF", "cv.pdf", lambda: make_pdf()[: len(make_pdf()) // 2], ErrorCode.PDF_PROCESSING_ERROR),
    ("header-only PDF", "cv.pdf", lambda: b"%PDF-1.7\n%%EOF\n", ErrorCode.PDF_PROCESSING_ERROR),
    ("encrypted PDF", "cv.pdf", lambda: encrypted_pdf("letmein"), ErrorCode.ENCRYPTED_PDF),
    ("500-page PDF", "cv.pdf", lambda: many_pages_pdf(500), ErrorCode.FILE_TOO_LARGE),
    ("PDF without text", "cv.pdf", lambda: many_pages_pdf(2), ErrorCode.NO_TEXT_LAYER),
    ("DOCX zip bomb (size)", "cv.docx", docx_bomb_by_size, ErrorCode.DOCX_PROCESSING_ERROR),
    ("DOCX zip bomb (entries)", "cv.docx", docx_bomb_by_count, ErrorCode.DOCX_PROCESSING_ERROR),
    (
        "renamed zip of something else",
        "cv.docx",
        lambda: zip_bytes({"notes.txt": b"hello", "photo.jpg": random_bytes(500)}),
        ErrorCode.INVALID_FILE_FORMAT,
    ),
    (
        "DOCX with a broken document part",
        "cv.docx",
        lambda: zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not-closed"}),
        ErrorCode.DOCX_PROCESSING_ERROR,
    ),
    ("legacy .doc", "cv.doc", lambda: OLE_DOC, ErrorCode.INVALID_FILE_FORMAT),
    ("legacy .doc renamed .docx", "cv.docx", lambda: OLE_DOC, ErrorCode.INVALID_FILE_FORMAT),
    ("PDF renamed .txt", "cv.txt", make_pdf, ErrorCode.INVALID_FILE_FORMAT),
    ("6 MB file", "cv.txt", lambda: b"word " * (6 * 1024 * 1024 // 5), ErrorCode.FILE_TOO_LARGE),
    ("unsupported extension", "cv.exe", lambda: b"MZ" + random_bytes(100), ErrorCode.INVALID_FILE_FORMAT),
    ("no extension", "cv", lambda: b"plain words", ErrorCode.INVALID_FILE_FORMAT),
    ("path traversal and NUL name", "../../etc/passwd\x00.doc", lambda: OLE_DOC, ErrorCode.INVALID_FILE_FORMAT),
]


@pytest.mark.parametrize(("label", "filename", "build", "code"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_files_get_their_code_quickly(
    settings: Settings, label: str, filename: str, build: Callable[[], bytes], code: ErrorCode
) -> None:
    data = build()
    started = time.perf_counter()
    with pytest.raises(AppError) as raised:
        extract_text(data, filename, settings)
    assert time.perf_counter() - started < 5
    assert raised.value.code == code, label
    assert raised.value.message and "Traceback" not in raised.value.message


def test_legacy_doc_message_says_what_to_do(settings: Settings) -> None:
    with pytest.raises(AppError) as raised:
        extract_text(OLE_DOC, "cv.doc", settings)
    assert "DOCX or PDF" in raised.value.message


def test_pathological_pdf_is_stopped_at_the_time_limit(settings: Settings) -> None:
    extract_text(make_pdf(), "warm.pdf", settings)  # a started worker: the limit covers parsing, not start-up
    # Room enough that the time limit, not the memory limit (see the next test), stops this file (~1 GB).
    limited = Settings(app_env="test", extraction_timeout_seconds=1.0, worker_memory_mb=2048)
    extract_text(make_pdf(), "warm.pdf", limited)
    started = time.perf_counter()
    with pytest.raises(AppError) as raised:
        extract_text(slow_pdf(), "slow.pdf", limited)
    assert raised.value.code == ErrorCode.PDF_PROCESSING_ERROR
    assert "too long" in raised.value.message
    assert time.perf_counter() - started < 4
    assert "Jane Example" in extract_text(make_pdf(), "cv.pdf", limited).text  # a fresh worker takes over


def test_a_file_needing_more_memory_than_a_worker_has_is_refused(settings: Settings) -> None:
    started = time.perf_counter()
    with pytest.raises(AppError) as raised:
        extract_text(slow_pdf(), "slow.pdf", settings)  # ~1 GB unbounded; a worker may map 320 MB
    assert raised.value.code == ErrorCode.PDF_PROCESSING_ERROR
    assert time.perf_counter() - started < 5
    assert "Jane Example" in extract_text(make_pdf(), "cv.pdf", settings).text


def test_pdf_with_empty_user_password_opens(settings: Settings) -> None:
    document = extract_text(encrypted_pdf(""), "cv.pdf", settings)
    assert "jane@example.com" in document.text


def test_pdf_text_and_page_count(settings: Settings) -> None:
    document = extract_text(make_pdf(pages=3), "cv.pdf", settings)
    assert document.file_type == "pdf" and document.pages == 3
    assert document.text.count("Jane Example") == 3


def test_pdf_page_limit_is_configurable() -> None:
    with pytest.raises(AppError) as raised:
        extract_text(make_pdf(pages=3), "cv.pdf", Settings(app_env="test", max_pdf_pages=2))
    assert raised.value.code == ErrorCode.FILE_TOO_LARGE


def test_docx_reads_header_body_list_table_and_footer(settings: Settings) -> None:
    document = extract_text(make_docx(), "cv.docx", settings)
    lines = document.text.splitlines()
    assert lines[0] == "Header Person | header@example.com"
    assert "Body paragraph text" in lines
    assert "• A bulleted achievement" in lines
    assert "Table left cell" in lines and "Table right cell" in lines
    assert lines[-1] == "Footer line"
    assert document.file_type == "docx" and document.has_tables


def test_docx_soft_line_breaks_tabs_and_hyperlinks_split_and_keep_text(settings: Settings) -> None:
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("Senior Engineer").add_break(WD_BREAK.LINE)
    paragraph.add_run("Acme Corp")
    paragraph.add_run().add_tab()
    paragraph.add_run("Jan 2020 – Present")
    link = parse_xml(
        '<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:r><w:t>github.com/jane</w:t></w:r></w:hyperlink>"
    )
    contact = document.add_paragraph("Links: ")
    contact._p.append(link)
    out = io.BytesIO()
    document.save(out)
    lines = extract_text(out.getvalue(), "cv.docx", settings).text.splitlines()
    assert lines == ["Senior Engineer", "Acme Corp\tJan 2020 – Present", "Links: github.com/jane"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Rafael Durán — café".encode("utf-16"), "Rafael Durán — café"),
        ("Rafael Durán — café".encode("utf-16-be").join([b"\xfe\xff", b""]), "Rafael Durán — café"),
        ("Zoë Łukasik".encode("utf-8-sig"), "Zoë Łukasik"),
        ("Zoë Łukasik".encode(), "Zoë Łukasik"),
        ("Rafael Durán".encode("latin-1"), "Rafael Durán"),
        (b"line one\r\nline two\r\n", "line one\nline two"),
    ],
    ids=["utf-16-le-bom", "utf-16-be-bom", "utf-8-bom", "utf-8", "latin-1", "crlf"],
)
def test_txt_encodings(settings: Settings, data: bytes, expected: str) -> None:
    assert extract_text(data, "cv.txt", settings).text == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd\x00.pdf", "passwd.pdf"),
        ("..\\..\\windows\\cv.docx", "cv.docx"),
        ("my\x07 cv\n(final).pdf", "my cv(final).pdf"),
        ("...hidden.txt", "hidden.txt"),
        ("Zoë Łukasik CV.pdf", "Zoë Łukasik CV.pdf"),
        ("", "upload"),
        ("../", "upload"),
        ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_sanitize_filename(name: str, expected: str) -> None:
    assert sanitize_filename(name) == expected


def test_traversal_name_with_valid_pdf_is_read_under_its_safe_name(settings: Settings) -> None:
    document = extract_text(make_pdf(), "../../x/\x00cv.pdf", settings)
    assert "Jane Example" in document.text


@pytest.mark.parametrize("filename", sorted(LABELS))
def test_every_corpus_resume_extracts(settings: Settings, filename: str) -> None:
    data = (CORPUS / "resumes" / filename).read_bytes()
    if not LABELS[filename]["text_layer"]:
        with pytest.raises(AppError) as raised:
            extract_text(data, filename, settings)
        assert raised.value.code == ErrorCode.NO_TEXT_LAYER
        return
    document = extract_text(data, filename, settings)
    assert LABELS[filename]["email"] in document.text
    assert document.file_type == filename.rsplit(".", 1)[1]


def test_two_column_pdf_keeps_columns_apart(settings: Settings) -> None:
    document = extract_text((CORPUS / "resumes" / "08_priya_raman.pdf").read_bytes(), "cv.pdf", settings)
    lines = [line for line in document.text.splitlines() if line]
    assert document.has_columns
    # the sidebar's lines are whole, not glued to the main column's lines
    assert "CONTACT" in lines and "SKILLS" in lines and "EDUCATION" in lines
    assert "B.S. in Computer Engineering" in lines
    profile = lines.index("PROFILE")
    assert lines[profile + 1].startswith("Full-stack engineer (6+ years)")


def test_margin_headings_get_their_own_line(settings: Settings) -> None:
    document = extract_text((CORPUS / "resumes" / "10_zoe_lukasik.pdf").read_bytes(), "cv.pdf", settings)
    lines = document.text.splitlines()
    assert "Experience" in lines and "Education" in lines and not document.has_columns


def test_single_column_pdf_is_not_split(settings: Settings) -> None:
    document = extract_text((CORPUS / "resumes" / "01_marcus_bell.pdf").read_bytes(), "cv.pdf", settings)
    assert not document.has_columns
    assert any(
        line.startswith("Senior Backend Engineer, Loopline") and "Mar 2021" in line
        for line in document.text.splitlines()
    )


def test_skills_table_in_pdf_is_flagged(settings: Settings) -> None:
    document = extract_text((CORPUS / "resumes" / "02_aisha_mohammed.pdf").read_bytes(), "cv.pdf", settings)
    assert document.has_tables and not document.has_columns
