"""Regenerate the layout matrix in tests/layouts: every CV content of scripts/layout_contents.py in every layout.

Run: .venv/bin/python scripts/make_layouts.py
Needs the Debian packages libreoffice (soffice), chromium and texlive (pdflatex, xelatex, texlive-latex-extra
for moderncv and europecv). The files and labels.json are committed, so tests need none of these tools.

Layouts (file suffix → how it is made):
- word.docx: python-docx, contact details in the page header, soft line breaks (w:br) inside paragraphs
- word.pdf: word.docx → PDF by LibreOffice Writer (the one-column reference)
- table.docx: a two-column table, dates in the left cell
- sidebar_left.pdf / sidebar_right.pdf: HTML with a sidebar → PDF by headless Chromium
- moderncv_pdflatex.pdf / moderncv_xelatex.pdf: LaTeX moderncv (dates in a left column)
- europecv.pdf: LaTeX europecv (labels and dates in a left column)
- designed.pdf: absolutely placed text boxes (a Canva-like design) → PDF by headless Chromium
- creative.docx / creative.pdf / creative_sidebar.pdf: the same content under headings no keyword list knows
  ("Where I've worked", "Toolbox"), told apart by their type only: Word heading styles in the DOCX, the DOCX
  → PDF by LibreOffice Writer, and a sidebar page with larger bold mixed-case headings → PDF by Chromium

Run with layout names (`make_layouts.py creative.docx creative.pdf`) to regenerate only those; labels.json is
always rewritten.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_BREAK
from docx.shared import Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from layout_contents import CONTENTS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "layouts"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LABELS_TODAY = (2026, 11)


# Section headings of the creative layouts, by the plain heading they stand for.
CREATIVE = {
    "Summary": "In a nutshell",
    "Experience": "Where I've worked",
    "Education": "What I studied",
    "Skills": "Toolbox",
    "Activities": "Beyond the office",
    "Contact": "Say hello",
}


def when(date: tuple[int, int] | None) -> str:
    return "Present" if date is None else f"{MONTHS[date[1] - 1]} {date[0]}"


def span(item: dict[str, Any], dash: str = "–") -> str:
    return f"{when(item['start'])} {dash} {when(item['end'])}"


def skill_lines(cv: dict[str, Any]) -> list[str]:
    return [f"{group}: {', '.join(items)}" for group, items in cv["skills"].items()]


def contact(cv: dict[str, Any]) -> list[str]:
    return [cv["email"], cv["phone"], cv["location"]]


# --- DOCX --------------------------------------------------------------------------------------------


def _heading(document: Any, text: str) -> None:
    run = document.add_paragraph().add_run(text.upper())
    run.bold = True
    run.font.size = Pt(13)


def _soft_lines(paragraph: Any, lines: list[str], bold_first: bool = False) -> None:
    """One paragraph, lines separated by soft line breaks (Shift+Enter in Word)."""
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold_first and i == 0
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def word_docx(cv: dict[str, Any], path: Path) -> None:
    document = docx.Document()
    header = document.sections[0].header.paragraphs[0]
    header.add_run(cv["name"]).bold = True
    header.add_run(" · " + cv["headline"])
    header.add_run().add_break(WD_BREAK.LINE)
    header.add_run(" | ".join(contact(cv)))
    _heading(document, "Summary")
    document.add_paragraph(cv["summary"])
    _heading(document, "Experience")
    for job in cv["positions"]:
        _soft_lines(
            document.add_paragraph(), [job["title"], f"{job['company']}, {job['city']} | {span(job)}"], bold_first=True
        )
        for bullet in job["bullets"]:
            document.add_paragraph(bullet, style="List Bullet")
    _heading(document, "Education")
    for school in cv["education"]:
        _soft_lines(document.add_paragraph(), [school["degree"], f"{school['school']}, {school['year']}"], True)
    _heading(document, "Skills")
    _soft_lines(document.add_paragraph(), skill_lines(cv))
    if cv["activities"]:
        _heading(document, "Activities")
        for item in cv["activities"]:
            document.add_paragraph(f"{item['title']} | {span(item)}")
    document.save(path)


def creative_docx(cv: dict[str, Any], path: Path) -> None:
    """One column in Word's own styles: the name as Title, the sections as Heading 1 with creative words."""
    document = docx.Document()
    document.add_heading(cv["name"], 0)
    document.add_paragraph(cv["headline"])
    document.add_paragraph(" | ".join(contact(cv)))
    document.add_heading(CREATIVE["Summary"], 1)
    document.add_paragraph(cv["summary"])
    document.add_heading(CREATIVE["Experience"], 1)
    for job in cv["positions"]:
        _soft_lines(
            document.add_paragraph(), [job["title"], f"{job['company']}, {job['city']} | {span(job)}"], bold_first=True
        )
        for bullet in job["bullets"]:
            document.add_paragraph(bullet, style="List Bullet")
    document.add_heading(CREATIVE["Education"], 1)
    for school in cv["education"]:
        _soft_lines(document.add_paragraph(), [school["degree"], f"{school['school']}, {school['year']}"], True)
    document.add_heading(CREATIVE["Skills"], 1)
    _soft_lines(document.add_paragraph(), skill_lines(cv))
    if cv["activities"]:
        document.add_heading(CREATIVE["Activities"], 1)
        for item in cv["activities"]:
            document.add_paragraph(f"{item['title']} | {span(item)}")
    document.save(path)


