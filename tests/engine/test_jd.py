"""JD parsing: sections, wording overrides, years, degree, keywords."""

from __future__ import annotations

from core.engine.jd import parse_jd

JD = """Senior Data Engineer
Acme Rivets — Tulsa, OK
Full-time | $140,000

About Acme Rivets
Acme Rivets has made rivets for 80 years and uses Tableau everywhere.

What you will do
- Build pipelines in Airflow and model data with dbt.

Requirements
- 5+ years of experience in data engineering.
- Python and SQL.
- Kafka is a plus.
- Bachelor's degree in Computer Science or Statistics.

Nice to have
- Snowflake.
- You must know Terraform.

Benefits
- Docker lunches every Friday.
"""


def test_sections_and_wording_decide_required_vs_preferred() -> None:
    jd = parse_jd(JD)
    assert jd.title == "Senior Data Engineer"
    assert {"python", "sql", "terraform"} <= set(jd.required_skills)
    assert {"kafka", "snowflake", "airflow", "dbt"} <= set(jd.preferred_skills)
    assert "kafka" not in jd.required_skills
    # About-us and benefits text are not requirements; degree subjects are not skills.
    for absent in ("tableau", "docker", "statistics"):
        assert absent not in jd.required_skills + jd.preferred_skills


def test_years_and_degree() -> None:
    jd = parse_jd(JD)
    assert jd.min_years == 5.0
    assert jd.degree_required == "bachelor"


def test_equivalent_experience_means_no_degree_required() -> None:
    text = "Frontend Dev\n\nRequirements\n- Degree in CS or equivalent practical experience.\n- 3-5 years of React.\n"
    jd = parse_jd(text)
    assert jd.degree_required is None
    assert jd.min_years == 3.0
    assert jd.required_skills == ["react"]


def test_lowest_named_degree_is_the_bar() -> None:
    jd = parse_jd("Data Scientist\n\nQualifications\n- Master's degree or PhD in a quantitative field.\n")
    assert jd.degree_required == "master"


def test_unstructured_jd_uses_wording_only() -> None:
    jd = parse_jd("Marketing lead. You must have SEO and Google Ads skills; HubSpot would be a bonus.")
    assert jd.required_skills == ["google ads", "seo"]
    assert jd.preferred_skills == ["hubspot"]


def test_keywords_are_salient_and_skip_company_names() -> None:
    jd = parse_jd(JD)
    assert jd.keywords
    assert not any("acme" in k or "rivets" in k for k in jd.keywords)
    assert not set(jd.keywords) & {"python", "sql", "kafka"}


def test_empty_jd_does_not_crash() -> None:
    jd = parse_jd("")
    assert (jd.title, jd.required_skills, jd.min_years, jd.degree_required) == ("", [], None, None)


def test_alternatives_make_only_the_first_skill_a_must() -> None:
    jd = parse_jd("Platform Engineer\n\nRequirements\n- CI/CD with GitHub Actions, GitLab CI or Jenkins.\n- Linux.\n")
    assert jd.required_skills == ["ci/cd", "linux"]
    assert jd.preferred_skills == ["github actions", "gitlab ci", "jenkins"]
