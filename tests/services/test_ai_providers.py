"""AI providers driven through the real openai and mistralai SDKs against loopback fakes.

Every fault (HTTP 500, time-out, invalid JSON, schema-violating JSON, Gemini's list-shaped error body,
a wrong key, an unreachable server) must end with a result from the local wording and a note saying why.
"""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass

import openai
import pytest

from core.ai import DEFAULT_MODELS, GEMINI_BASE_URL, OLLAMA_BASE_URL, build_provider, health, prompts
from core.ai.base import LOCAL, Enriched, enrich
from core.ai.prompts import PromptError
from core.ai.schemas import (
    AnswerFeedbackWording,
    FieldWording,
    FlashcardsWording,
    InsightsWording,
    InterviewQuestions,
    Recommendations,
    TavusContext,
    wire_schema,
)
from core.config import Settings
from core.errors import AppError, ErrorCode
from tests.fakes.mistral_server import FakeMistral
from tests.fakes.openai_server import API_KEY, FakeAPIServer, FakeOpenAI, answer, error, slow
from tests.fakes.openai_strict import strict_problem

FEEDBACK_VARS = {
    "question": "Tell me about a hard bug.",
    "answer": "I bisected it.",
    "skill": "debugging",
    "assessment": "score 62: no measurable result",
}
GOOD = {"feedback": "Clear story; add the outcome.", "tips": ["Quantify the impact."]}
LOCAL_FEEDBACK = AnswerFeedbackWording(feedback="Built-in feedback.", tips=["Built-in tip."])


@dataclass
class Backend:
    name: str
    fake: FakeAPIServer
    settings: Settings

    def enrich(self, schema: type = AnswerFeedbackWording) -> Enriched:
        return enrich(build_provider(self.settings), "answer_evaluation", FEEDBACK_VARS, schema, lambda: LOCAL_FEEDBACK)

    @property
    def chats(self) -> list:
        return self.fake.requests_to("chat")


@pytest.fixture(params=["openai", "gemini", "ollama", "mistral"])
def backend(request: pytest.FixtureRequest, settings: Settings) -> Backend:
    """One configured provider per parameter, pointed at its fake (1 s time-out, no SDK retries)."""
    name = request.param
    fake = request.getfixturevalue("fake_mistral" if name == "mistral" else "fake_openai")
    base_url = {
        "openai": fake.origin + "/v1",
        "gemini": fake.origin + "/v1beta/openai/",
        "ollama": fake.origin + "/v1",
        "mistral": fake.origin,
    }[name]
    if name == "ollama":
        fake.api_key = "ollama"  # what the provider sends when no key is configured
    config = settings.model_copy(
        update={
            "ai_provider": name,
            "ai_api_key": None if name == "ollama" else API_KEY,
            "ai_base_url": base_url,
            "ai_timeout_seconds": 1.0,
            "ai_max_retries": 0,
        }
    )
    return Backend(name, fake, config)


# --- good answers ------------------------------------------------------------------------------


