"""Dates as people type them ("Mar 2021", "03/2021", "2021", "Present", "Jan 2019 – Dec 2020") to the résumé's
ISO prefixes, and back to the one style the exports print ("Mar 2021"), so an exported CV never mixes styles."""

from __future__ import annotations

import calendar
import re
from datetime import date

from core.engine.resume_builder.model import ISO_DATE, PRESENT
from core.engine.resume_dates import RANGE_RE, find_periods

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTH_NAME = re.compile(r"^([A-Za-z]{3})[a-z]*\.?,?\s+'?([12]\d{3})$")
_NUMERIC = re.compile(r"^(0?[1-9]|1[0-2])\s*[/.]\s*([12]\d{3})$")
_ONGOING = re.compile(r"^(?:present|current(?:ly)?|now|today|ongoing)$", re.I)


def normalise(text: str, *, end: bool = False) -> str:
    """An ISO prefix for one typed date ("" stays ""); text we cannot read is returned as typed, for the model's
    validation to refuse with a sentence."""
    value = " ".join((text or "").split())
    if not value or ISO_DATE.match(value):
        return value
    if end and _ONGOING.match(value):
        return PRESENT
    named = _MONTH_NAME.match(value)
    if named and named.group(1).lower() in _MONTHS:
        return f"{named.group(2)}-{_MONTHS[named.group(1).lower()]:02d}"
    numeric = _NUMERIC.match(value)
    if numeric:
        return f"{numeric.group(2)}-{int(numeric.group(1)):02d}"
    return value


def split_range(text: str, today: date) -> tuple[str, str]:
    """(start, end) of a typed range such as the seed's "Dates" field; one date alone is the start."""
    value = " ".join((text or "").split())
    written = RANGE_RE.search(value)
    if written and written.group("start"):  # kept as precise as it was written ("2019", "Mar 2021")
        start, end = normalise(written.group("start")), normalise(written.group("end"), end=True)
        if ISO_DATE.match(start) and (end == PRESENT or ISO_DATE.match(end)):
            return start, end
    periods = find_periods(value, today)
    if periods:
        period = periods[0]
        return period.label("start"), period.label("end")
    return normalise(value), ""


def display(value: str) -> str:
    """'2021-03' -> 'Mar 2021', '2021' -> '2021', 'present' -> 'Present'."""
    if value == PRESENT:
        return "Present"
    if len(value) >= 7:
        return f"{calendar.month_abbr[int(value[5:7])]} {value[:4]}"
    return value


def display_range(start: str, end: str) -> str:
    if start and end:
        return f"{display(start)} – {display(end)}"
    return display(start or end)


def month_label(value: str) -> str | None:
    """The month our reader gives for a date: '2021-03-15' -> '2021-03', '2021' -> '2021-01'."""
    if not value:
        return None
    if value == PRESENT:
        return PRESENT
    return value[:7] if len(value) >= 7 else f"{value}-01"
