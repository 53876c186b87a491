"""Date ranges on CVs and the years of experience they add up to.

Conventions (shared with the labelled corpus): a range lasts end − start months; "Present"/"Current"
means the current month; a year on its own means January of that year; a season means its months
("Summer 2023" = June to September). Overlapping positions are merged so that two parallel jobs do not
count twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# (first month, last month, year offset of the last month)
_SEASONS = {"spring": (3, 5, 0), "summer": (6, 9, 0), "fall": (9, 12, 0), "autumn": (9, 12, 0), "winter": (12, 2, 1)}

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(?:19|20)\d{2}"
_DATE = (
    rf"(?:{_MONTH}\.?,?\s*'?{_YEAR}|(?:0?[1-9]|1[0-2])\s*[/.]\s*{_YEAR}"
    rf"|{_YEAR}\s*[/.-]\s*(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?(?!\d)"  # ISO 2020-01, 2020-01-15
    rf"|(?:0?[1-9]|1[0-2])/\d{{2}}(?![\d/])"  # MM/YY
    rf"|(?:spring|summer|fall|autumn|winter)\s+{_YEAR}|{_YEAR})"
)
_PRESENT = r"(?:present|current(?:ly)?|now|today|ongoing|(?:till|to|until|up\s+to)\s+date|date)"
_DASH = "-–—‒―−‐‑\xad"  # ASCII, en, em, figure, bar, minus, hyphen, non-breaking and soft hyphen
_SEP = rf"\s*(?:-{{1,2}}|[{_DASH}]|~|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*"
RANGE_RE = re.compile(
    rf"(?<![\w/])(?:(?P<start>{_DATE}){_SEP}(?P<end>{_DATE}|{_PRESENT})"
    rf"|(?P<month>{_MONTH})\.?{_SEP}(?P<month_end>{_MONTH}\.?,?\s*{_YEAR})"  # May-August 2014
    rf"|(?P<year>{_YEAR})\s*[{_DASH}]\s*(?P<short_end>\d{{2}}))(?![\w/])",  # 2019–21
    re.I,
)
# A range broken over two lines: "2017 –" / "Present", "Jan 2026 – May" / "2026".
_SPLIT_RANGE_RE = re.compile(
    rf"(?<![\w/])({_DATE}{_SEP}(?:{_MONTH}\.?)?)[ \t]*\n[ \t]*(?=(?:{_DATE}|{_PRESENT})(?![\w/]))", re.I
)
SEASON_RE = re.compile(rf"(?<![\w/])(?P<season>spring|summer|fall|autumn|winter)\s+(?P<year>{_YEAR})(?!\w)", re.I)


# Cheap test for a line that ends inside a range (on a dash, "to", or a month after a dash).
_OPEN_RANGE_END = re.compile(
    rf"(?:[{_DASH}~]|\b(?:to|until|till|through|thru)|[{_DASH}]\s*[A-Za-z]{{3,9}}\.?)[ \t]*\n", re.I
)


def join_split_ranges(text: str) -> str:
    """Date ranges that a narrow column wrapped over two lines, put back on one line."""
    return _SPLIT_RANGE_RE.sub(r"\1 ", text) if _OPEN_RANGE_END.search(text) else text


@dataclass(frozen=True)
class Period:
    """A span of months, `start` inclusive and `end` exclusive, counted as year*12 + month-1."""

    start: int
    end: int
    ongoing: bool = False

    @property
    def months(self) -> int:
        return max(0, self.end - self.start)

    def label(self, which: str) -> str:
        if which == "end" and self.ongoing:
            return "present"
        value = self.start if which == "start" else self.end
        return f"{value // 12:04d}-{value % 12 + 1:02d}"


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def _parse_date(token: str, *, is_end: bool) -> int | None:
    token = token.strip().lower().replace("'", "")
    short = re.fullmatch(r"(\d{1,2})/(\d{2})", token)  # MM/YY: a two-digit year in this century
    if short:
        return month_index(2000 + int(short.group(2)), int(short.group(1)))
    year_match = re.search(_YEAR, token)
    if not year_match:
        return None
    year = int(year_match.group())
    season = re.match(r"(spring|summer|fall|autumn|winter)", token)
    if season:
        first, last, offset = _SEASONS[season.group(1)]
        return month_index(year + offset, last) if is_end else month_index(year, first)
    name = re.match(r"([a-z]{3})", token)
    if name and name.group(1) in _MONTHS:
        return month_index(year, _MONTHS[name.group(1)])
    numeric = re.fullmatch(r"(\d{1,2})\s*[/.]\s*\d{4}", token) or re.match(r"\d{4}\s*[/.-]\s*(\d{2})", token)
    if numeric:
        return month_index(year, int(numeric.group(1)))
    return month_index(year, 1)


def _range_bounds(match: re.Match[str], now: int) -> tuple[int | None, int | None, bool]:
    """Start and end month of a RANGE_RE match, and whether it is ongoing."""
    if match.group("month"):  # "May-August 2014": the start takes the end's year
        end = _parse_date(match.group("month_end"), is_end=True)
        year = int(re.search(_YEAR, match.group("month_end")).group())  # type: ignore[union-attr]
        return month_index(year, _MONTHS[match.group("month")[:3].lower()]), end, False
    if match.group("year"):  # "2019–21"
        start_year = int(match.group("year"))
        end_year = start_year // 100 * 100 + int(match.group("short_end"))
        return month_index(start_year, 1), month_index(end_year, 1), False
    start = _parse_date(match.group("start"), is_end=False)
    end_text = match.group("end")
    if re.fullmatch(_PRESENT, end_text.strip(), re.I):
        return start, max(now, start or now), True
    return start, _parse_date(end_text, is_end=True), False


def find_periods(line: str, today: date) -> list[Period]:
    """Every date range (or lone season) on a line, in order."""
    now = month_index(today.year, today.month)
    periods: list[Period] = []
    covered: list[tuple[int, int]] = []
    for match in RANGE_RE.finditer(line):
        start, end, ongoing = _range_bounds(match, now)
        if start is not None and end is not None and end >= start:
            periods.append(Period(start, end, ongoing))
            covered.append(match.span())
    for match in SEASON_RE.finditer(line):
        if not any(a <= match.start() < b for a, b in covered):
            year = int(match.group("year"))
            first, last, offset = _SEASONS[match.group("season").lower()]
            periods.append(Period(month_index(year, first), month_index(year + offset, last)))
    return sorted(periods, key=lambda p: p.start)


def merged_years(periods: list[Period]) -> float:
    """Total years covered by the periods, overlaps counted once, rounded to 2 decimals."""
    total = 0
    current: tuple[int, int] | None = None  # (start, end) of the run of overlapping periods
    for period in sorted(periods, key=lambda p: p.start):
        if current is None or period.start > current[1]:
            if current is not None:
                total += current[1] - current[0]
            current = (period.start, period.end)
        else:
            current = (current[0], max(current[1], period.end))
    if current is not None:
        total += current[1] - current[0]
    return round(total / 12, 2)
