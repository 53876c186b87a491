"""Prompt templates live in `prompts/<name>.md`, so wording can change without touching code.

File format: free text describing the template (its variables), then a `## system` line and the system
message, then a `## user` line and the user message. Placeholders are `{variable}` (str.format syntax;
write `{{` and `}}` for literal braces). Lists and tuples are joined with ", " (sets sorted first); other values go
through str(). A variable the template needs but the caller did not pass is a programming error and
raises PromptError naming it, whichever provider is configured.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
_SYSTEM, _USER = "## system", "## user"


class PromptError(LookupError):
    """A template is missing, malformed, or was rendered without a variable it needs."""


@cache
def load(name: str) -> tuple[str, str]:
    """Return the (system, user) templates of prompts/<name>.md."""
    path = PROMPTS_DIR / f"{name}.md"
    if not name.isidentifier() or not path.is_file():
        raise PromptError(f"No prompt template named {name!r} in {PROMPTS_DIR}.")
    lines = path.read_text(encoding="utf-8").splitlines()
    try:
        system_at, user_at = lines.index(_SYSTEM), lines.index(_USER)
    except ValueError:
        raise PromptError(f"{path} needs a '{_SYSTEM}' line and a '{_USER}' line.") from None
    if user_at < system_at:
        raise PromptError(f"In {path} the '{_SYSTEM}' part must come before the '{_USER}' part.")
    return "\n".join(lines[system_at + 1 : user_at]).strip(), "\n".join(lines[user_at + 1 :]).strip()


def variables(name: str) -> set[str]:
    """The placeholder names template `name` uses."""
    return {field for part in load(name) for _, field, _, _ in string.Formatter().parse(part) if field}


def render(name: str, values: Mapping[str, Any]) -> tuple[str, str]:
    """Fill template `name` with `values` and return (system, user) messages."""
    missing = sorted(variables(name) - values.keys())
    if missing:
        raise PromptError(f"Prompt {name!r} needs {', '.join(missing)}; they were not given.")
    formatted = {key: _text(value) for key, value in values.items()}
    system, user = load(name)
    return system.format_map(formatted), user.format_map(formatted)


def _text(value: Any) -> str:
    if isinstance(value, set | frozenset):
        return ", ".join(sorted(str(item) for item in value))
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)
