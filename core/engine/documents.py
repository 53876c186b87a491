"""Validate uploaded CVs by their content and extract their text.

Uploads are hostile until proven otherwise: the file name only tells us what the user *claims*, so the
magic bytes must agree with it, zip archives are checked for bombs before anything unpacks them, and
PDF/DOCX parsing runs in a separate process that is killed when it overruns its time budget, so a
pathological file can never hang the app. Every failure is an AppError with a stable code.
"""

from __future__ import annotations

import io
import json
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Protocol

from core.engine import worker_pool
from core.engine.docx_styles import DocxHeadings
from core.engine.heading_style import StyledLine, body_style, heading_hints
from core.engine.pdf_layout import Word, read_page
from core.errors import AppError, ErrorCode

if TYPE_CHECKING:
    from core.engine.jd import JobDescription

FileType = Literal["pdf", "docx", "txt"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
# A real CV .docx unpacks to well under a few MB and holds a few dozen parts.
DOCX_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
DOCX_MAX_ENTRIES = 1000
DOCX_MAX_RATIO = 200
MIN_PDF_TEXT_CHARS = 20
# Bounds on text before any parsing (a 3-page CV holds ~12,000 characters, its longest word ~60): the
# parsers' patterns then run in time linear in the text, whatever a hostile upload holds.
MAX_TEXT_CHARS = 50_000  # a 10-page CV has ~40,000
MAX_TOKEN_CHARS = 300
MAX_LINE_CHARS = 2_000

LEGACY_DOC_MESSAGE = (
    "This is an old Word .doc file, which we cannot read safely. Open it in Word and save it as DOCX or PDF."
)


class ReadLimits(Protocol):
    """The limits a file is read under; the app's Settings satisfy it, so the engine needs no settings object."""

    @property
    def max_upload_bytes(self) -> int: ...
    @property
    def max_upload_mb(self) -> float: ...
    @property
    def max_pdf_pages(self) -> int: ...
    @property
    def extraction_timeout_seconds(self) -> float: ...
    @property
    def worker_pool_size(self) -> int: ...
    @property
    def worker_memory_mb(self) -> int: ...
    @property
    def worker_queue_seconds(self) -> float: ...
    @property
    def worker_queue_max(self) -> int: ...


@dataclass(frozen=True)
class ExtractedDocument:
    """Plain text of a CV plus the layout facts the ATS format score cares about, and the lines its type
    sets apart as headings (bold, larger: core.engine.heading_style), which the parser reads as hints."""

    text: str
    file_type: FileType
    pages: int | None = None
    has_columns: bool = False
    has_tables: bool = False
    headings: tuple[str, ...] = ()

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> ExtractedDocument:
        """Rebuilt from the worker's answer (a JSON-like dict, where a tuple arrives as a list)."""
        return cls(**{**fields, "headings": tuple(fields.get("headings") or ())})


def sanitize_filename(name: str, default: str = "upload") -> str:
    """A display/storage-safe file name: no directories, NUL or control characters, bounded length."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip().lstrip(".").strip()
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 120 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:120]
    return name or default


def extract_text(data: bytes, filename: str, limits: ReadLimits) -> ExtractedDocument:
    """Check `data` against its claimed type and return its text, or raise AppError. Only the size, magic bytes
    and zip directory are looked at here; decoding and parsing run in a worker, and text no document has is
    refused there (check_text_bounds), so the web process never holds a hostile text."""
    return ExtractedDocument.from_fields(_read_in_worker(data, filename, limits, {}))


def read_cv(
    data: bytes, filename: str, limits: ReadLimits, today: date | None = None
) -> tuple[ExtractedDocument, dict[str, Any]]:
    """`extract_text` and `parse_cv` in one worker request: an upload waits for a worker once, not twice."""
    fields = _read_in_worker(data, filename, limits, {"today": (today or date.today()).isoformat()})
    return ExtractedDocument.from_fields(fields["document"]), fields["resume"]


def _read_in_worker(data: bytes, filename: str, limits: ReadLimits, extra: dict[str, Any]) -> Any:
    """Parse in a worker process (core.worker_pool) that is killed when it overruns the time limit."""
    file_type = detect_type(data, filename, limits)
    if file_type == "docx":
        _check_zip_bomb(data)
    message = "This file took too long to read. Try exporting it again, or as another format."
    header = {"type": file_type, "max_pages": limits.max_pdf_pages, **extra}
    return _ask_worker(header, data, limits, _ERROR_FOR_TYPE[file_type], message)


def check_text_bounds(text: str) -> None:
    """Refuse text no CV or job description has: too long overall, or a run of characters with no space."""
    if len(text) > MAX_TEXT_CHARS:
        raise AppError(
            ErrorCode.TEXT_TOO_LONG,
            f"This text has {len(text):,} characters; a CV or job description has at most {MAX_TEXT_CHARS:,}.",
        )
    if _LONG_TOKEN.search(text):
        raise AppError(
            ErrorCode.TEXT_TOO_LONG,
            f"This text holds a run of more than {MAX_TOKEN_CHARS} characters with no space, which no document has.",
        )


_LONG_TOKEN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1}}}")
_LONG_TOKEN_CUT = re.compile(rf"(\S{{{MAX_TOKEN_CHARS}}})\S+")
_LONG_LINE_CUT = re.compile(rf"([^\n]{{{MAX_LINE_CHARS}}})(?=[^\n])")


def bound_text(text: str) -> str:
    """The text a parser may safely read: at most MAX_TEXT_CHARS, no token or line beyond its cap (cut, not
    refused: parsing never fails, and what is cut is no skill, date or address)."""
    text = _LONG_TOKEN_CUT.sub(r"\1", text[:MAX_TEXT_CHARS])
    return _LONG_LINE_CUT.sub("\\1\n", text)


def detect_type(data: bytes, filename: str, limits: ReadLimits) -> FileType:
    """The file's real type, if its bytes agree with its extension and it fits the size limit."""
    if not data or not data.strip():
        raise AppError(ErrorCode.EMPTY_FILE)
    if len(data) > limits.max_upload_bytes:
        raise AppError(
            ErrorCode.FILE_TOO_LARGE,
            f"This file is {len(data) / 1048576:.1f} MB; the limit is {limits.max_upload_mb:g} MB.",
        )
    ext = sanitize_filename(filename).rpartition(".")[2].lower()
    if data.startswith(OLE_MAGIC) or ext == "doc":
        raise AppError(ErrorCode.INVALID_FILE_FORMAT, LEGACY_DOC_MESSAGE)
    if ext == "pdf":
        if PDF_MAGIC not in data[:1024]:
            raise AppError(ErrorCode.INVALID_FILE_FORMAT, "This file is named .pdf but is not a PDF.")
        return "pdf"
    if ext == "docx":
        if not data.startswith(ZIP_MAGIC) or not _zip_has(data, "word/document.xml"):
            raise AppError(ErrorCode.INVALID_FILE_FORMAT, "This file is named .docx but is not a Word document.")
        return "docx"
    if ext == "txt":
        if data.startswith((PDF_MAGIC, ZIP_MAGIC)):
            raise AppError(ErrorCode.INVALID_FILE_FORMAT, "This file is named .txt but is not plain text.")
        return "txt"
    raise AppError(ErrorCode.INVALID_FILE_FORMAT)


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return member in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _check_zip_bomb(data: bytes) -> None:
    """Refuse archives that would unpack to far more than any CV, before python-docx opens them."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
    total = sum(info.file_size for info in entries)
    compressed = sum(info.compress_size for info in entries) or 1
    if len(entries) > DOCX_MAX_ENTRIES or total > DOCX_MAX_UNCOMPRESSED_BYTES or total / compressed > DOCX_MAX_RATIO:
        raise AppError(
            ErrorCode.DOCX_PROCESSING_ERROR,
            "This Word file unpacks to far more data than a CV needs, so we did not open it. "
            "Save it again as DOCX or PDF.",
        )


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _decode_text(data: bytes) -> str:
    """UTF-8, UTF-16 (with BOM) or a Windows/Latin-1 text file; binary data is refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _clean_text(data.decode(encoding))
            except UnicodeDecodeError as exc:
                raise AppError(ErrorCode.INVALID_FILE_FORMAT, "This text file is not readable text.") from exc
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        try:
            if utf16 is not None:
                return _clean_text(data.decode(utf16))
        except UnicodeDecodeError:
            pass
        raise AppError(ErrorCode.INVALID_FILE_FORMAT, "This file is named .txt but is not plain text.")
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    check_text_bounds(text)  # before the per-character passes below
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(2, len(text) // 100):
        utf16 = _bomless_utf16(data)  # e.g. Cyrillic saved as UTF-16: no NUL bytes, but every other byte is 0x04
        if utf16 is None:
            raise AppError(ErrorCode.INVALID_FILE_FORMAT, "This file is named .txt but is not plain text.")
        return _clean_text(data.decode(utf16, errors="replace"))  # the first 4 KB read cleanly
    return _clean_text(text)


def _bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for text saved as UTF-16 without a byte-order mark (as some Windows tools
    do), whatever its script, else None: the byte order whose reading has (almost) no control, unassigned,
    private-use or broken characters, the one with more spaces and line ends when both read cleanly."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]

    def score(encoding: str) -> tuple[bool, int]:
        text = sample.decode(encoding, errors="replace")
        bad = sum(1 for ch in text if ch == "\ufffd" or (unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")
                                                         and ch not in "\t\n\r\f"))  # fmt: skip
        return bad <= len(text) // 100, text.count(" ") + text.count("\n")

    readings = {encoding: score(encoding) for encoding in ("utf-16-le", "utf-16-be")}
    best = max(readings, key=lambda encoding: readings[encoding])
    return best if readings[best][0] else None


def _clean_text(text: str) -> str:
    """Normalise line ends; bullet glyphs that fonts map to DEL or private-use code points become "•"."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _SOFT_HYPHEN_IN_WORD.sub("", text)  # a hyphenation point; elsewhere it stands for a dash
    return "".join(_clean_char(ch) for ch in text)


_SOFT_HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])\xad(?=[^\W\d_])")


def _clean_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if ch == "\x7f" or category == "Co":
        return "•"
    return ch if ch in "\t\n" or category != "Cc" else ""


# --- parsing in a killable worker process -------------------------------------------------------------

_ERROR_FOR_TYPE: dict[str, ErrorCode] = {
    "pdf": ErrorCode.PDF_PROCESSING_ERROR,
    "docx": ErrorCode.DOCX_PROCESSING_ERROR,
    "txt": ErrorCode.INVALID_FILE_FORMAT,
    "report": ErrorCode.INVALID_INPUT,
}


SLOW_JOB_MESSAGE = "This job description took too long to read. Paste the posting's own text."


def parse_job(text: str, limits: ReadLimits) -> JobDescription:
    """core.engine.jd.parse_jd, run in a worker under the extraction time limit (as `parse_cv`)."""
    from core.engine.jd import JobDescription

    data = text[:MAX_TEXT_CHARS].encode("utf-8")  # parse_jd reads no further: the pipe carries no more
    fields = _ask_worker({"type": "jd"}, data, limits, ErrorCode.TEXT_TOO_LONG, SLOW_JOB_MESSAGE)
    fields["any_of"] = {skill: tuple(alternatives) for skill, alternatives in fields["any_of"].items()}
    return JobDescription(**fields)


def report_in_worker(resume: dict[str, Any], cv_text: str, job_text: str, limits: ReadLimits) -> dict[str, Any]:
    """The report's JSON for a parsed CV and a job's text (core.engine.matching.report_for_job), made in a worker
    under the time limit: the job is user text, and the report is a third of an analysis's CPU, which the web
    process (one GIL for every user) would otherwise carry. A report the engine cannot make (a damaged stored
    CV) is an INVALID_INPUT error without a message."""
    pair = {"resume": resume, "cv_text": cv_text, "job_text": job_text[:MAX_TEXT_CHARS]}
    data = json.dumps(pair).encode("utf-8")
    report: dict[str, Any] = _ask_worker({"type": "report"}, data, limits, ErrorCode.TEXT_TOO_LONG, SLOW_JOB_MESSAGE)
    return report


def parse_cv(text: str, limits: ReadLimits, today: date | None = None) -> dict[str, Any]:
    """core.engine.resume.parse_resume, run in a worker process under the extraction time limit: no CV text,
    however hostile, holds the web process (and its GIL) for longer than that."""
    message = "This CV took too long to read. Upload the document itself rather than pasted or generated text."
    header = {"type": "resume", "today": (today or date.today()).isoformat()}
    result: dict[str, Any] = _ask_worker(header, text.encode("utf-8"), limits, ErrorCode.TEXT_TOO_LONG, message)
    return result


def start_workers(limits: ReadLimits) -> None:
    """Start the parser workers now (at server start), so the first upload does not wait for their imports."""
    _pool(limits).start()


def wait_for_workers(limits: ReadLimits) -> None:
    """Wait until the started workers are ready (imports done, parsers warmed up)."""
    _pool(limits).wait_ready()


def _pool(limits: ReadLimits) -> worker_pool.Pool:
    config = worker_pool.PoolConfig(
        size=limits.worker_pool_size,
        memory_mb=limits.worker_memory_mb,
        queue_seconds=limits.worker_queue_seconds,
        queue_max=limits.worker_queue_max,
    )
    return worker_pool.pool("core.engine.documents", config)


def _ask_worker(header: dict[str, Any], data: bytes, limits: ReadLimits, error_code: ErrorCode, slow: str) -> Any:
    try:
        outcome = _pool(limits).run(header, data, limits.extraction_timeout_seconds)
    except worker_pool.WorkerBusy as exc:
        raise AppError(ErrorCode.SERVER_BUSY) from exc
    except worker_pool.WorkerTimeout as exc:
        raise AppError(error_code, slow) from exc
    except (OSError, worker_pool.WorkerFailed) as exc:  # the worker could not start, or died (crash, out of memory)
        raise AppError(error_code) from exc
    if outcome[0] == "error":
        raise AppError(outcome[1], outcome[2])
    return outcome[1]


def _parse_request(header: dict[str, Any], data: bytes) -> list[Any]:
    """Worker side: parse and answer ["ok", fields] or ["error", code, message]."""
    file_type = header["type"]
    try:
        if file_type == "resume":
            from core.engine.resume import parse_resume

            return ["ok", parse_resume(data.decode("utf-8"), date.fromisoformat(header["today"]))]
        if file_type == "jd":
            from core.engine.jd import parse_jd

            return ["ok", asdict(parse_jd(data.decode("utf-8")))]
        if file_type == "report":
            from core.engine.jd import parse_jd
            from core.engine.matching import report_for_job

            pair = json.loads(data)
            return ["ok", report_for_job(pair["resume"], pair["cv_text"], parse_jd(pair["job_text"])).to_json()]
        doc = _EXTRACTORS[file_type](data, header["max_pages"])
        if not doc.text.strip():
            raise AppError(ErrorCode.EMPTY_FILE, "This file contains no text.")
        check_text_bounds(doc.text)
        if "today" not in header:
            return ["ok", asdict(doc)]
        from core.engine.resume import parse_resume

        resume = parse_resume(doc.text, date.fromisoformat(header["today"]), doc.headings)
        return ["ok", {"document": asdict(doc), "resume": resume}]
    except AppError as exc:
        return ["error", str(exc.code), exc.message]
    except Exception:  # noqa: BLE001 - any parser failure on untrusted input is a "could not read" answer
        return ["error", str(_ERROR_FOR_TYPE.get(file_type, ErrorCode.TEXT_TOO_LONG)), None]


def _extract_pdf(data: bytes, max_pages: int) -> ExtractedDocument:
    """pypdf checks the file (encryption, page count); pypdfium2 gives the words and their boxes."""
    import pypdfium2
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise AppError(ErrorCode.ENCRYPTED_PDF)
    pages = len(reader.pages)
    if pages == 0:
        raise AppError(ErrorCode.PDF_PROCESSING_ERROR)
    if pages > max_pages:
        raise AppError(ErrorCode.FILE_TOO_LARGE, f"This PDF has {pages} pages; the limit is {max_pages}.")
    chunks: list[str] = []
    has_columns = has_tables = False
    standalone: list[StyledLine] = []
    runs: list[tuple[int, float, bool]] = []
    document = pypdfium2.PdfDocument(data)
    try:
        for index in range(len(document)):
            words = _page_words(document[index])
            page = read_page(words)
            chunks.append("\n".join(page.lines))
            has_columns |= page.has_columns
            has_tables |= page.has_tables
            standalone += page.standalone
            runs += [(len(word.text), word.font, word.bold) for word in words]
    finally:
        document.close()
    text = _clean_text("\n\n".join(chunks)).strip()
    if len(re.sub(r"\s", "", text)) < MIN_PDF_TEXT_CHARS:
        raise AppError(ErrorCode.NO_TEXT_LAYER)
    headings = tuple(_clean_text(line) for line in heading_hints(standalone, *body_style(runs)))
    return ExtractedDocument(
        text=text, file_type="pdf", pages=pages, has_columns=has_columns, has_tables=has_tables, headings=headings
    )


# pdfium's mark for a word hyphenated at a line end ("chart\ufffeing"): the rest of the word, on the next line,
# belongs to the word before the mark.
_HYPHENATION = "\ufffe"
_BOLD_FONT = re.compile(r"(?i)bold|black|heavy|demi|cmbx|sfbx")  # "CMBX10": TeX's bold extended


def _page_words(page: Any) -> list[Word]:
    """Words of a page with their boxes (top-down coordinates) and line height; spaces, line ends and gaps
    split them (pdfium supplies the spaces a PDF leaves out)."""
    textpage = page.get_textpage()
    height = page.get_height()
    text = textpage.get_text_range()
    words: list[Word] = []
    chars: list[str] = []
    box: list[float] = []
    size = 0.0
    font = (0.0, False)
    hyphenated: Word | None = None  # the word whose end follows on the next line
    font_of = _font_reader(textpage)

    def flush() -> None:
        if chars:
            words.append(Word("".join(chars), box[0], box[1], box[2], box[3], size, *font))
            chars.clear()

    for index in range(min(textpage.count_chars(), len(text))):
        char = text[index]
        if char == _HYPHENATION:
            flush()
            hyphenated = words[-1] if words else None
            continue
        if char.isspace() or (not char.isprintable() and char != "\xad"):
            flush()
            hyphenated = None
            continue
        if hyphenated is not None:
            hyphenated.text += char
            continue
        left, bottom, right, top = textpage.get_charbox(index, loose=True)  # loose: the font's line box
        if right <= left and top <= bottom:
            continue
        if chars and (left - box[1] > size * 0.3 or left < box[0] - 1):
            flush()  # a gap or a jump back without a space: a new word
        if chars:
            box = [box[0], max(box[1], right), min(box[2], height - top), max(box[3], height - bottom)]
        else:
            box = [left, right, height - top, height - bottom]
            size = top - bottom
            font = font_of(index)
        chars.append(char)
    flush()
    textpage.close()
    return words


def _font_reader(textpage: Any) -> Callable[[int], tuple[float, bool]]:
    """Font size and boldness of a character: bold by the font's weight or by its name ("Inter-Bold"). Asked
    once a word, so the name buffer is reused and each font's boldness is decided once."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    raw, name = textpage.raw, ctypes.create_string_buffer(64)
    bold_fonts: dict[bytes, bool] = {}

    def font(index: int) -> tuple[float, bool]:
        pdfium_c.FPDFText_GetFontInfo(raw, index, name, len(name), None)
        key = name.value
        bold = bold_fonts.get(key) if key else None  # a font without a name is asked every time
        if bold is None:
            weight = pdfium_c.FPDFText_GetFontWeight(raw, index)
            bold = bold_fonts[key] = weight >= 600 or bool(_BOLD_FONT.search(key.decode("latin-1")))
        return pdfium_c.FPDFText_GetFontSize(raw, index), bold

    return font


def _extract_docx(data: bytes, _max_pages: int) -> ExtractedDocument:
    """Headers, body (paragraphs, tables and text boxes in reading order) and footers (no page count in DOCX)."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    seen_parts: set[int] = set()
    for section in document.sections:
        for part in (section.first_page_header, section.header):
            if not part.is_linked_to_previous and id(part.part) not in seen_parts:
                seen_parts.add(id(part.part))
                lines.extend(_docx_block_lines(part._element))
    has_tables = bool(document.element.body.findall(qn("w:tbl")))
    found = DocxHeadings.of(document.styles.element)
    lines.extend(_docx_block_lines(document.element.body, found))
    for section in document.sections:
        for footer in (section.footer, section.first_page_footer):
            if not footer.is_linked_to_previous and id(footer.part) not in seen_parts:
                seen_parts.add(id(footer.part))
                lines.extend(_docx_block_lines(footer._element))
    return ExtractedDocument(
        text=_clean_text("\n".join(lines)).strip(),
        file_type="docx",
        has_tables=has_tables,
        headings=tuple(_clean_text(line) for line in found.headings()),
    )


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What a run element stands for in text: a tab, a line break (w:br, w:cr) or a non-breaking hyphen.
_RUN_CHARS = {_W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def _docx_block_lines(container: Any, found: DocxHeadings | None = None) -> list[str]:
    """Lines of a body/header/cell element; list paragraphs get a bullet so structure survives. The body's
    paragraphs are noted in `found` (their style and type), for telling its headings."""
    from docx.oxml.ns import qn

    lines: list[str] = []
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(
                _RUN_CHARS.get(node.tag, node.text or "")
                for node in child.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen"))
                if _outside_textbox(node, child)
            )
            style = child.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            is_list = child.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None or (
                style is not None and "list" in (style.get(qn("w:val")) or "").lower()
            )
            parts = [part.strip() for part in text.split("\n") if part.strip()]  # soft line breaks split lines
            if parts and is_list:
                parts[0] = "• " + parts[0]
            if found is not None:
                runs = [run for run in child.iter(qn("w:r")) if _outside_textbox(run, child)]
                found.add(child, runs, parts[0] if len(parts) == 1 and not is_list else "")
            lines.extend(parts)
            for box in child.iter(qn("w:txbxContent")):
                if not any(a.tag.endswith("}Fallback") for a in box.iterancestors()):
                    lines.extend(_docx_block_lines(box, found))
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                seen_cells: set[str] = set()
                for cell in row.iterchildren(qn("w:tc")):
                    cell_lines = _docx_block_lines(cell, found)
                    key = "\n".join(cell_lines)
                    if key and key not in seen_cells:  # horizontally merged cells repeat their text
                        seen_cells.add(key)
                        lines.extend(cell_lines)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                lines.extend(_docx_block_lines(content, found))
    return lines


def _outside_textbox(node: Any, paragraph: Any) -> bool:
    """True if `node` belongs to `paragraph` itself rather than to a text box anchored inside it."""
    for ancestor in node.iterancestors():
        if ancestor is paragraph:
            return True
        if ancestor.tag.endswith("}txbxContent"):
            return False
    return True


def _extract_txt(data: bytes, _max_pages: int) -> ExtractedDocument:
    """UTF-8, UTF-16 or a Windows code page (see _decode_text)."""
    return ExtractedDocument(text=_decode_text(data).strip(), file_type="txt")


_EXTRACTORS: dict[str, Callable[[bytes, int], ExtractedDocument]] = {
    "txt": _extract_txt,
    "pdf": _extract_pdf,
    "docx": _extract_docx,
}


_WARM_UP_TEXT = "Jane Example\njane@example.com\nEXPERIENCE\nData Analyst, Acme  Jan 2020 - Jan 2024\nSKILLS\nSQL"


def _warm_up() -> None:
    """Before a worker says it is ready: load the skills taxonomy and pdfium and walk each parser and the
    report once (~1 s on the first file otherwise, paid by a user's request)."""
    import pypdfium2

    from core.engine.jd import parse_jd
    from core.engine.resume import parse_resume

    resume = parse_resume(_WARM_UP_TEXT)
    parse_jd(_WARM_UP_TEXT)
    pair = {"resume": resume, "cv_text": _WARM_UP_TEXT, "job_text": _WARM_UP_TEXT}
    _parse_request({"type": "report"}, json.dumps(pair).encode())  # the keyword background, the role catalogue
    blank = io.BytesIO()
    document = pypdfium2.PdfDocument.new()
    document.new_page(612, 792)
    document.save(blank)
    document.close()
    _parse_request({"type": "pdf", "max_pages": 1}, blank.getvalue())  # NO_TEXT_LAYER, after the whole path


if __name__ == "__main__":
    import docx  # noqa: F401 - imported once per worker, not once per file

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    _warm_up()
    worker_pool.serve(_parse_request)
