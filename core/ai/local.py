"""Providers with no model to ask.

`LOCAL_PROVIDER` is the default: enrich() sees the name "local" and uses the caller's own (engine) wording
without calling complete(). `NoModel` also stands in for a remote provider that is selected but missing its
key, so the app still starts and enrich() falls back with a note saying what to configure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from pydantic import BaseModel

from core.ai.base import LOCAL
from core.errors import AppError, ErrorCode


@dataclass(frozen=True)
class NoModel:
    name: str
    reason: str

    def complete(self, prompt_name: str, variables: Mapping[str, Any], schema: type[BaseModel]) -> NoReturn:
        raise AppError(ErrorCode.AI_SERVICE_ERROR, self.reason)


LOCAL_PROVIDER = NoModel(LOCAL, "No language model is configured (AI_PROVIDER=local); the built-in wording is used.")