def test_good_answer_is_parsed_and_credited_to_the_provider(backend: Backend) -> None:
    backend.fake.script("chat", answer(GOOD))
    result = backend.enrich()
    assert result == Enriched(AnswerFeedbackWording(**GOOD), backend.name, None)
    [sent] = backend.chats
    assert sent.headers["authorization"] == f"Bearer {backend.fake.api_key}"
    assert sent.json["model"] == DEFAULT_MODELS[backend.name]
    system, user = sent.json["messages"]
    assert system["role"] == "system" and "interview coach" in system["content"]
    assert user["role"] == "user" and "I bisected it." in user["content"]
    response_format = sent.json["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "AnswerFeedbackWording"
    schema = response_format["json_schema"]["schema"]
    assert schema["required"] == ["feedback", "tips"] and "$defs" not in json.dumps(schema)
    # Gemini rejects additionalProperties, which OpenAI's strict mode requires.
    assert ("additionalProperties" in schema) is (backend.name != "gemini")


def test_gemini_requests_go_to_its_openai_compatible_path(fake_openai: FakeOpenAI, settings: Settings) -> None:
    fake_openai.script("chat", answer(GOOD))
    config = settings.model_copy(
        update={"ai_provider": "gemini", "ai_api_key": API_KEY, "ai_base_url": fake_openai.origin + "/v1beta/openai/"}
    )
    result = enrich(
        build_provider(config), "answer_evaluation", FEEDBACK_VARS, AnswerFeedbackWording, lambda: LOCAL_FEEDBACK
    )
    assert result.source == "gemini"
    assert fake_openai.requests_to("chat")[0].path == "/v1beta/openai/chat/completions"


def test_default_base_urls_and_keyless_ollama(settings: Settings) -> None:
    gemini = build_provider(settings.model_copy(update={"ai_provider": "gemini", "ai_api_key": "k"}))
    ollama = build_provider(settings.model_copy(update={"ai_provider": "ollama"}))
    assert str(gemini._client.base_url) == GEMINI_BASE_URL
    assert str(ollama._client.base_url).rstrip("/") == OLLAMA_BASE_URL and ollama._client.api_key == "ollama"


def test_ai_model_overrides_the_default(backend: Backend) -> None:
    backend.settings = backend.settings.model_copy(update={"ai_model": "my-model-7b"})
    backend.fake.script("chat", answer(GOOD))
    assert backend.enrich().source == backend.name
    assert backend.chats[0].json["model"] == "my-model-7b"


def test_a_retry_after_an_invalid_answer_can_succeed(backend: Backend) -> None:
    backend.fake.script("chat", answer("{not json"), answer(GOOD))
    result = backend.enrich()
    assert result.source == backend.name and result.value.feedback == GOOD["feedback"]
    assert len(backend.chats) == 2


# --- faults: the user always gets the local wording and a note -----------------------------------


def test_http_500_falls_back_to_local_with_a_note(backend: Backend) -> None:
    backend.fake.script("chat", error(500))
    result = backend.enrich()
    assert result.value == LOCAL_FEEDBACK and result.source == LOCAL
    assert "HTTP 500" in result.note and "built-in wording" in result.note
    assert len(backend.chats) == 1  # ai_max_retries=0 and a service error is not retried by enrich


def test_sdk_retries_follow_ai_max_retries(backend: Backend) -> None:
    # The retry and its back-off (Mistral's is 1 s) fit inside the call's one deadline.
    backend.settings = backend.settings.model_copy(update={"ai_max_retries": 1, "ai_timeout_seconds": 3.0})
    backend.fake.script("chat", error(503), answer(GOOD))
    result = backend.enrich()
    assert result.source == backend.name
    assert len(backend.chats) == 2


def test_time_out_falls_back_fast(backend: Backend) -> None:
    backend.fake.script("chat", slow(10, answer(GOOD)))
    started = time.monotonic()
    result = backend.enrich()
    elapsed = time.monotonic() - started
    assert result.source == LOCAL and "did not answer in time (1 s)" in result.note
    assert 0.9 < elapsed < 3.0


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (answer("Sure! Here is your feedback: great job."), "not JSON"),
        (answer({"feedback": "Only feedback, no tips"}), "wrong fields"),
        (answer({"feedback": "", "tips": []}), "wrong fields"),  # empty text is a partial answer
        (answer('{"feedback": "cut off', finish_reason="length"), "cut off"),
        (answer(""), "empty"),
    ],
    ids=["prose", "missing-field", "empty-text", "truncated", "empty"],
)
def test_unusable_answer_is_retried_once_then_local(backend: Backend, reply, reason: str) -> None:
    backend.fake.script("chat", reply)
    result = backend.enrich()
    assert result.value == LOCAL_FEEDBACK and result.source == LOCAL
    assert reason in result.note
    assert len(backend.chats) == 2


