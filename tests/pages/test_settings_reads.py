"""get_ctx() re-reads the settings only when the environment changed (they have no other source)."""

from __future__ import annotations

import pytest

from core.config import Settings
from core.ui import state


def test_settings_are_read_again_only_after_the_environment_changed(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PRICE_CV_ANALYSIS", "3")
    first = state._settings_json()
    assert Settings.model_validate_json(first).price_cv_analysis == 3
    assert state._settings_json() is first  # the same environment: the settings read before, not read again
    monkeypatch.setenv("PRICE_CV_ANALYSIS", "4")
    assert Settings.model_validate_json(state._settings_json()).price_cv_analysis == 4
