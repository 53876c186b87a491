"""Times as the viewer reads them: in their browser's time zone (`st.context.timezone`), relative where people
expect it ("due in 3 days", "2 hours ago"). The database keeps naive UTC; only pages convert, through here."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

DATE = "%d %b %Y"
DATE_TIME = "%d %b %Y %H:%M"


def viewer_zone() -> tzinfo:
    """The browser's zone; UTC when it sent none (or one this machine does not know)."""
    name = st.context.timezone
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local(moment: datetime) -> datetime:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(viewer_zone())


def when(moment: datetime, fmt: str = DATE_TIME) -> str:
    """`moment` in the viewer's zone; with a time of day, the zone's abbreviation follows (e.g. "14:05 CET")."""
    shown = local(moment)
    text = shown.strftime(fmt)
    return f"{text} {shown.tzname()}" if "%H" in fmt and shown.tzname() else text


def relative(moment: datetime, now: datetime | None = None) -> str:
    """ "in 3 days", "2 hours ago", "in 5 minutes", "just now": what a calendar would say."""
    now = now or datetime.now(UTC)
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    seconds = (aware - (now if now.tzinfo else now.replace(tzinfo=UTC))).total_seconds()
    size = abs(seconds)
    if size < 60:
        return "just now"
    for unit, length in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if size >= length:
            count = round(size / length)
            phrase = f"{count} {unit}{'s' if count != 1 else ''}"
            return f"in {phrase}" if seconds > 0 else f"{phrase} ago"
    return "just now"