def table_docx(cv: dict[str, Any], path: Path) -> None:
    """Everything in a two-column table: section labels and dates left, content right."""
    document = docx.Document()
    title = document.add_paragraph().add_run(cv["name"])
    title.bold = True
    title.font.size = Pt(20)
    document.add_paragraph(cv["headline"])
    table = document.add_table(rows=0, cols=2)

    def row(left: str, right: list[str], bold: bool = False) -> None:
        cells = table.add_row().cells
        cells[0].width = docx.shared.Cm(4)
        cells[1].width = docx.shared.Cm(13)
        cells[0].paragraphs[0].add_run(left).bold = bold
        for i, line in enumerate(right):
            paragraph = cells[1].paragraphs[0] if i == 0 else cells[1].add_paragraph()
            paragraph.add_run(line).bold = bold and i == 0

    row("CONTACT", contact(cv), True)
    row("SUMMARY", [cv["summary"]], True)
    row("EXPERIENCE", [], True)
    for job in cv["positions"]:
        row(span(job), [f"{job['title']}", f"{job['company']}, {job['city']}", *("• " + b for b in job["bullets"])])
    row("EDUCATION", [], True)
    for school in cv["education"]:
        row(str(school["year"]), [school["degree"], school["school"]])
    row("SKILLS", skill_lines(cv), True)
    if cv["activities"]:
        row("ACTIVITIES", [], True)
        for item in cv["activities"]:
            row(span(item), [item["title"]])
    document.save(path)


