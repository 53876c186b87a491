"""Structured CV parsing: dates and years, degrees, contact details, sections, and corpus accuracy."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from core.config import Settings
from core.engine.documents import extract_text
from core.engine.resume import analyze_structure, extract_file, parse_resume
from core.engine.resume_dates import find_periods, merged_years, month_index

CORPUS = Path(__file__).parents[1] / "corpus"
LABELS = json.loads((CORPUS / "labels.json").read_text())["resumes"]
TODAY = date(2026, 11, 15)  # the labels read "Present" as 2026-11
DESIGN_KEYS = {
    "name", "email", "phone", "location", "links", "sections", "skills", "years_experience",
    "highest_degree", "experience", "education", "missing_fields",
}  # fmt: skip


def cv(*body: str, header: str = "Jane Example\njane@example.com | (555) 555-0100 | Austin, TX") -> str:
    return header + "\n\n" + "\n".join(body)


# --- dates and years ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "months", "start", "end"),
    [
        ("Jan 2020 – Present", 82, "2020-01", "present"),
        ("2018-2021", 36, "2018-01", "2021-01"),
        ("03/2017 - 06/2019", 27, "2017-03", "2019-06"),
        ("Summer 2023", 3, "2023-06", "2023-09"),
        ("Sept 2019 to Aug 2020", 11, "2019-09", "2020-08"),
        ("Jan. 2015 to Dec. 2018", 47, "2015-01", "2018-12"),
        ("January 2024 – Current", 34, "2024-01", "present"),
        ("2021-03 — 2022-03", 12, "2021-03", "2022-03"),
        ("Fall 2020 - Spring 2021", 8, "2020-09", "2021-05"),
        ("(2013 – 2017)", 48, "2013-01", "2017-01"),
        ("May 2019 - now", 90, "2019-05", "present"),
        ("2019.03 - 2021.06", 27, "2019-03", "2021-06"),
    ],
)
def test_date_ranges(text: str, months: int, start: str, end: str) -> None:
    [period] = find_periods(f"Engineer, Acme  {text}", TODAY)
    assert (period.months, period.label("start"), period.label("end")) == (months, start, end)


@pytest.mark.parametrize("text", ["GPA 3.6/4.0", "(312) 555-0142", "cut costs by 2018%", "Python 3.11", "400K records"])
def test_non_dates_are_not_ranges(text: str) -> None:
    assert find_periods(text, TODAY) == []


@pytest.mark.parametrize(
    ("ranges", "years"),
    [
        ([(2020, 1, 2022, 1)], 2.0),
        ([(2020, 1, 2022, 1), (2021, 1, 2023, 1)], 3.0),  # overlap counted once
        ([(2016, 6, 2020, 2), (2020, 3, 2022, 1)], 5.5),  # one-month gap is not worked
        ([(2019, 1, 2020, 1), (2019, 3, 2019, 6)], 1.0),  # nested
        ([], 0.0),
    ],
)
def test_merged_years(ranges: list[tuple[int, int, int, int]], years: float) -> None:
    from core.engine.resume_dates import Period

    periods = [Period(month_index(a, b), month_index(c, d)) for a, b, c, d in ranges]
    assert merged_years(periods) == years


def test_years_count_work_positions_only() -> None:
    text = cv(
        "EXPERIENCE",
        "Senior Engineer, Acme Corp — Austin, TX    Mar 2021 – Present",
        "• Led a team of 4 engineers.",
        "Engineer, Beta LLC    Jun 2018 – Feb 2021",
        "• Built the billing service.",
        "Software Intern, Gamma Inc    Summer 2017",
        "• Wrote tests.",
        "EDUCATION",
        "B.S. in Computer Science, State University    2014 – 2018",
    )
    resume = parse_resume(text, today=TODAY)
    # Jun 2017-Sep 2017 (3) + Jun 2018-Feb 2021 (32) + Mar 2021-Nov 2026 (68) = 103 months
    assert resume["years_experience"] == 8.58
    assert [(job["title"], job["company"]) for job in resume["experience"]] == [
        ("Senior Engineer", "Acme Corp"),
        ("Engineer", "Beta LLC"),
        ("Software Intern", "Gamma Inc"),
    ]
    assert resume["experience"][0]["bullets"] == ["Led a team of 4 engineers."]
    assert resume["experience"][2]["start"] == "2017-06" and resume["experience"][2]["end"] == "2017-09"


@pytest.mark.parametrize(
    "layout",
    [
        "Data Analyst | Northwind | Denver, CO\nFeb 2022 - Present\n* Built dashboards.",
        "Northwind\nData Analyst  |  Feb 2022 – Present  |  Denver, CO\n• Built dashboards.",
        "Feb 2022 - Present\nData Analyst\nNorthwind — Denver, CO\nBuilt dashboards used by 40 people every week.",
        "Data Analyst\tFeb 2022 – Present\nNorthwind, Denver, CO\n• Built dashboards.",
        "Data Analyst — Northwind (Denver, CO)\n2022 – present\n  • Built dashboards.",
    ],
    ids=["title-line-then-dates", "company-then-title-dates", "dates-first", "title-dates-then-company", "parens"],
)
def test_position_layouts(layout: str) -> None:
    resume = parse_resume(cv("WORK EXPERIENCE", layout, "", "SKILLS", "SQL, Python"), today=TODAY)
    [job] = resume["experience"]
    assert (job["title"], job["company"]) == ("Data Analyst", "Northwind")
    assert job["end"] == "present" and job["start"].startswith("2022-")
    assert job["bullets"][0].startswith("Built dashboards")


def test_wrapped_bullets_are_joined() -> None:
    text = cv(
        "EXPERIENCE",
        "Engineer, Acme    2019 – 2021",
        "• Rewrote the settlement service in Go, reducing p99 latency by 35% at 3,000 requests",
        "per second.",
        "• Set up CI/CD.",
    )
    [job] = parse_resume(text, today=TODAY)["experience"]
    assert job["bullets"] == [
        "Rewrote the settlement service in Go, reducing p99 latency by 35% at 3,000 requests per second.",
        "Set up CI/CD.",
    ]


def test_a_wrapped_first_line_without_a_bullet_glyph_is_not_a_header() -> None:
    """Word's bullets lost in the PDF: the first line right under the dates wraps into "stores." and is the
    first bullet, not a company line (it was dropped, with the skills it names)."""
    text = cv(
        "EXPERIENCE",
        "Data Scientist",
        "Saffron Retail Analytics, Pune, India | Jan 2022 – Present",
        "Built demand forecasting models with XGBoost and scikit-learn for 900",
        "stores.",
        "Ran A/B testing for pricing and reported results in Tableau dashboards.",
    )
    [job] = parse_resume(text, today=TODAY)["experience"]
    assert (job["title"], job["company"]) == ("Data Scientist", "Saffron Retail Analytics")
    assert job["bullets"] == [
        "Built demand forecasting models with XGBoost and scikit-learn for 900 stores.",
        "Ran A/B testing for pricing and reported results in Tableau dashboards.",
    ]


# --- degrees --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("education", "expected"),
    [
        ("B.S. in Computer Science, State University, 2016", "bachelor"),
        ("Bachelor of Arts in History — Lake College (2010 – 2014)", "bachelor"),
        ("BFA, Graphic Design — Art School, Providence, RI (2013 – 2017)", "bachelor"),
        ("MBA, Rainier School of Management, 2019\nB.A. in Economics, Valley College, 2016", "master"),
        ("M.Sc. in Physics, Politechnika, 2019", "master"),
        ("Ph.D. in Statistics, Northbridge University, 2014\nB.S. in Mathematics, 2009", "phd"),
        ("Associate of Applied Science in Nursing, County College, 2015", "associate"),
        ("High School Diploma, Lincoln High School, 2019", "high_school"),
        ("B.S. in Computer Science (expected May 2027), Lakeshore University   2023 - 2027", "high_school"),
        ("Bachelor of Science, Biology — currently pursuing, River University", "high_school"),
        ("PhD candidate in Chemistry, Big University (expected 2028)\nM.S. in Chemistry, 2022", "master"),
        ("Lakeshore State University, Boston, MA\nCoursework in algorithms", "none"),
    ],
)
def test_highest_completed_degree(education: str, expected: str) -> None:
    resume = parse_resume(cv("EDUCATION", education), today=TODAY)
    assert resume["highest_degree"] == expected


def test_education_entries() -> None:
    text = cv("EDUCATION", "M.S. in Human-Computer Interaction, Hudson Institute of Technology, Troy, NY — 2019 – 2021")
    assert parse_resume(text, today=TODAY)["education"] == [
        {
            "degree": "M.S. in Human-Computer Interaction",
            "level": "master",
            "institution": "Hudson Institute of Technology",
            "year": 2021,
        }
    ]


def test_state_ma_is_not_a_masters_degree() -> None:
    text = cv("EDUCATION", "B.A. in Economics, Boston College, Boston, MA, 2015")
    assert parse_resume(text, today=TODAY)["highest_degree"] == "bachelor"


# --- contact details ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "name", "email", "phone", "location"),
    [
        (
            "Marcus Bell\nSenior Backend Engineer\nmarcus.bell@example.com | (312) 555-0142 | Chicago, IL",
            "Marcus Bell", "marcus.bell@example.com", "(312) 555-0142", "Chicago, IL",
        ),
        (
            "CARLA MENDES\ncarla@example.net · 801-555-0156 · Salt Lake City, UT",
            "Carla Mendes", "carla@example.net", "801-555-0156", "Salt Lake City, UT",
        ),
        (
            "RYAN O'CONNELL\n✉ ryan@example.org ☎ +1 919-555-0163 ⌂ Raleigh, NC",
            "Ryan O'Connell", "ryan@example.org", "+1 919-555-0163", "Raleigh, NC",
        ),
        (
            "Zoë Łukasik\nzoe@example.com — +1 (412) 555-0178 — Kraków, Poland",
            "Zoë Łukasik", "zoe@example.com", "+1 (412) 555-0178", "Kraków, Poland",
        ),
        (
            "Resume\nDr. John A. Smith\nEmail: john.smith@example.co.uk\nPhone: +44 20 7946 0958\nLocation: London, UK",
            "John A. Smith", "john.smith@example.co.uk", "+44 20 7946 0958", "London, UK",
        ),
        (
            "Hannah Weiss\nhannah@example.com  617.555.0104  Boston, MA",
            "Hannah Weiss", "hannah@example.com", "617.555.0104", "Boston, MA",
        ),
        (
            "Kwame Asante\nAccountant\nkwame@example.com\n+233 24 123 4567\nAccra, Ghana",
            "Kwame Asante", "kwame@example.com", "+233 24 123 4567", "Accra, Ghana",
        ),
        (
            "Jane Doe, MBA (she/her)\nAustin, TX 78701\nMobile: 5125550100 | jane.doe@example.com",
            "Jane Doe", "jane.doe@example.com", "5125550100", "Austin, TX 78701",
        ),
        (  # LinkedIn export: sidebar first, the name is the line matching the e-mail address
            "Contact\nalex.kim@example.com\nTop Skills\nProduct Management\nAlex Kim\nProduct Lead at Hooli\n"
            "Palo Alto, CA",
            "Alex Kim", "alex.kim@example.com", None, "Palo Alto, CA",
        ),
    ],
)  # fmt: skip
def test_contact_details(header: str, name: str, email: str, phone: str | None, location: str) -> None:
    resume = parse_resume(cv("SUMMARY", "Engineer.", header=header), today=TODAY)
    assert (resume["name"], resume["email"], resume["phone"], resume["location"]) == (name, email, phone, location)


def test_dates_are_not_phone_numbers() -> None:
    text = cv("EXPERIENCE", "Engineer, Acme   2012 – 2016", header="Jane Example\njane@example.com")
    resume = parse_resume(text, today=TODAY)
    assert resume["phone"] is None and "phone" in resume["missing_fields"]


def test_links() -> None:
    header = (
        "Rafael Durán\nrafael@example.com · +1 347 555 0184\n"
        "Portfolio: rafaelduran.design · LinkedIn: linkedin.com/in/rafaelduran · github.com/rduran"
    )
    resume = parse_resume(cv("SKILLS", "Node.js, ASP.NET, Figma", header=header), today=TODAY)
    assert resume["links"] == {
        "linkedin": "linkedin.com/in/rafaelduran",
        "github": "github.com/rduran",
        "portfolio": "rafaelduran.design",
    }


# --- sections and missing fields ------------------------------------------------------------------


def test_sections_by_heading_variants() -> None:
    text = cv(
        "◆ PROFESSIONAL SUMMARY",
        "I build things.",
        "Employment History",
        "Engineer, Acme   2019 – 2021",
        "Academic Background",
        "B.S. in Physics, 2018",
        "Technical Proficiencies:",
        "Python, SQL",
        "Selected Projects",
        "A thing I built.",
        "Licenses & Certifications",
        "PMP (2020)",
        "Volunteer Experience",
        "Food bank driver   2010 – 2020",
    )
    resume = parse_resume(text, today=TODAY)
    assert resume["sections"] == ["summary", "experience", "education", "skills", "projects", "certifications"]
    assert resume["years_experience"] == 2.0  # the volunteer role is not work experience


def test_letter_spaced_and_colon_headings() -> None:
    text = cv("E X P E R I E N C E", "Engineer, Acme   2019 – 2021", "Education:", "B.S. in Physics, 2018")
    resume = parse_resume(text, today=TODAY)
    assert resume["sections"] == ["experience", "education"] and resume["years_experience"] == 2.0


def test_sections_by_content_without_headings() -> None:
    text = (
        "Sam Rivera\nsam@example.com | 555-555-0101 | Reno, NV\n\n"
        "Operations analyst with six years of experience improving warehouse throughput, building "
        "dashboards that managers actually use and training teams on lean methods.\n\n"
        "Operations Analyst, Sierra Logistics    Jan 2019 – Present\n"
        "• Cut pick times by 12%.\n"
        "B.S. in Industrial Engineering, Nevada State University, 2018\n"
        "Python, SQL, Tableau, Microsoft Excel, lean\n"
        "AWS Certified Cloud Practitioner (2022)\n"
    )
    resume = parse_resume(text, today=TODAY)
    assert resume["sections"] == ["summary", "experience", "education", "skills", "certifications"]
    assert resume["missing_fields"] == []


def test_missing_fields() -> None:
    resume = parse_resume("Jane Example\n\nSKILLS\nPython, SQL, Docker, Git", today=TODAY)
    assert resume["missing_fields"] == ["email", "phone", "location", "summary", "experience", "education"]
    assert resume["highest_degree"] == "none" and resume["years_experience"] == 0.0


def test_empty_text_parses_to_an_empty_resume() -> None:
    resume = parse_resume("", today=TODAY)
    assert set(resume) == DESIGN_KEYS
    assert resume["missing_fields"] == [
        "name",
        "email",
        "phone",
        "location",
        "summary",
        "experience",
        "education",
        "skills",
    ]


def test_structure_facts_for_format_scoring() -> None:
    structure = analyze_structure(cv("EXPERIENCE", "Engineer, Acme  2020 - 2022", "• Cut costs 10%.", "SKILLS", "Go"))
    assert structure.headings == [("EXPERIENCE", "experience"), ("SKILLS", "skills")]
    assert structure.bullets == ["Cut costs 10%."]
    assert structure.sections == ["experience", "skills"]


# --- the corpus -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, str]:
    settings = Settings(app_env="test")
    texts = {}
    for filename in sorted(LABELS):
        if LABELS[filename]["text_layer"]:
            texts[filename] = extract_text((CORPUS / "resumes" / filename).read_bytes(), filename, settings).text
    return texts


@pytest.fixture(scope="module")
def corpus(corpus_texts: dict[str, str]) -> dict[str, dict]:
    return {filename: parse_resume(text, today=TODAY) for filename, text in corpus_texts.items()}


def test_corpus_shape_and_determinism(corpus_texts: dict[str, str], corpus: dict[str, dict]) -> None:
    for filename, resume in corpus.items():
        assert set(resume) == DESIGN_KEYS, filename
        assert parse_resume(corpus_texts[filename], today=TODAY) == resume
        assert resume["highest_degree"] in ("none", "high_school", "associate", "bachelor", "master", "phd")
        assert set(resume["sections"]) <= {"summary", "experience", "education", "skills", "projects", "certifications"}
        assert all(skill == skill.lower() for skill in resume["skills"])


def test_corpus_accuracy_meets_targets(corpus: dict[str, dict]) -> None:
    def share(check) -> float:
        return sum(1 for f, r in corpus.items() if check(r, LABELS[f])) / len(corpus)

    assert share(lambda r, lab: r["name"] == lab["name"]) >= 0.9
    assert share(lambda r, lab: r["email"] == lab["email"]) >= 0.9
    assert share(lambda r, lab: r["phone"] == lab["phone"]) >= 0.9
    assert share(lambda r, lab: abs(r["years_experience"] - lab["years_experience"]) <= 1) >= 0.85
    assert share(lambda r, lab: r["highest_degree"] == lab["highest_degree"]) >= 0.85
    assert share(lambda r, lab: set(r["sections"]) == set(lab["sections"])) >= 0.8


def test_extract_file_contract(tmp_path: Path) -> None:
    path = tmp_path / "cv.txt"
    path.write_text(cv("EXPERIENCE", "Engineer, Acme   2020 – 2022"), encoding="utf-16")
    result = extract_file(path, Settings(app_env="test"), today=TODAY)
    assert set(result) == {"text", "resume"}
    assert result["resume"]["name"] == "Jane Example" and result["resume"]["years_experience"] == 2.0
