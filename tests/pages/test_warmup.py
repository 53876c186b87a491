"""The server's start-up warm-up loads the heavy libraries (and freezes them out of the per-run garbage collection)
but leaves the component-declaring ones to a script run."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.e2e.harness import ROOT

PROBE = """
import gc
import json, sys
from core.ui.warmup import warm_up
warm_up()
print(json.dumps({"frozen": gc.get_freeze_count() > 100_000} | {name: name in sys.modules for name in
                  ["pandas", "plotly.graph_objects", "core.student.analyses", "core.coaching.dashboard",
                   "streamlit_authenticator", "extra_streamlit_components", "core.ui.auth"]}))
"""


def test_warm_up_loads_and_freezes_heavy_modules_and_defers_the_cookie_component():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == {"frozen": True, "pandas": True, "plotly.graph_objects": True, "core.student.analyses": True,
                      "core.coaching.dashboard": True, "streamlit_authenticator": False,
                      "extra_streamlit_components": False, "core.ui.auth": False}  # fmt: skip