def test_gemini_style_list_error_body_falls_back(backend: Backend) -> None:
    body = [
        {"error": {"code": 400, "message": "Invalid JSON payload received. Unknown name", "status": "INVALID_ARGUMENT"}}
    ]
    backend.fake.script("chat", error(400, body))
    result = backend.enrich()
    assert result.source == LOCAL and "HTTP 400" in result.note


def test_wrong_key_says_so_without_revealing_it(backend: Backend) -> None:
    backend.fake.api_key = "the-key-the-server-expects"
    result = backend.enrich()
    assert result.source == LOCAL and "HTTP 401" in result.note and "Check the API key" in result.note
    assert API_KEY not in result.note and "the-key-the-server-expects" not in result.note


def test_unreachable_server_falls_back(settings: Settings, backend: Backend) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    prefix = "" if backend.name == "mistral" else "/v1"
    backend.settings = backend.settings.model_copy(update={"ai_base_url": f"http://127.0.0.1:{closed_port}{prefix}"})
    result = backend.enrich()
    assert result.source == LOCAL and "could not be reached" in result.note


@pytest.mark.parametrize("name", ["openai", "gemini", "mistral"])
def test_missing_key_gives_a_clear_note_not_a_crash(settings: Settings, name: str) -> None:
    provider = build_provider(settings.model_copy(update={"ai_provider": name}))
    result = enrich(provider, "answer_evaluation", FEEDBACK_VARS, AnswerFeedbackWording, lambda: LOCAL_FEEDBACK)
    assert result.source == LOCAL and "API_KEY" in result.note


def test_provider_bug_still_gives_a_result() -> None:
    class Broken:
        name = "openai"

        def complete(self, *args: object) -> None:
            raise RuntimeError("bug")

    result = enrich(Broken(), "answer_evaluation", FEEDBACK_VARS, AnswerFeedbackWording, lambda: LOCAL_FEEDBACK)
    assert result.source == LOCAL and "failed unexpectedly" in result.note


# --- local provider and prompts ------------------------------------------------------------------


def test_local_provider_uses_local_wording_without_network(settings: Settings) -> None:
    provider = build_provider(settings)
    assert provider.name == LOCAL
    assert enrich(provider, "answer_evaluation", FEEDBACK_VARS, AnswerFeedbackWording, lambda: LOCAL_FEEDBACK) == (
        Enriched(LOCAL_FEEDBACK, LOCAL, None)
    )
    with pytest.raises(AppError) as raised:
        provider.complete("answer_evaluation", FEEDBACK_VARS, AnswerFeedbackWording)
    assert raised.value.code == ErrorCode.AI_SERVICE_ERROR


def test_enrich_rejects_variables_that_do_not_fit_the_prompt_even_locally(settings: Settings) -> None:
    variables = {key: value for key, value in FEEDBACK_VARS.items() if key != "assessment"}
    with pytest.raises(PromptError, match="assessment"):
        enrich(build_provider(settings), "answer_evaluation", variables, AnswerFeedbackWording, lambda: LOCAL_FEEDBACK)


EXAMPLE_VARIABLES = {
    "analysis_insights": {
        "job_title": "Data Analyst",
        "report": '{"ats_score": {"overall_score": 71}}',
        "resume_excerpt": "SQL, Tableau",
    },
    "flashcards": {
        "job_title": "Data Analyst",
        "required_skills": ["sql", "tableau"],
        "missing_skills": ["python"],
        "experience_bullets": "- Built dashboards",
        "count": 10,
    },
    "interview_questions": {
        "role": "Data Analyst",
        "skills": ["sql"],
        "resume_excerpt": "SQL",
        "job_description": "We need SQL.",
        "count": 5,
    },
    "answer_evaluation": FEEDBACK_VARS,
    "tavus_context": {
        "candidate_name": "Asha Rao",
        "role": "Data Analyst",
        "skills": ["sql", "tableau"],
        "resume_excerpt": "SQL",
        "duration_minutes": 15,
    },
    "resume_field": {
        "field": "Position 1, bullet 2",
        "current": "Automated data cleaning",
        "issue": "no number or result",
        "employers": ["Acme Logistics"],
        "skills": ["Python", "SQL"],
        "resume": "Zoë Martin\nExperience",
    },
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_VARIABLES))
def test_every_prompt_renders_with_its_variables(name: str) -> None:
    assert prompts.variables(name) == set(EXAMPLE_VARIABLES[name])
    system, user = prompts.render(name, EXAMPLE_VARIABLES[name])
    assert system and user
    assert not any(f"{{{variable}}}" in system + user for variable in EXAMPLE_VARIABLES[name])
    assert "JSON" in system  # servers that ignore response_format still get asked for JSON


