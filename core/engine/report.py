"""The analysis report as one typed model, and the vocabulary it speaks (breakdown parts, degree levels, score bands).

The engine builds a `Report`; the analysis service validates it before storing and reads stored rows back
through `load_report`, which upgrades older shapes first. `to_json` is the stored and CLI form: the public
shape of DESIGN.md plus our additions, with only the fields that were set (a job report has no
`recommended_roles`), so a report survives a store-and-read round trip unchanged.

Unknown keys are kept (extra="allow"), so a newer report read by older code loses nothing; the engine's own
output is tested to contain none.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

DegreeLevel = Literal["none", "high_school", "associate", "bachelor", "master", "phd"]
DEGREE_LEVELS: tuple[DegreeLevel, ...] = get_args(DegreeLevel)  # lowest first

# Score bands, shared by reasoning sentences, charts, exports and filters.
GOOD_SCORE, FAIR_SCORE = 75, 50
Band = Literal["good", "fair", "poor"]

Score = Annotated[int, Field(ge=0, le=100)]


def band(score: int) -> Band:
    return "good" if score >= GOOD_SCORE else "fair" if score >= FAIR_SCORE else "poor"


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")


# --- analysis ----------------------------------------------------------------------------------------------


class ExperienceMatch(_Part):
    required_years: float | None
    candidate_years: float
    match_percentage: Score


class EducationMatch(_Part):
    required: DegreeLevel | None
    candidate: DegreeLevel
    match: bool


class RoleCompatibility(_Part):
    score: Score
    reasoning: str


class RecommendedRole(_Part):
    """A role the CV fits best (CV-only analysis)."""

    role: str
    family: str
    score: Score
    matching_skills: list[str]
    missing_skills: list[str]
    reasoning: str


class SoftSkills(_Part):
    """The job's soft skills ("communication"), reported apart from the hard ones."""

    matched: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)


class Analysis(_Part):
    matching_skills: list[str]
    missing_skills: list[str]
    matching_keywords: list[str]
    missing_keywords: list[str]
    # Evidence from the CV; absent (empty) in reports written before it was recorded.
    keyword_evidence: dict[str, str] = Field(default_factory=dict)  # keyword -> the CV line that uses it
    covered_by: dict[str, str] = Field(default_factory=dict)  # JD skill shown without being named -> what covers it
    skill_evidence: dict[str, str] = Field(default_factory=dict)  # JD skill found -> the CV line that shows it
    soft_skills: SoftSkills = Field(default_factory=SoftSkills)
    experience_match: ExperienceMatch
    education_match: EducationMatch
    role_compatibility: RoleCompatibility
    recommended_roles: list[RecommendedRole] | None = None  # CV-only analysis
    skills_summary: dict[str, list[str]] | None = None  # CV-only analysis: skills by category


# --- insights and flashcards -------------------------------------------------------------------------------


class Recommendations(_Part):
    high_priority: list[str]
    medium_priority: list[str]
    low_priority: list[str]

    def by_level(self) -> dict[str, list[str]]:
        """{"high": [...], "medium": [...], "low": [...]}, most urgent first."""
        return {"high": self.high_priority, "medium": self.medium_priority, "low": self.low_priority}


class Insights(_Part):
    strengths: list[str]
    improvements: list[str]
    recommendations: Recommendations


class Card(_Part):
    front: str
    back: str
    skill: str | None = None


# --- ATS score and its evidence ----------------------------------------------------------------------------


class Breakdown(_Part):
    """The five parts of the ATS score; their names are the stored columns of an analysis."""

    keyword_density: Score
    skills_match: Score
    experience_relevance: Score
    education_match: Score
    format_optimization: Score


BREAKDOWN: tuple[str, ...] = tuple(Breakdown.model_fields)


class SkillsEvidence(_Part):
    required_matched: list[str]
    required_missing: list[str]
    preferred_matched: list[str]
    preferred_missing: list[str]
    formula: str
    jd_lines: dict[str, str]  # skill -> the JD line that asked for it
    covered_by: dict[str, str] = Field(default_factory=dict)  # as Analysis.covered_by
    soft_skills: list[str] = Field(default_factory=list)  # the job's soft skills, required or preferred


