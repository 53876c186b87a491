"""Every date form and phone form issue 14 lists, including soft hyphens and ranges split over two lines."""

from __future__ import annotations

from datetime import date

import pytest

from core.engine.resume import parse_resume
from core.engine.resume_dates import find_periods, join_split_ranges, merged_years

TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Jan 2020 – Present", "2020-01", "present"),
        ("01/2020–03/2022", "2020-01", "2022-03"),
        ("2019–21", "2019-01", "2021-01"),
        ("Summer 2021", "2021-06", "2021-09"),
        ("Mar 2018 – Current", "2018-03", "present"),
        ("Mar 2018 – till date", "2018-03", "present"),
        ("Mar 2018 to date", "2018-03", "present"),
        ("2020-01-15 – 2022-03-31", "2020-01", "2022-03"),
        ("2020-01 – 2022-03", "2020-01", "2022-03"),
        ("05/19 - Now", "2019-05", "present"),
        ("May-August 2014", "2014-05", "2014-08"),
        ("May,2017 - June,2018", "2017-05", "2018-06"),
        ("Sep. 2023\u00adMar. 2024", "2023-09", "2024-03"),  # a soft hyphen as the dash
        ("Jan 2020 \u2212 Dec 2021", "2020-01", "2021-12"),  # minus sign
        ("Jan 2020 \u2014 Dec 2021", "2020-01", "2021-12"),  # em dash
        ("Jan 2020 \u2011 Dec 2021", "2020-01", "2021-12"),  # non-breaking hyphen
        ("2017 –\nPresent", "2017-01", "present"),  # split over two lines
        ("Jan 2026 – May\n2026", "2026-01", "2026-05"),
    ],
)
def test_date_forms(text: str, start: str, end: str) -> None:
    periods = find_periods(join_split_ranges(text), TODAY)
    assert [(p.label("start"), p.label("end")) for p in periods] == [(start, end)]


def test_an_iso_month_is_not_a_year_range() -> None:
    assert find_periods("2019-12", TODAY) == []


def test_overlapping_positions_count_once() -> None:
    periods = find_periods("Jan 2020 - Dec 2021", TODAY) + find_periods("Jan 2021 - Dec 2022", TODAY)
    assert merged_years(periods) == 2.92


def test_a_range_split_over_two_lines_keeps_its_position() -> None:
    text = "Jane Example\njane@example.com\nEXPERIENCE\nSenior Engineer, Acme\n2017 –\nPresent\n• Built things"
    resume = parse_resume(text, TODAY)
    assert [(e["title"], e["start"], e["end"]) for e in resume["experience"]] == [
        ("Senior Engineer", "2017-01", "present")
    ]


def _phone(contact: str) -> str | None:
    text = f"Jane Example\njane@example.com | {contact}\nEXPERIENCE\nEngineer, Acme  Jan 2020 - Dec 2022"
    return parse_resume(text, TODAY)["phone"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("(+91) 9845012345", "(+91) 9845012345"),
        ("(+82) 10-1234-5678", "(+82) 10-1234-5678"),
        ("+91 98450 12345", "+91 98450 12345"),
        ("9845012345", "9845012345"),  # a bare Indian mobile
        ("09845012345", "09845012345"),  # 11 digits with the trunk 0
        ("98450\u00ad12345", "98450-12345"),  # a soft hyphen inside the number
        ("(555) 010\u00ad4821", "(555) 010-4821"),
        ("+44 20 7946 0321", "+44 20 7946 0321"),
        ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("+49 30 1234567", "+49 30 1234567"),
        ("555.010.4821", "555.010.4821"),
        ("+1 (555) 010-4821", "+1 (555) 010-4821"),
        ("Phone: (+91) 98450 12345", "(+91) 98450 12345"),
    ],
)
def test_phone_forms(written: str, expected: str) -> None:
    assert _phone(written) == expected


@pytest.mark.parametrize(
    "not_a_phone",
    ["ORCID 0000-0002-1825-0097", "0000-0002-1825-0097", "ID: 1234567890", "2019 - 2021", "Bengaluru 560001"],
)
def test_ids_orcids_date_ranges_and_postcodes_are_not_phones(not_a_phone: str) -> None:
    assert _phone(not_a_phone) is None


def test_location_never_comes_from_an_employer_or_a_school_line() -> None:
    text = (
        "Jane Example\nEXPERIENCE\nEngineer\nAcme Corp, Denver, CO | Jan 2020 - Dec 2022\n"
        "jane@example.com\nEDUCATION\nB.S. in Physics\nUniversity of Utah, Salt Lake City, UT"
    )
    assert parse_resume(text, TODAY)["location"] is None
    assert parse_resume(text + "\nCONTACT\nBoise, ID", TODAY)["location"] == "Boise, ID"