def test_prompt_files_and_examples_match() -> None:
    assert {path.stem for path in prompts.PROMPTS_DIR.glob("*.md")} == set(EXAMPLE_VARIABLES)


def test_render_formats_lists_and_keeps_literal_braces() -> None:
    system, user = prompts.render("flashcards", EXAMPLE_VARIABLES["flashcards"])
    assert "Required skills: sql, tableau" in user and "Write 10 cards." in user
    assert '{"cards": [{"front"' in system


def test_render_missing_variable_and_unknown_template_raise_clearly() -> None:
    with pytest.raises(PromptError, match="needs count, missing_skills"):
        prompts.render("flashcards", {"job_title": "x", "required_skills": [], "experience_bullets": ""})
    with pytest.raises(PromptError, match="No prompt template named 'nope'"):
        prompts.render("nope", {})
    with pytest.raises(PromptError):
        prompts.render("../README", {})


def test_user_text_with_braces_is_not_interpreted() -> None:
    _, user = prompts.render("answer_evaluation", {**FEEDBACK_VARS, "answer": "I used {curly} and {0} braces"})
    assert "I used {curly} and {0} braces" in user


def test_nested_schema_reaches_the_wire_and_back(fake_openai: FakeOpenAI, settings: Settings) -> None:
    wording = {
        "strengths": ["SQL in 3 roles"],
        "improvements": ["Add Python"],
        "recommendations": {"high_priority": ["Learn pandas"], "medium_priority": [], "low_priority": []},
    }
    fake_openai.script("chat", answer(wording))
    config = settings.model_copy(
        update={
            "ai_provider": "openai",
            "ai_api_key": API_KEY,
            "ai_base_url": fake_openai.base_url,
            "ai_timeout_seconds": 2,
        }
    )
    local = InsightsWording(
        strengths=[],
        improvements=[],
        recommendations=Recommendations(high_priority=[], medium_priority=[], low_priority=[]),
    )
    result = enrich(
        build_provider(config),
        "analysis_insights",
        EXAMPLE_VARIABLES["analysis_insights"],
        InsightsWording,
        lambda: local,
    )
    assert result.source == "openai" and result.value.recommendations.high_priority == ["Learn pandas"]
    sent_schema = fake_openai.requests_to("chat")[0].json["response_format"]["json_schema"]["schema"]
    assert sent_schema["properties"]["recommendations"]["required"] == [
        "high_priority",
        "medium_priority",
        "low_priority",
    ]


def test_optional_field_is_nullable_on_the_wire(fake_mistral: FakeMistral, settings: Settings) -> None:
    fake_mistral.script("chat", answer({"questions": [{"text": "Why SQL?", "kind": "technical", "skill": None}]}))
    config = settings.model_copy(
        update={
            "ai_provider": "mistral",
            "ai_api_key": API_KEY,
            "ai_base_url": fake_mistral.origin,
            "ai_timeout_seconds": 2,
        }
    )
    result = enrich(
        build_provider(config),
        "interview_questions",
        EXAMPLE_VARIABLES["interview_questions"],
        InterviewQuestions,
        lambda: InterviewQuestions(questions=[]),
    )
    assert result.source == "mistral" and result.value.questions[0].skill is None


# --- health --------------------------------------------------------------------------------------


