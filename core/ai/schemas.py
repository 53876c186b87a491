"""Output schemas of the model tasks: wording only, never scores.

Scores (ATS breakdown, match, interview scores) always come from the deterministic engine; a model
only rewrites text around them, so none of these schemas has a numeric field.

`wire_schema` turns a schema into the JSON schema sent as `response_format`: only structural keywords
(type, properties, required, items, enum, anyOf) so OpenAI strict mode, Gemini's subset, Mistral and
local servers all accept it. Length rules (no empty text, at least one card) are checked here by
pydantic after the answer arrives; a violation counts as an invalid answer and is retried once.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Wording(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Recommendations(_Wording):
    high_priority: list[Text]
    medium_priority: list[Text]
    low_priority: list[Text]


class InsightsWording(_Wording):
    """prompts/analysis_insights.md → the report's `insights` block."""

    strengths: list[Text]
    improvements: list[Text]
    recommendations: Recommendations


class Flashcard(_Wording):
    front: Text
    back: Text


class FlashcardsWording(_Wording):
    """prompts/flashcards.md → the report's `flashcards` list."""

    cards: list[Flashcard] = Field(min_length=1)


class InterviewQuestion(_Wording):
    text: Text
    kind: Literal["behavioural", "technical", "situational"]
    skill: str | None = None


class InterviewQuestions(_Wording):
    """prompts/interview_questions.md → questions for a practice interview."""

    questions: list[InterviewQuestion] = Field(min_length=1)


class AnswerFeedbackWording(_Wording):
    """prompts/answer_evaluation.md → feedback on one answer (its score comes from the engine)."""

    feedback: Text
    tips: list[Text]


class TavusContext(_Wording):
    """prompts/tavus_context.md → Tavus `conversational_context` and `custom_greeting`."""

    context: Text
    greeting: Text


class FieldWording(_Wording):
    """prompts/resume_field.md → proposed wording for one résumé field (checked by the builder's guard)."""

    text: Text


_STRUCTURAL = {"type", "properties", "required", "items", "enum", "anyOf"}


def wire_schema(schema: type[BaseModel], *, strict: bool) -> dict[str, Any]:
    """A self-contained JSON schema for `schema`: $refs inlined, every property required.

    With `strict`, objects also get `additionalProperties: false`, which OpenAI's strict mode demands;
    other servers get the plain form because some (Gemini) reject that keyword.
    """
    full = schema.model_json_schema()
    definitions = full.get("$defs", {})

    def convert(node: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in node:
            return convert(definitions[node["$ref"].rsplit("/", 1)[-1]])
        if "const" in node:
            node = {**node, "enum": [node["const"]]}
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key not in _STRUCTURAL:
                continue
            if key == "properties":
                out[key] = {name: convert(sub) for name, sub in value.items()}
            elif key == "items":
                out[key] = convert(value)
            elif key == "anyOf":
                out[key] = [convert(sub) for sub in value]
            else:
                out[key] = value
        if "properties" in out:
            out["required"] = list(out["properties"])
            if strict:
                out["additionalProperties"] = False
        return out

    return convert(full)
