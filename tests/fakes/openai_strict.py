"""OpenAI's strict-mode rules for a `json_schema` response_format, as its API enforces them before any model
runs (platform.openai.com/docs/guides/structured-outputs, "Supported schemas"): the root is an object, not
an anyOf; every object has `additionalProperties: false` and lists every property in `required`; only the
supported keywords appear; at most 10 levels of nesting, 5000 properties and 1000 enum values.

The messages follow the API's ("Invalid schema for response_format 'NAME': In context=(...), ..."), in its
error shape: 400 `invalid_request_error` with param `response_format`. The exact sentences are not documented;
tests must match on the keyword they name, not on the whole text.
"""

from __future__ import annotations

import re
from typing import Any

ANNOTATIONS = {"title", "description", "$comment"}
STRUCTURE = {"type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf",
             "$ref", "$defs", "definitions"}  # fmt: skip
BY_TYPE = {
    "string": {"pattern", "format"},
    "number": {"multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum"},
    "integer": {"multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum"},
    "array": {"minItems", "maxItems"},
}
MAX_DEPTH, MAX_PROPERTIES, MAX_ENUM_VALUES = 10, 5000, 1000
NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


class StrictSchemaError(ValueError):
    pass


def strict_problem(json_schema: Any) -> str | None:
    """Why OpenAI refuses this `response_format.json_schema` object in strict mode, or None."""
    if not isinstance(json_schema, dict) or not NAME.fullmatch(str(json_schema.get("name", ""))):
        return "Invalid 'response_format.json_schema.name': a string of a-z, A-Z, 0-9, underscores and dashes."
    name, schema = json_schema["name"], json_schema.get("schema")
    if not json_schema.get("strict"):
        return None
    try:
        _check_root(schema)
        count = _check(schema, (), 1)
    except StrictSchemaError as problem:
        return f"Invalid schema for response_format '{name}': {problem}"
    if count > MAX_PROPERTIES:
        return f"Invalid schema for response_format '{name}': more than {MAX_PROPERTIES} properties."
    return None


def _check_root(schema: Any) -> None:
    if not isinstance(schema, dict) or schema.get("type") != "object" or "anyOf" in schema:
        got = schema.get("type") if isinstance(schema, dict) else type(schema).__name__
        raise StrictSchemaError(f"schema must be a JSON Schema of 'type: \"object\"', got 'type: \"{got}\"'.")


def _check(node: Any, context: tuple[str, ...], depth: int) -> int:
    """Check one subschema and those under it; the number of properties they declare."""
    where = f"In context={context!r}, "
    if not isinstance(node, dict):
        raise StrictSchemaError(where + "schema must be an object.")
    if depth > MAX_DEPTH:
        raise StrictSchemaError(where + f"the schema is nested more than {MAX_DEPTH} levels deep.")
    types = node.get("type")
    allowed = STRUCTURE | ANNOTATIONS
    for kind in types if isinstance(types, list) else [types]:
        allowed |= BY_TYPE.get(str(kind), set())
    for keyword in node:
        if keyword not in allowed:
            raise StrictSchemaError(where + f"'{keyword}' is not permitted.")
    if len(node.get("enum") or []) > MAX_ENUM_VALUES:
        raise StrictSchemaError(where + f"an enum has more than {MAX_ENUM_VALUES} values.")
    count = 0
    if "properties" in node or types == "object" or (isinstance(types, list) and "object" in types):
        properties = node.get("properties") or {}
        if node.get("additionalProperties") is not False:
            raise StrictSchemaError(where + "'additionalProperties' is required to be supplied and to be false.")
        required = node.get("required", [])
        missing = [key for key in properties if not isinstance(required, list) or key not in required]
        if missing:
            raise StrictSchemaError(where + "'required' is required to be supplied and to be an array including "
                                    f"every key in properties. Missing '{missing[0]}'.")  # fmt: skip
        for key, sub in properties.items():
            count += 1 + _check(sub, (*context, "properties", key), depth + 1)
    if "items" in node:
        count += _check(node["items"], (*context, "items"), depth + 1)
    for index, sub in enumerate(node.get("anyOf") or []):
        count += _check(sub, (*context, "anyOf", str(index)), depth + 1)
    for section in ("$defs", "definitions"):
        for key, sub in (node.get(section) or {}).items():
            count += _check(sub, (*context, section, key), depth)
    return count