def _no_secret(statuses: list[health.ProviderStatus], *secrets: str) -> bool:
    text = repr(statuses)
    return not any(secret in text for secret in secrets)


def test_health_local_only(settings: Settings) -> None:
    statuses = health.check(settings)
    assert [(s.name, s.kind, s.active, s.reachable) for s in statuses] == [
        ("local", "ai", True, None),
        ("mistral-ocr", "ocr", False, None),
    ]


def test_health_reachable_backend_lists_models(backend: Backend) -> None:
    [ai, ocr] = health.check(backend.settings)
    assert (ai.name, ai.active, ai.reachable) == (backend.name, True, True)
    assert "2 models" in ai.detail
    assert backend.fake.requests_to("models")[0].headers["authorization"] == f"Bearer {backend.fake.api_key}"
    assert ocr.active is (backend.name == "mistral")
    assert _no_secret([ai, ocr], API_KEY)


def test_health_reports_a_rejected_key_and_a_slow_server(backend: Backend) -> None:
    backend.fake.api_key = "expected-other-key"
    [ai, _] = health.check(backend.settings)
    assert ai.reachable is False and "HTTP 401" in ai.detail and _no_secret([ai], API_KEY, "expected-other-key")

    backend.fake.api_key = API_KEY if backend.name != "ollama" else "ollama"
    backend.fake.script("models", slow(10, error(500)))
    started = time.monotonic()
    [ai, _] = health.check(backend.settings)
    assert ai.reachable is False and "in time" in ai.detail
    assert time.monotonic() - started < 3.0


def test_health_shows_ocr_beside_another_ai_provider(
    fake_openai: FakeOpenAI, fake_mistral: FakeMistral, settings: Settings
) -> None:
    config = settings.model_copy(
        update={
            "ai_provider": "openai",
            "ai_api_key": API_KEY,
            "ai_base_url": fake_openai.base_url,
            "mistral_api_key": API_KEY,
            "mistral_base_url": fake_mistral.origin,
        }
    )
    [ai, ocr] = health.check(config)
    assert (ai.name, ai.reachable, ocr.name, ocr.active, ocr.reachable) == ("openai", True, "mistral-ocr", True, True)
    assert fake_mistral.requests_to("models") and fake_openai.requests_to("models")


def test_health_missing_key(settings: Settings) -> None:
    [ai, _] = health.check(settings.model_copy(update={"ai_provider": "gemini"}))
    assert (ai.active, ai.reachable) == (True, False) and "AI_API_KEY" in ai.detail


# --- strict structured outputs: the fake refuses what OpenAI refuses ---------------------------------------------

TASK_SCHEMAS = [InsightsWording, FlashcardsWording, InterviewQuestions, AnswerFeedbackWording, TavusContext,
                FieldWording]  # fmt: skip


def strict_request(fake: FakeOpenAI, schema: dict, *, strict: bool = True, name: str = "wording") -> object:
    client = openai.OpenAI(api_key=API_KEY, base_url=fake.base_url, max_retries=0, timeout=5)
    return client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}],
        response_format={"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": strict}},
    )  # type: ignore[call-overload]  # fmt: skip


def strict_object(**properties: dict) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def nested(depth: int) -> dict:
    node: dict = {"type": "string"}
    for _ in range(depth):
        node = strict_object(inner=node)
    return node


