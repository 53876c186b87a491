"""Which PDF library reads CVs best: pypdf (plain and layout mode), pdfminer.six and pypdfium2 (its plain
text, and the words-with-boxes reader of core.engine.pdf_layout), over every PDF of the layout matrix.

Run: .venv/bin/python benchmarks/pdf_libraries.py
Prints per library and layout:
- word spacing: share of the content's words found as whole tokens (glued words such as
  "utilizingDockercontainer" or split ones lower it);
- reading order: share of the content's sentences (summary, bullets) found whole, in one piece;
- speed: median milliseconds per file, in-process.
"""

from __future__ import annotations

import io
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from layout_contents import CONTENTS  # noqa: E402

from benchmarks.layout_matrix import LABELS, LAYOUTS  # noqa: E402


def pypdf_text(data: bytes, mode: str) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text(extraction_mode=mode) or "" for page in PdfReader(io.BytesIO(data)).pages)


def pdfminer_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def pdfium_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))


def layout_reader_text(data: bytes) -> str:
    from core.engine.documents import _extract_pdf

    return _extract_pdf(data, 20).text


READERS: dict[str, Callable[[bytes], str]] = {
    "pypdf plain": lambda data: pypdf_text(data, "plain"),
    "pypdf layout": lambda data: pypdf_text(data, "layout"),
    "pdfminer.six": pdfminer_text,
    "pypdfium2 text": pdfium_text,
    "pypdfium2 + pdf_layout": layout_reader_text,
}


def _normal(text: str) -> str:
    text = re.sub(r"[\u00ad\ufffe\x02]\s*", "", text)  # soft hyphens / pdfium hyphenation marks
    return re.sub(r"\s+", " ", text.replace("ﬁ", "fi").replace("ﬀ", "ff").replace("ﬂ", "fl"))


def scores(text: str, content: dict) -> tuple[float, float]:
    sentences = [content["summary"]] + [b for job in content["positions"] for b in job["bullets"]]
    words = {w for s in sentences for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", s)}
    tokens = set(re.findall(r"[A-Za-z][A-Za-z-]{3,}", _normal(text)))
    body = _normal(text)
    in_one_piece = sum(_normal(s) in body for s in sentences)
    return len(words & tokens) / len(words), in_one_piece / len(sentences)


def main() -> None:
    pdf_layouts = [layout for layout in LABELS["layouts"] if layout.endswith(".pdf")]
    print(f"{'reader':24} {'layout':22} {'word spacing':>12} {'reading order':>13} {'ms/file':>8}")
    for name, reader in READERS.items():
        reader((LAYOUTS / f"software.{pdf_layouts[0]}").read_bytes())  # warm imports
        totals: list[tuple[float, float]] = []
        all_times: list[float] = []
        for layout in pdf_layouts:
            results, times = [], []
            for key, content in CONTENTS.items():
                data = (LAYOUTS / f"{key}.{layout}").read_bytes()
                started = time.perf_counter()
                text = reader(data)
                times.append(time.perf_counter() - started)
                results.append(scores(text, content))
            spacing = statistics.mean(r[0] for r in results)
            order = statistics.mean(r[1] for r in results)
            totals.append((spacing, order))
            all_times += times
            print(f"{name:24} {layout:22} {spacing:>12.3f} {order:>13.3f} {1000 * statistics.median(times):>8.1f}")
        print(
            f"{name:24} {'ALL':22} {statistics.mean(t[0] for t in totals):>12.3f} "
            f"{statistics.mean(t[1] for t in totals):>13.3f} {1000 * statistics.median(all_times):>8.1f}\n"
        )


if __name__ == "__main__":
    main()
