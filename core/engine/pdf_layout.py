"""Reading order of a PDF page from its words and their positions, the way a person reads the page.

Words (from pypdfium2, with boxes) → lines (words sharing a baseline) → segments (runs of a line split
by wide gaps) → regions split by a vertical gutter (a strip no segment crosses over consecutive lines)
→ reading order, recursively, so each region of a page finds its own gutter:

- a margin column (one side holds only short labels or dates, each beside a line of the other side,
  as in moderncv/europecv or right-aligned dates): its items, wrapped ones joined ("Mar 2021 –" +
  "Present"), are attached to the line beside them;
- a sidebar (both sides flow on their own): the main (larger) column, then the sidebar;
- otherwise lines stay as they are, their segments separated by three spaces (a field gap).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from core.engine.heading_style import StyledLine, line_key

MIN_RUN_ROWS = 6
MIN_GUTTER = 6.0  # points of white space a gutter needs
MARGIN_ITEM_MAX_WORDS = 4
FIELD_GAP = "   "
SEGMENT_GAP_EM = 0.6  # a gap wider than this many line heights splits a line (word spaces are ~0.25)
_WRAPPED_RANGE = re.compile(r"(?:[-–—‒―]|\bto|\bsince)\s*$", re.I)


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # line height: the measure of gaps (a dash's box is far thinner than its line)
    font: float = 0.0  # the font size the PDF sets (0 when unknown): headings stand out by it
    bold: bool = False


@dataclass
class Segment:
    words: list[Word]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def styled(self) -> StyledLine:
        """Its text with the font size most of its characters have, bold if all its words are."""
        sizes = sorted(w.font for w in self.words for _ in w.text)
        return StyledLine(self.text, sizes[len(sizes) // 2] if sizes else 0.0, all(w.bold for w in self.words))


@dataclass
class Row:
    segments: list[Segment] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(s.top for s in self.segments)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segments)

    @property
    def text(self) -> str:
        return FIELD_GAP.join(s.text for s in self.segments)


@dataclass(frozen=True)
class PageText:
    lines: list[str]
    has_columns: bool
    has_tables: bool
    standalone: list[StyledLine] = field(default_factory=list)  # segments that are a whole line of `lines`


def read_page(words: list[Word]) -> PageText:
    """The page's lines in reading order, whether it has a sidebar column, whether it has a table, and the
    style of each line that is one segment standing alone (the candidates for a heading)."""
    rows = _rows(words)
    found: list[bool] = []
    lines = [line for line in _read(rows, found) if line.strip()]
    keys = {line_key(line) for line in lines}
    standalone = [s.styled() for row in rows for s in row.segments if line_key(s.text) in keys]
    return PageText(lines, any(found), _has_table(rows), standalone)


# --- words → rows ------------------------------------------------------------------------------------


def _rows(words: list[Word]) -> list[Row]:
    """Words grouped into lines by vertical overlap, each line split into segments at wide gaps."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.bottom, w.x0)):
        first = lines[-1][0] if lines else None
        if first is not None and abs(word.bottom - first.bottom) <= min(word.size, first.size) * 0.4:
            lines[-1].append(word)
        else:
            lines.append([word])
    rows: list[Row] = []
    for line in lines:
        line.sort(key=lambda w: w.x0)
        row = Row([Segment([line[0]])])
        for word in line[1:]:
            last = row.segments[-1].words[-1]
            if word.x0 - last.x1 > max(word.size, last.size) * SEGMENT_GAP_EM:
                row.segments.append(Segment([word]))
            else:
                row.segments[-1].words.append(word)
        rows.append(row)
    return rows


# --- regions and gutters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    gutter: float
    start: int
    end: int  # exclusive
    left_rows: int
    right_rows: int


def _read(rows: list[Row], found: list[bool]) -> list[str]:
    run = _best_run(rows)
    if run is None:
        return [row.text for row in rows]
    start = _header_end(rows, run)
    block = rows[start : run.end]
    left = [Row([s for s in row.segments if s.x1 <= run.gutter]) for row in block]
    right = [Row([s for s in row.segments if s.x0 >= run.gutter]) for row in block]
    left, right = [r for r in left if r.segments], [r for r in right if r.segments]
    middle = _margin_lines(left, right, side_is_left=True) or _margin_lines(right, left, side_is_left=False)
    if middle is None:
        found.append(True)
        main, side = (left, right) if _chars(left) >= _chars(right) else (right, left)
        middle = [*_read(main, found), "", *_read(side, found)]
    return _read(rows[:start], found) + middle + _read(rows[run.end :], found)


