"""Start-up warm-up: pay once per process, at server start, for what the first user would otherwise wait for.

A page's first view in a fresh process spends most of its time importing (Plotly, pandas, the services) and
loading shared data (the skills taxonomy, the role catalogue, the keyword background), not drawing. The server
calls `warm_up()` from its start-up hook, so every user, the first one included, meets a warm process.
"""

from __future__ import annotations

import ast
import gc
import importlib
import importlib.abc
import logging
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

log = logging.getLogger(__name__)
# Libraries that declare Streamlit components at import: imported outside a script run (here, in the server's
# lifespan) the remember-me cookie component stopped reading cookies after a reload, so they and every module
# that needs them wait for the first script run (they are light; the heavy ones are pandas and Plotly).
SCRIPT_RUN_ONLY = ("streamlit_authenticator", "extra_streamlit_components")
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


class _Refuse(importlib.abc.MetaPathFinder):
    """Makes importing the script-run-only libraries fail, so modules that need them are skipped, not half-loaded."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> None:
        if name.split(".")[0] in SCRIPT_RUN_ONLY:
            raise ImportError(f"{name} is imported on the first script run, not at warm-up")


@contextmanager
def _without_script_run_only() -> Iterator[None]:
    refuse = _Refuse()
    sys.meta_path.insert(0, refuse)
    try:
        yield
    finally:
        sys.meta_path.remove(refuse)


def _import_pages() -> int:
    """Import what the entry script and every page import; names that are not modules are skipped."""
    modules = set().union(*(_imported_modules(p) for p in [ENTRY_SCRIPT, *sorted(PAGES_DIR.glob("*.py"))]))
    loaded = 0
    with _without_script_run_only():
        for name in sorted(modules):
            try:
                importlib.import_module(name)
                loaded += 1
            except ImportError:  # a function named by `from package import function`, or a script-run-only need
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
    """Import every page's modules and load the shared data, then freeze it; returns the seconds it took.

    Streamlit runs a full garbage collection after every script run (`runner.postScriptGC`); over the ~300,000
    objects of a loaded process that is 0.2 s with the GIL held, per click, for every user. Freezing what the
    warm-up loaded (modules, taxonomy, catalogue: alive for the whole process) takes it out of those
    collections, which then only look at what sessions made since.
    """
    started = time.perf_counter()
    loaded = _import_pages()
    _load_shared_data()
    gc.collect()
    gc.freeze()
    took = time.perf_counter() - started
    log.info("warm-up: %d modules and the engine's shared data loaded in %.2f s", loaded, took)
    return took