class KeywordEvidence(_Part):
    found: list[str]
    missing: list[str]
    formula: str
    skill_terms_found: list[str] = Field(default_factory=list)  # the job's hard skills in its own wording
    skill_terms_missing: list[str] = Field(default_factory=list)
    cv_lines: dict[str, str] = Field(default_factory=dict)  # keyword -> the CV line that uses it
    full_marks_share: float | None = None  # share of the job's terms that earns full marks


class ExperienceEvidence(_Part):
    required_years: float | None
    candidate_years: float
    closest_title: str | None
    title_similarity: float
    required_skills_used_in_experience: list[str]
    formula: str
    required_skills_not_used_in_experience: list[str] = Field(default_factory=list)


class EducationEvidence(_Part):
    required: DegreeLevel | None
    candidate: DegreeLevel
    rule: str


class FormatEvidence(_Part):
    passed: list[str]
    failed: dict[str, str]  # check -> why it failed
    details: dict[str, str]  # check -> what was found
    sections_found: list[str]


class Evidence(_Part):
    """Why each breakdown part scored what it did (one entry per part)."""

    skills_match: SkillsEvidence
    keyword_density: KeywordEvidence
    experience_relevance: ExperienceEvidence
    education_match: EducationEvidence
    format_optimization: FormatEvidence


class AtsScore(_Part):
    overall_score: Score
    breakdown: Breakdown
    evidence: Evidence | None = None  # absent from reports in the bare public shape


# --- the report --------------------------------------------------------------------------------------------


class Job(_Part):
    """The parsed job description the report was scored against."""

    title: str
    required_skills: list[str]
    preferred_skills: list[str]
    min_years: float | None
    degree_required: DegreeLevel | None
    keywords: list[str]
    any_of: dict[str, list[str]] = Field(default_factory=dict)  # required skill -> alternatives that do
    skill_years: dict[str, float] = Field(default_factory=dict)  # "3+ years of Java" -> {"java": 3.0}
    degree_or_equivalent: bool = False  # "Bachelor's degree or equivalent experience"
    required_soft_skills: list[str] = Field(default_factory=list)
    preferred_soft_skills: list[str] = Field(default_factory=list)


class Meta(_Part):
    """Written by the analysis service: who worded what, and notes shown with the report."""

    scores: str = "engine"
    configured_provider: str = "local"
    provider: str = "local"
    sources: dict[str, str] = Field(default_factory=dict)  # part ("insights", "flashcards") -> provider
    notes: list[str] = Field(default_factory=list)
    cv_filename: str | None = None
    job_title: str | None = None
    job_source: str | None = None
    flashcards_added: int | None = None


class Report(_Part):
    schema_version: int = SCHEMA_VERSION
    analysis: Analysis
    insights: Insights
    flashcards: list[Card]
    ats_score: AtsScore
    resume_preview: str
    job: Job | None = None
    weights: dict[str, float] | None = None
    mode: Literal["cv_only"] | None = None
    meta: Meta | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready dict: stored in the database, printed by the CLI, offered as a download."""
        fields = self.model_dump(mode="json", exclude_unset=True, exclude={"schema_version"})
        return {"schema_version": self.schema_version, **fields}


def json_path(*names: str) -> tuple[str, ...]:
    """A path of field names into the stored report, checked against the model when the module loads.

    SQL that reads inside the stored JSON builds its paths with this, so renaming a field breaks loudly.
    """
    model: Any = Report
    for name in names:
        field = model.model_fields[name]  # KeyError: not a field of the report
        model = next((t for t in (field.annotation, *get_args(field.annotation)) if _is_model(t)), None)
    return names


def _is_model(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


# --- stored reports of older versions ----------------------------------------------------------------------


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A stored report in the current shape. Version-less rows (written before the model) may carry the demo
    seed's top-level `provider` {part: provider} instead of `meta`; it becomes `meta.sources`."""
    data = dict(data)
    if "schema_version" not in data:
        sources = data.pop("provider", None)
        if isinstance(sources, dict) and "meta" not in data:
            data["meta"] = {"sources": sources}
        data["schema_version"] = 1
    return data


def load_report(data: dict[str, Any]) -> Report:
    """A stored report, upgraded and validated."""
    return Report.model_validate(upgrade(data))