# --- HTML → PDF ---------------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 14mm; }
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; margin: 0; color: #222; }
.side { font-size: 9pt; }
h1 { font-size: 22pt; margin: 0 0 2pt 0; } h2 { font-size: 11pt; text-transform: uppercase; letter-spacing: 1pt;
border-bottom: 1px solid #888; margin: 10pt 0 4pt 0; } p, ul { margin: 0 0 4pt 0; } ul { padding-left: 14pt; }
.job-title { font-weight: bold; } .muted { color: #555; }
"""


def _main_html(cv: dict[str, Any], names: dict[str, str] | None = None) -> str:
    name = (names or {}).get
    parts = [
        f"<h2>{html.escape(name('Summary', 'Summary'))}</h2><p>{html.escape(cv['summary'])}</p>",
        f"<h2>{html.escape(name('Experience', 'Experience'))}</h2>",
    ]
    for job in cv["positions"]:
        bullets = "".join(f"<li>{html.escape(b)}</li>" for b in job["bullets"])
        parts.append(
            f"<p><span class='job-title'>{html.escape(job['title'])}</span><br>"
            f"{html.escape(job['company'])}, {html.escape(job['city'])} <span class='muted'>| {span(job)}</span></p>"
            f"<ul>{bullets}</ul>"
        )
    return "".join(parts)


def _side_html(cv: dict[str, Any], with_contact: bool = True, names: dict[str, str] | None = None) -> str:
    def h2(plain: str) -> str:
        return f"<h2>{html.escape((names or {}).get(plain, plain))}</h2>"

    parts = [h2("Contact"), *(f"<p>{html.escape(line)}</p>" for line in contact(cv))] if with_contact else []
    parts.append(h2("Education"))
    for school in cv["education"]:
        parts.append(
            f"<p><b>{html.escape(school['degree'])}</b><br>{html.escape(school['school'])}, {school['year']}</p>"
        )
    parts.append(h2("Skills"))
    parts.extend(f"<p>{html.escape(line)}</p>" for line in skill_lines(cv))
    if cv["activities"]:
        parts.append(h2("Activities"))
        parts.extend(f"<p>{html.escape(i['title'])}<br>{span(i)}</p>" for i in cv["activities"])
    return "".join(parts)


def sidebar_html(cv: dict[str, Any], side: str, names: dict[str, str] | None = None) -> str:
    """Two columns; with `names`, the headings use those words, set larger and bold but not in capitals."""
    columns = "32% 64%" if side == "left" else "64% 32%"
    side_div = f"<div class='side'>{_side_html(cv, names=names)}</div>"
    main_div = f"<div class='main'>{_main_html(cv, names)}</div>"
    cells = side_div + main_div if side == "left" else main_div + side_div
    headings = " h2 { font-size: 14pt; text-transform: none; letter-spacing: 0; border: 0; }" if names else ""
    return (
        f"<html><head><meta charset='utf-8'><style>{_CSS} .grid {{ display: grid; grid-template-columns: {columns};"
        f" column-gap: 4%; }} .side {{ background: #eef; padding: 6pt; }}{headings}</style></head><body>"
        f"<h1>{html.escape(cv['name'])}</h1><p class='muted'>{html.escape(cv['headline'])}</p>"
        f"<div class='grid'>{cells}</div></body></html>"
    )


def designed_html(cv: dict[str, Any]) -> str:
    """A Canva-like page: absolutely placed boxes, a coloured band with the name, contact box at the right."""
    box = "position:absolute; overflow:hidden;"
    return (
        f"<html><head><meta charset='utf-8'><style>{_CSS} @page {{ margin: 0; }} .band {{ {box} left:0; top:0;"
        " width:210mm; height:34mm; background:#234; color:#fff; } .band h1 { position:absolute; left:14mm;"
        " top:8mm; } .band .role { position:absolute; left:14mm; top:22mm; } .contact { position:absolute;"
        " right:12mm; top:8mm; text-align:right; width:70mm; }"
        f" .main {{ {box} left:14mm; top:42mm; width:118mm; }} .side {{ {box} left:140mm; top:42mm; width:58mm; }}"
        "</style></head><body>"
        f"<div class='band'><h1>{html.escape(cv['name'])}</h1><div class='role'>{html.escape(cv['headline'])}</div>"
        f"<div class='contact'>{'<br>'.join(html.escape(x) for x in contact(cv))}</div></div>"
        f"<div class='main'>{_main_html(cv)}</div>"
        f"<div class='side'>{_side_html(cv, with_contact=False)}</div>"
        "</body></html>"
    )


def chromium_pdf(page: str, path: Path, work: Path) -> None:
    source = work / (path.stem + ".html")
    source.write_text(page, encoding="utf-8")
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={path}", source.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


# --- LaTeX --------------------------------------------------------------------------------------------


def tex(text: str) -> str:
    for char, escaped in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"),
                          ("_", r"\_"), ("{", r"\{"), ("}", r"\}")):  # fmt: skip
        text = text.replace(char, escaped)
    return text


def moderncv_tex(cv: dict[str, Any], unicode_engine: bool) -> str:
    first, last = cv["name"].split(" ", 1)
    fonts = "" if unicode_engine else "\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n"
    body = [f"\\section{{Summary}}\n\\cvitem{{}}{{{tex(cv['summary'])}}}", "\\section{Experience}"]
    for job in cv["positions"]:
        items = "".join(f"\\item {tex(b)}\n" for b in job["bullets"])
        body.append(
            f"\\cventry{{{span(job, '--')}}}{{{tex(job['title'])}}}{{{tex(job['company'])}}}{{{tex(job['city'])}}}{{}}"
            f"{{\\begin{{itemize}}\n{items}\\end{{itemize}}}}"
        )
    body.append("\\section{Education}")
    body.extend(
        f"\\cventry{{{s['year']}}}{{{tex(s['degree'])}}}{{{tex(s['school'])}}}{{}}{{}}{{}}" for s in cv["education"]
    )
    body.append("\\section{Skills}")
    body.extend(f"\\cvitem{{{tex(g)}}}{{{tex(', '.join(i))}}}" for g, i in cv["skills"].items())
    if cv["activities"]:
        body.append("\\section{Activities}")
        body.extend(f"\\cvitem{{{span(i, '--')}}}{{{tex(i['title'])}}}" for i in cv["activities"])
    return (
        "\\documentclass[11pt,a4paper,sans]{moderncv}\n\\moderncvstyle{classic}\n\\moderncvcolor{blue}\n"
        + fonts
        + "\\usepackage[scale=0.8]{geometry}\n"
        f"\\name{{{tex(first)}}}{{{tex(last)}}}\n\\title{{{tex(cv['headline'])}}}\n"
        f"\\address{{{tex(cv['location'])}}}{{}}{{}}\n\\phone[mobile]{{{tex(cv['phone'])}}}\n"
        f"\\email{{{cv['email']}}}\n\\begin{{document}}\n\\makecvtitle\n" + "\n".join(body) + "\n\\end{document}\n"
    )


def europecv_tex(cv: dict[str, Any]) -> str:
    body = [f"\\ecvsection{{Summary}}\n\\ecvitem{{}}{{{tex(cv['summary'])}}}", "\\ecvsection{Work experience}"]
    for job in cv["positions"]:
        body.append(f"\\ecvitem{{\\large{{{span(job, '--')}}}}}{{\\textbf{{{tex(job['title'])}}}}}")
        body.append(f"\\ecvitem{{}}{{{tex(job['company'])}, {tex(job['city'])}}}")
        body.extend(f"\\ecvitem{{}}{{-- {tex(b)}}}" for b in job["bullets"])
        body.append("\\ecvitem{}{}")
    body.append("\\ecvsection{Education}")
    for school in cv["education"]:
        body.append(f"\\ecvitem{{{school['year']}}}{{\\textbf{{{tex(school['degree'])}}}}}")
        body.append(f"\\ecvitem{{}}{{{tex(school['school'])}}}")
    body.append("\\ecvsection{Skills}")
    body.extend(f"\\ecvitem{{{tex(g)}}}{{{tex(', '.join(i))}}}" for g, i in cv["skills"].items())
    if cv["activities"]:
        body.append("\\ecvsection{Activities}")
        body.extend(f"\\ecvitem{{{span(i, '--')}}}{{{tex(i['title'])}}}" for i in cv["activities"])
    return (
        "\\documentclass[a4paper,nologo,english]{europecv}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n"
        "\\usepackage{lmodern}\n\\usepackage[english]{babel}\n\\usepackage[a4paper,margin=18mm]{geometry}\n"
        f"\\ecvname{{{tex(cv['name'])}}}\n\\ecvaddress{{{tex(cv['location'])}}}\n"
        f"\\ecvtelephone{{{tex(cv['phone'])}}}\n\\ecvemail{{{cv['email']}}}\n"
        "\\usepackage{hyperref}\n\\begin{document}\n\\begin{europecv}\n\\ecvpersonalinfo\n"
        + "\n".join(body)
        + "\n\\end{europecv}\n\\end{document}\n"
    )


_FA_ICONS = [
    "Asterisk",
    "BabyCarriage",
    "Bitbucket",
    "Envelope",
    "Fax",
    "Github",
    "GithubSquare",
    "Gitlab",
    "Globe",
    "GlobeAfrica",
    "GlobeAmericas",
    "GlobeAsia",
    "GlobeEurope",
    "Home",
    "Inbox",
    "Linkedin",
    "LinkedinIn",
    "Mobile",
    "Orcid",
    "Phone",
    "Print",
    "Researchgate",
    "Skype",
    "StackOverflow",
    "Telegram",
    "Twitter",
    "TwitterSquare",
    "Whatsapp",
    "Xing",
    "XingSquare",
]


_AI_ICONS = ["GoogleScholar", "Orcid", "ResearchGate", "ResearchGateSquare", "ResearcherID", "ResearcherIDSquare"]


def icon_stand_ins(work: Path) -> None:
    """moderncv loads fontawesome5 and academicons (texlive-fonts-extra); without them blank icons do."""
    for package, prefix, names in (("fontawesome5", "fa", _FA_ICONS), ("academicons", "ai", _AI_ICONS)):
        if subprocess.run(["kpsewhich", f"{package}.sty"], capture_output=True).returncode == 0:
            continue
        icons = "".join(f"\\providecommand\\{prefix}{name}[1][]{{}}\n" for name in names)
        bullet = "\\providecommand\\faCircle[1][]{\\textbullet}\n" if prefix == "fa" else ""
        (work / f"{package}.sty").write_text(f"\\ProvidesPackage{{{package}}}\n" + bullet + icons)


def latex_pdf(source: str, path: Path, work: Path, engine: str) -> None:
    tex_file = work / (path.stem + ".tex")
    tex_file.write_text(source, encoding="utf-8")
    for _ in range(2):
        subprocess.run(
            [engine, "-interaction=nonstopmode", "-halt-on-error", tex_file.name],
            cwd=work, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    shutil.copy(work / (path.stem + ".pdf"), path)


# --- labels -------------------------------------------------------------------------------------------


def label(cv: dict[str, Any]) -> dict[str, Any]:
    """What every layout must yield: contact, highest degree, positions (start year + title) and years."""
    levels = {"B.S.": "bachelor", "Bachelor": "bachelor", "BSc": "bachelor", "B.Sc.": "bachelor",
              "M.Sc.": "master", "Master": "master", "High School": "high_school"}  # fmt: skip
    completed = [s for s in cv["education"] if "expected" not in s["degree"]]
    order = ["none", "high_school", "bachelor", "master"]
    degree = max(
        (next(level for key, level in levels.items() if s["degree"].startswith(key)) for s in completed),
        key=order.index,
        default="none",
    )
    months = 0
    for job in cv["positions"]:
        end = job["end"] or LABELS_TODAY
        months += (end[0] * 12 + end[1]) - (job["start"][0] * 12 + job["start"][1])
    return {
        "name": cv["name"],
        "email": cv["email"],
        "phone": cv["phone"],
        "location": cv["location"],
        "highest_degree": degree,
        "positions": [{"start_year": j["start"][0], "title": j["title"]} for j in cv["positions"]],
        "years_experience": round(months / 12, 2),
    }


def writer_pdf(source: Path, path: Path, work: Path) -> None:
    """A DOCX → PDF by LibreOffice Writer."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    shutil.copy(work / f"{source.stem}.pdf", path)


def builders(cv: dict[str, Any], key: str, work: Path) -> dict[str, Any]:
    """Layout name → a function writing that layout of `cv` (a PDF from a DOCX after the DOCX)."""
    out = {layout: OUT / f"{key}.{layout}" for layout in LAYOUTS}
    return {
        "word.docx": lambda: word_docx(cv, out["word.docx"]),
        "word.pdf": lambda: writer_pdf(out["word.docx"], out["word.pdf"], work),
        "table.docx": lambda: table_docx(cv, out["table.docx"]),
        "sidebar_left.pdf": lambda: chromium_pdf(sidebar_html(cv, "left"), out["sidebar_left.pdf"], work),
        "sidebar_right.pdf": lambda: chromium_pdf(sidebar_html(cv, "right"), out["sidebar_right.pdf"], work),
        "moderncv_pdflatex.pdf": lambda: latex_pdf(
            moderncv_tex(cv, False), out["moderncv_pdflatex.pdf"], work, "pdflatex"
        ),
        "moderncv_xelatex.pdf": lambda: latex_pdf(moderncv_tex(cv, True), out["moderncv_xelatex.pdf"], work, "xelatex"),
        "europecv.pdf": lambda: latex_pdf(europecv_tex(cv), out["europecv.pdf"], work, "pdflatex"),
        "designed.pdf": lambda: chromium_pdf(designed_html(cv), out["designed.pdf"], work),
        "creative.docx": lambda: creative_docx(cv, out["creative.docx"]),
        "creative.pdf": lambda: writer_pdf(out["creative.docx"], out["creative.pdf"], work),
        "creative_sidebar.pdf": lambda: chromium_pdf(
            sidebar_html(cv, "left", CREATIVE), out["creative_sidebar.pdf"], work
        ),
    }


LAYOUTS = (
    "word.docx", "word.pdf", "table.docx", "sidebar_left.pdf", "sidebar_right.pdf", "moderncv_pdflatex.pdf",
    "moderncv_xelatex.pdf", "europecv.pdf", "designed.pdf", "creative.docx", "creative.pdf", "creative_sidebar.pdf",
)  # fmt: skip


def main() -> None:
    wanted = sys.argv[1:] or list(LAYOUTS)
    unknown = set(wanted) - set(LAYOUTS)
    if unknown:
        sys.exit(f"unknown layouts: {', '.join(sorted(unknown))}; known: {', '.join(LAYOUTS)}")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        icon_stand_ins(work)
        for key, cv in CONTENTS.items():
            print(key, flush=True)
            build = builders(cv, key, work)
            for layout in LAYOUTS:
                if layout in wanted:
                    build[layout]()
    labels = {
        "reference_layout": "word.pdf",
        "layouts": ["word.pdf", *(layout for layout in LAYOUTS if layout != "word.pdf")],
        "contents": {key: label(cv) for key, cv in CONTENTS.items()},
    }
    (OUT / "labels.json").write_text(json.dumps(labels, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