BROKEN_SCHEMAS = {
    "no additionalProperties": ({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                                "'additionalProperties' is required to be supplied and to be false"),
    "nested additionalProperties true": (strict_object(card={**strict_object(front={"type": "string"}),
                                                             "additionalProperties": True}),
                                         "In context=('properties', 'card'), 'additionalProperties'"),
    "optional property": ({**strict_object(a={"type": "string"}, b={"type": "string"}), "required": ["a"]},
                          "Missing 'b'"),
    "allOf": (strict_object(a={"allOf": [{"type": "string"}]}), "'allOf' is not permitted"),
    "oneOf": (strict_object(a={"oneOf": [{"type": "string"}]}), "'oneOf' is not permitted"),
    "default": (strict_object(a={"type": "string", "default": "x"}), "'default' is not permitted"),
    "minLength": (strict_object(a={"type": "string", "minLength": 1}), "'minLength' is not permitted"),
    "uniqueItems": (strict_object(a={"type": "array", "items": {"type": "string"}, "uniqueItems": True}),
                    "'uniqueItems' is not permitted"),
    "patternProperties": ({**strict_object(), "patternProperties": {"^x": {"type": "string"}}},
                          "'patternProperties' is not permitted"),
    "root anyOf": ({"anyOf": [strict_object(a={"type": "string"})]}, "type: \"object\""),
    "root array": ({"type": "array", "items": {"type": "string"}}, "got 'type: \"array\"'"),
    "too deep": (nested(11), "nested more than 10 levels"),
}


@pytest.mark.parametrize("case", list(BROKEN_SCHEMAS))
def test_the_fake_refuses_schemas_that_break_strict_mode_as_openai_does(fake_openai: FakeOpenAI, case: str) -> None:
    schema, words = BROKEN_SCHEMAS[case]
    fake_openai.script("chat", answer({"a": "x"}))
    with pytest.raises(openai.BadRequestError) as caught:
        strict_request(fake_openai, schema)
    refusal = caught.value
    assert refusal.status_code == 400 and refusal.type == "invalid_request_error"
    assert refusal.param == "response_format" and words in refusal.body["message"]
    assert refusal.body["message"].startswith("Invalid schema for response_format 'wording': ")
    assert strict_request(fake_openai, schema, strict=False).choices[0].message.content == '{"a": "x"}'


def test_the_fake_accepts_what_strict_mode_supports(fake_openai: FakeOpenAI) -> None:
    fake_openai.script("chat", answer({}))
    supported = {
        **strict_object(
            text={"type": "string", "description": "d", "pattern": "^[a-z]+$", "format": "email"},
            score={"type": "integer", "minimum": 0, "maximum": 100, "multipleOf": 1},
            tags={"type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "minItems": 1, "maxItems": 3},
            maybe={"anyOf": [{"type": "string"}, {"type": "null"}]},
            either={"type": ["string", "null"]},
            ref={"$ref": "#/$defs/card"},
            fixed={"const": "x"},
        ),
        "title": "T",
        "$defs": {"card": strict_object(front={"type": "string"})},
    }
    assert strict_request(fake_openai, supported).choices[0].finish_reason == "stop"
    assert strict_request(fake_openai, nested(9)).choices[0].finish_reason == "stop"


def test_the_fake_refuses_a_bad_schema_name(fake_openai: FakeOpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        strict_request(fake_openai, strict_object(), name="has spaces")
    assert caught.value.param == "response_format" and "json_schema.name" in caught.value.body["message"]


@pytest.mark.parametrize("schema", TASK_SCHEMAS, ids=lambda s: s.__name__)
def test_our_schemas_pass_strict_mode_and_the_plain_form_would_not(fake_openai: FakeOpenAI, schema: type) -> None:
    fake_openai.script("chat", answer({}))
    assert strict_request(fake_openai, wire_schema(schema, strict=True), name=schema.__name__).choices
    with pytest.raises(openai.BadRequestError) as caught:  # Gemini's form (no additionalProperties) is not strict
        strict_request(fake_openai, wire_schema(schema, strict=False), name=schema.__name__)
    assert "'additionalProperties' is required" in caught.value.body["message"]


def test_the_openai_provider_sends_strict_schemas_the_fake_accepts(backend: Backend) -> None:
    """Through the provider as the app calls it: a refused schema would fall back to local wording."""
    backend.fake.script("chat", answer(GOOD))
    result = backend.enrich()
    assert result.source == backend.name and result.value.feedback == GOOD["feedback"]
    sent = backend.chats[0].json["response_format"]
    if backend.name in ("openai", "ollama"):
        assert sent["json_schema"]["strict"] is True
        assert strict_problem(sent["json_schema"]) is None