def _header_end(rows: list[Row], run: _Run) -> int:
    """Where the columns really begin: after a header band (name, contact) that the gutter happens to
    split too, told apart by the widest vertical gap in the run's first third, if it is twice the usual."""
    tops = [row.top for row in rows[run.start : run.end]]
    gaps = sorted(b - a for a, b in itertools.pairwise(tops))
    if not gaps:
        return run.start
    usual = gaps[len(gaps) // 2]
    head = [(tops[k] - tops[k - 1], k) for k in range(1, len(tops) // 3 + 1)]
    widest, at = max(head, default=(0.0, 0))
    return run.start + at if widest >= 2 * usual else run.start


def _best_run(rows: list[Row]) -> _Run | None:
    """The longest run of consecutive rows that one vertical gutter splits, with text on both sides."""
    if len(rows) < MIN_RUN_ROWS:
        return None
    x_max = max(s.x1 for row in rows for s in row.segments)
    # A gutter's left edge is some segment's right end, so those are the only places worth trying.
    candidates = sorted({s.x1 + MIN_GUTTER / 2 for row in rows for s in row.segments if s.x1 < x_max - MIN_GUTTER})
    best: _Run | None = None
    for x in candidates:
        start = 0
        while start < len(rows):
            end = start
            while end < len(rows) and _clear(rows[end], x):
                end += 1
            if end - start >= MIN_RUN_ROWS:
                run = _measure(rows, x, start, end)
                if run.left_rows >= 2 and run.right_rows >= 2 and (best is None or end - start > best.end - best.start):
                    best = run
            start = end + 1
    return best


def _clear(row: Row, x: float) -> bool:
    half = MIN_GUTTER / 2
    return all(s.x1 <= x - half or s.x0 >= x + half for s in row.segments)


def _measure(rows: list[Row], x: float, start: int, end: int) -> _Run:
    block = rows[start:end]
    left = sum(any(s.x1 <= x for s in row.segments) for row in block)
    right = sum(any(s.x0 >= x for s in row.segments) for row in block)
    return _Run(x, start, end, left, right)


def _margin_lines(side: list[Row], main: list[Row], *, side_is_left: bool) -> list[str] | None:
    """Lines of a main column with the short items of a margin column beside it attached, or None."""
    items = _margin_items(side)
    if not items or _chars(side) * 2 > _chars(main):
        return None
    texts = [" ".join(s.text for s in item) for item in items]
    long_items = sum(len(re.findall(r"\w+", text)) > MARGIN_ITEM_MAX_WORDS for text in texts)
    if long_items * 10 > len(texts) or any(_flows_on(text) for text in texts):  # a footer line may be long
        return None
    beside = [_row_beside(item[0], main) for item in items]
    if sum(index is not None for index in beside) * 2 < len(items):  # most items label a row beside them
        return None
    attached: dict[int, list[str]] = {}
    loose: list[tuple[float, str]] = []
    for item, text, index in zip(items, texts, beside, strict=True):
        if index is None:
            loose.append((item[0].top, text))
        else:
            attached.setdefault(index, []).append(text)
    placed = [(row.top, _with_margin(row.text, attached.get(i, []), side_is_left)) for i, row in enumerate(main)]
    placed += [(top, [text]) for top, text in loose]
    return [line for _, lines in sorted(placed, key=lambda pair: pair[0]) for line in lines]


def _with_margin(text: str, margin: list[str], side_is_left: bool) -> list[str]:
    """A left label or date goes on its own line before its row (a heading, a date line above the title);
    a right-hand date stays on its row, as a field of it."""
    if not margin:
        return [text]
    return [*margin, text] if side_is_left else [FIELD_GAP.join([text, *margin])]


def _flows_on(text: str) -> bool:
    """Text that belongs to a column of its own: a wrapped list ("Python, Go,") or contact details."""
    return text.rstrip().endswith((",", ";")) or "@" in text


def _margin_items(side: list[Row]) -> list[list[Segment]]:
    """Margin segments in order, a wrapped date range ("Mar 2021 –" / "Present") joined into one item."""
    items: list[list[Segment]] = []
    for row in side:
        for segment in row.segments:
            if items and (_WRAPPED_RANGE.search(items[-1][-1].text) or re.match(r"[-–—]", segment.text)):
                items[-1].append(segment)
            else:
                items.append([segment])
    return items


def _row_beside(segment: Segment, rows: list[Row]) -> int | None:
    """The row of the other column on the same line as `segment` (most vertical overlap)."""
    best, best_overlap = None, 0.0
    for i, row in enumerate(rows):
        overlap = min(row.bottom, segment.bottom) - max(row.top, segment.top)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best if best_overlap >= (segment.bottom - segment.top) * 0.4 else None


def _has_table(rows: list[Row]) -> bool:
    """Four or more consecutive rows each split into three or more segments."""
    streak = 0
    for row in rows:
        streak = streak + 1 if len(row.segments) >= 3 else 0
        if streak >= 4:
            return True
    return False


def _chars(rows: list[Row]) -> int:
    return sum(len(s.text) for row in rows for s in row.segments)
