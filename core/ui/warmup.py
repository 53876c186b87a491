"""Start-up warm-up: pay once per process, at server start, for what the first user would otherwise wait for.

A page's first view in a fresh process spends most of its time importing (Plotly, pandas, the services) and
loading shared data (the skills taxonomy, the role catalogue, the keyword background), not drawing. The server
calls `warm_up()` from its start-up hook, so every user, the first one included, meets a warm process.
"""

from __future__ import annotations

import ast
import importlib
import logging
import time
from pathlib import Path

from streamlit.runtime.scriptrunner_utils import script_run_context

log = logging.getLogger(__name__)
# Libraries that touch st.session_state at import (streamlit-authenticator) warn once per call outside a script run.
SCRIPT_CONTEXT_LOG = logging.getLogger(script_run_context.__name__)
PAGES_DIR = Path(__file__).resolve().parents[2] / "app_pages"
ENTRY_SCRIPT = PAGES_DIR.parent / "app.py"


def _imported_modules(script: Path) -> set[str]:
    """Modules a page script imports at its top level (pages are run as scripts, so they cannot be imported)."""
    names: set[str] = set()
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _import_pages() -> int:
    """Import what the entry script and every page import; names that are not modules are skipped."""
    modules = set().union(*(_imported_modules(p) for p in [ENTRY_SCRIPT, *sorted(PAGES_DIR.glob("*.py"))]))
    loaded = 0
    for name in sorted(modules):
        try:
            importlib.import_module(name)
            loaded += 1
        except ImportError:  # `from package import function` names a function, not a module
            continue
    return loaded


def _load_shared_data() -> None:
    """Build the engine's per-process caches and the first Plotly figure (its validators load lazily)."""
    import plotly.graph_objects as go

    from core.engine import catalogue, keywords, roles, skills

    skills.taxonomy()
    roles.roles()
    keywords.warm()
    catalogue.all_jobs()
    go.Figure(go.Scatter(x=[0], y=[0])).to_json()


def warm_up() -> float:
    """Import every page's modules and load the shared data; returns the seconds it took."""
    started = time.perf_counter()
    quiet = logging.Filter("nothing")  # a filter survives Streamlit resetting its loggers' levels
    SCRIPT_CONTEXT_LOG.addFilter(quiet)
    try:
        loaded = _import_pages()
    finally:
        SCRIPT_CONTEXT_LOG.removeFilter(quiet)
    _load_shared_data()
    took = time.perf_counter() - started
    log.info("warm-up: %d modules and the engine's shared data loaded in %.2f s", loaded, took)
    return took
