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
    rf"(?:{_MONTH}\.?,?\s*'?{_YEAR}|(?:0?[1-9]|1[0-2])\s*[/.]\s*{_YEAR}|{_YEAR}\s*[/.-]\s*(?:0[1-9]|1[0-2])(?!\d)"
    rf"|(?:spring|summer|fall|autumn|winter)\s+{_YEAR}|{_YEAR})"
)
_PRESENT = r"(?:present|current(?:ly)?|now|today|ongoing|date)"
_SEP = r"\s*(?:-{1,2}|–|—|‒|―|~|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*"
RANGE_RE = re.compile(rf"(?<![\w/])(?P<start>{_DATE}){_SEP}(?P<end>{_DATE}|{_PRESENT})(?![\w/])", re.I)
SEASON_RE = re.compile(rf"(?<![\w/])(?P<season>spring|summer|fall|autumn|winter)\s+(?P<year>{_YEAR})(?!\w)", re.I)


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
    numeric = re.fullmatch(r"(\d{1,2})\s*[/.]\s*\d{4}", token) or re.fullmatch(r"\d{4}\s*[/.-]\s*(\d{2})", token)
    if numeric:
        return month_index(year, int(numeric.group(1)))
    return month_index(year, 1)


def find_periods(line: str, today: date) -> list[Period]:
    """Every date range (or lone season) on a line, in order."""
    now = month_index(today.year, today.month)
    periods: list[Period] = []
    covered: list[tuple[int, int]] = []
    for match in RANGE_RE.finditer(line):
        start = _parse_date(match.group("start"), is_end=False)
        end_text = match.group("end")
        ongoing = re.fullmatch(_PRESENT, end_text.strip(), re.I) is not None
        end = max(now, start or now) if ongoing else _parse_date(end_text, is_end=True)
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
