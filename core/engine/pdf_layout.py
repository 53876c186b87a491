"""Reading order for pypdf's layout-mode text: keep a sidebar column apart from the main column.

pypdf's layout mode prints each visual row as one line, so a two-column CV comes out with the sidebar
and the main column interleaved on every line ("SKILLS      Full-stack engineer (6+ years) ...").
We look for a vertical gutter — a character position that is blank on a long run of consecutive rows
with text on both sides — and decide from how the two sides are filled what the run is:

- a sidebar layout (both sides carry their own flowing text): emit the main (larger) column, then
  the sidebar, so each keeps its own order;
- headings in a left margin ("Experience     Site Reliability Engineer ..."): put the label on its own
  line before its row;
- anything else (a table, right-aligned dates): rows stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_RUN_ROWS = 8
MARGIN_LABEL_MAX_CHARS = 30
_CELL_GAP = re.compile(r"(?<=\S) {3,}(?=\S)")


@dataclass(frozen=True)
class _Run:
    gutter: int
    start: int
    end: int  # exclusive
    left_rows: int
    right_rows: int
    left_only: int
    right_only: int
    nonblank: int


def page_lines(raw: str) -> tuple[list[str], bool, bool]:
    """Lines of one page in reading order, whether it has a sidebar column, whether it has a table."""
    rows = [line.rstrip() for line in raw.replace("\t", "    ").split("\n")]
    has_tables = _has_table(rows)
    run = _best_run(rows)
    if run is None:
        return _strip(rows), False, has_tables
    block = rows[run.start : run.end]
    if _is_sidebar(run, sum(1 for row in rows if row.strip())):
        left = [row[: run.gutter] for row in block]
        right = [row[run.gutter :] for row in block]
        main, side = (left, right) if _chars(left) >= _chars(right) else (right, left)
        ordered = rows[: run.start] + _dedent(main) + [""] + _dedent(side) + rows[run.end :]
        return _strip(ordered), True, has_tables
    if run.left_rows * 3 < run.nonblank and all(
        len(row[: run.gutter].strip()) <= MARGIN_LABEL_MAX_CHARS for row in block
    ):
        split: list[str] = []
        for row in block:
            label, rest = row[: run.gutter].strip(), row[run.gutter :]
            split.extend([label, rest] if label and rest.strip() else [row])
        return _strip(rows[: run.start] + split + rows[run.end :]), False, has_tables
    return _strip(rows), False, has_tables


def _is_sidebar(run: _Run, page_rows: int) -> bool:
    """Both sides flow on their own over a large part of the page (unlike a table or aligned dates)."""
    return (
        run.nonblank * 5 >= page_rows * 2
        and run.left_rows * 10 >= run.nonblank * 3
        and run.right_rows * 10 >= run.nonblank * 3
        and run.left_only >= 2
        and run.right_only >= 2
        and (run.left_only + run.right_only) * 4 >= run.nonblank
    )


def _best_run(rows: list[str]) -> _Run | None:
    """The longest run of rows split by one blank gutter with text on both sides of it."""
    width = max((len(row) for row in rows), default=0)
    best: _Run | None = None
    for gutter in range(max(4, width // 5), width * 4 // 5):
        start = 0
        while start < len(rows):
            end = start
            while end < len(rows) and not rows[end][gutter - 1 : gutter + 2].strip():
                end += 1
            if end > start:
                run = _measure(rows, gutter, start, end)
                if (
                    run.nonblank >= MIN_RUN_ROWS
                    and run.left_rows >= 2
                    and run.right_rows >= 2
                    and (best is None or run.nonblank > best.nonblank)
                ):
                    best = run
            start = end + 1
    return best


def _measure(rows: list[str], gutter: int, start: int, end: int) -> _Run:
    left = right = left_only = right_only = nonblank = 0
    for row in rows[start:end]:
        has_left, has_right = bool(row[:gutter].strip()), bool(row[gutter:].strip())
        left += has_left
        right += has_right
        left_only += has_left and not has_right
        right_only += has_right and not has_left
        nonblank += has_left or has_right
    return _Run(gutter, start, end, left, right, left_only, right_only, nonblank)


def _has_table(rows: list[str]) -> bool:
    """Four or more consecutive rows each split into three or more cells by wide gaps."""
    streak = 0
    for row in rows:
        streak = streak + 1 if len(_CELL_GAP.findall(row.strip())) >= 2 else 0
        if streak >= 4:
            return True
    return False


def _chars(lines: list[str]) -> int:
    return sum(len(line.strip()) for line in lines)


def _dedent(lines: list[str]) -> list[str]:
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return [line[indent:] for line in lines]


def _strip(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines]
