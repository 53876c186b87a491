#!/usr/bin/env python3
"""The project's two commands, needing only Python 3.11+:

    python3 run.py         install into .venv, migrate, seed demo data when the database is empty, start the server
                           (server.py: the Streamlit app plus /health, /ready, /analyze-resume, webhooks)
    python3 run.py test    install dev dependencies into .venv, then ruff, the import contracts (lint-imports),
                           mypy and the whole test suite; the first that fails stops the command

Extra arguments after `test` go to pytest (e.g. `python3 run.py test -k wallet`).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _requirements_digest(requirements: Path) -> str:
    digest = hashlib.sha256()
    for path in (requirements, ROOT / "requirements.txt"):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_venv(requirements: Path) -> None:
    """Create .venv and install `requirements` into it, only when they changed since the last install."""
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by an older system Python
        sys.exit("InterviewPrep needs Python 3.11 or newer.")
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = VENV / f".installed-{requirements.stem}"
    wanted = _requirements_digest(requirements)
    if stamp.exists() and stamp.read_text() == wanted:
        return
    print(f"Installing {requirements.name} ...", flush=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements],
                   check=True)
    stamp.write_text(wanted)


def run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT)


def serve() -> None:
    ensure_venv(ROOT / "requirements.txt")
    run(PYTHON, "-m", "core.cli", "migrate")
    run(PYTHON, "-m", "core.cli", "seed-demo", "--if-empty")
    port = os.environ.get("PORT", "8501")
    os.chdir(ROOT)
    command = [str(PYTHON), "-m", "streamlit", "run", "server.py", "--server.port", port]
    os.execv(PYTHON, command)  # noqa: S606 - replace this process with the server; the arguments are ours


def test(pytest_args: list[str]) -> None:
    ensure_venv(ROOT / "requirements-dev.txt")
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON.parent / "lint-imports")  # the contracts in pyproject.toml: the engine stays pure, layers hold
    run(PYTHON, "-m", "mypy")  # files and options in pyproject.toml
    run(PYTHON, "-m", "pytest", "-n", "auto", "--dist", "loadfile", *pytest_args)


def main() -> None:
    command, *rest = sys.argv[1:] or ["app"]
    try:
        if command == "app":
            serve()
        elif command == "test":
            test(rest)
        else:
            sys.exit(__doc__)
    except subprocess.CalledProcessError as failed:
        sys.exit(failed.returncode)


if __name__ == "__main__":
    main()
