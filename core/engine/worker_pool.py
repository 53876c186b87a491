"""Long-lived helper processes that run risky work (parsing untrusted files) with a hard time limit.

A fresh interpreter per file costs ~0.5 s of start-up, so workers are kept and reused; one that overruns
its budget, crashes or answers garbage is killed and never reused. Not multiprocessing: its children
re-import the parent's main script, which under Streamlit is app.py.

Wire format on the worker's stdin/stdout: the worker says "ready" once its imports are done; then per request
one JSON header line (with "size") and `size` raw bytes in, one JSON line out. `serve` is the worker side.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MAX_IDLE_WORKERS = 4
# A loaded machine can take seconds to start an interpreter; that must not eat into a file's parsing budget.
STARTUP_SECONDS = 60.0
READY = b"ready\n"


class WorkerTimeout(Exception):
    """The worker did not answer within its budget and was killed."""


class WorkerFailed(Exception):
    """The worker died or answered something that is not a reply."""


class _Worker:
    def __init__(self, module: str) -> None:
        self.module = module
        self.ready = False
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=PROJECT_ROOT,
        )

    def ask(self, header: dict[str, Any], data: bytes, timeout: float) -> Any:
        """Send one request; `timeout` covers the work only, not the interpreter's start-up."""
        if not self.ready:
            if self._read_line(time.monotonic() + STARTUP_SECONDS) != READY:
                raise WorkerFailed("worker did not start")
            self.ready = True
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps({**header, "size": len(data)}).encode() + b"\n" + data)
            self.proc.stdin.flush()
        except OSError as exc:
            raise WorkerFailed("worker is gone") from exc
        try:
            return json.loads(self._read_line(time.monotonic() + timeout))
        except ValueError as exc:
            raise WorkerFailed("unreadable reply") from exc

    def _read_line(self, deadline: float) -> bytes:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        line = bytearray()
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise WorkerTimeout
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise WorkerFailed("worker exited")
            line += chunk
        return bytes(line)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()


_idle: list[_Worker] = []
_lock = threading.Lock()


def run(module: str, header: dict[str, Any], data: bytes, timeout: float) -> Any:
    """Send one request to an idle worker of `module` (started if none is idle) and return its JSON reply."""
    worker = _take(module)
    try:
        reply = worker.ask(header, data, timeout)
    except WorkerFailed:
        worker.kill()
        worker = _Worker(module)  # an idle worker may have died quietly; give the request one fresh try
        try:
            reply = worker.ask(header, data, timeout)
        except (WorkerFailed, WorkerTimeout):
            worker.kill()
            raise
    except WorkerTimeout:
        worker.kill()
        raise
    _give_back(worker)
    return reply


def _take(module: str) -> _Worker:
    with _lock:
        for index, worker in enumerate(_idle):
            if worker.module == module:
                return _idle.pop(index)
    return _Worker(module)


def _give_back(worker: _Worker) -> None:
    with _lock:
        if len(_idle) < MAX_IDLE_WORKERS:
            _idle.append(worker)
            return
    worker.kill()


@atexit.register
def _stop_idle_workers() -> None:
    with _lock:
        while _idle:
            _idle.pop().kill()


def serve(handle: Callable[[dict[str, Any], bytes], Any]) -> None:
    """Worker side: answer requests on stdin until it closes."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(READY)
    stdout.flush()
    while header_line := stdin.readline():
        header = json.loads(header_line)
        data = stdin.read(header["size"])
        stdout.write(json.dumps(handle(header, data)).encode() + b"\n")
        stdout.flush()
