"""A fixed-size pool of long-lived helper processes that run risky work (parsing untrusted input) with a hard
time limit and a memory limit each.

A fresh interpreter per file costs ~0.5 s of start-up, so workers are started once (`Pool.start`, at server
start) and reused; one that overruns its budget, crashes or answers garbage is killed and replaced. The pool
never holds more than `size` workers, so N hostile uploads cost at most `size` × `memory_mb`; a request that
finds them all busy waits in a bounded queue (at most `queue_max` waiting, each at most `queue_seconds`)
and is then told the server is busy (`WorkerBusy`). Not multiprocessing: its children re-import the parent's
main script, which under Streamlit is app.py.

Wire format on the worker's stdin/stdout: the worker says "ready" once its imports are done; then per request
one JSON header line (with "size") and `size` raw bytes in, one JSON line out. `serve` is the worker side.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import resource
import select
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# A loaded machine can take seconds to start an interpreter; that must not eat into a file's parsing budget.
STARTUP_SECONDS = 60.0
READY = b"ready\n"
MEMORY_ENV = "INTERVIEWPREP_WORKER_MEMORY_BYTES"


class WorkerTimeout(Exception):
    """The worker did not answer within its budget and was killed."""


class WorkerFailed(Exception):
    """The worker died or answered something that is not a reply."""


class WorkerBusy(Exception):
    """Every worker stayed busy for the whole queue wait, or the queue was full."""


@dataclass(frozen=True)
class PoolConfig:
    """How many workers, how much memory each may map, and how long and how many requests may queue."""

    size: int
    memory_mb: int
    queue_seconds: float
    queue_max: int


class _Worker:
    def __init__(self, module: str, memory_mb: int) -> None:
        self.module = module
        self.ready = False
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=PROJECT_ROOT,
            env={**os.environ, MEMORY_ENV: str(memory_mb * 1024 * 1024)},
        )

    def wait_ready(self, seconds: float = STARTUP_SECONDS) -> None:
        """Wait until the worker has imported and warmed up (its "ready" line)."""
        if not self.ready:
            if self._read_line(time.monotonic() + seconds) != READY:
                raise WorkerFailed("worker did not start")
            self.ready = True

    def ask(self, header: dict[str, Any], data: bytes, timeout: float) -> Any:
        """Send one request; `timeout` covers the work only, not the interpreter's start-up."""
        self.wait_ready()
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
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()


@dataclass
class _Waiter:
    """A request queued for a worker: handed a worker, or a free slot to start one in, then woken."""

    woken: threading.Event = field(default_factory=threading.Event)
    worker: _Worker | None = None
    slot: bool = False


class Pool:
    """At most `config.size` workers of one module; see the module docstring. Queued requests are served
    first come, first served: a freed worker is handed to the oldest waiter, never to a newcomer."""

    def __init__(self, module: str, config: PoolConfig) -> None:
        self.module = module
        self.config = config
        self._idle: list[_Worker] = []
        self._alive = 0  # idle + busy (+ slots handed to a waiter that is starting its worker)
        self._waiters: deque[_Waiter] = deque()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start every worker now (their imports run in parallel), so no request pays interpreter start-up."""
        while True:
            with self._lock:
                if self._alive >= self.config.size:
                    return
                self._alive += 1
            self._give(self._spawn())

    def wait_ready(self) -> None:
        """Wait for the idle workers to finish starting (at server start, so a first upload does not)."""
        with self._lock:  # taken out of the idle list meanwhile: one thread at a time reads a worker's pipe
            starting = [worker for worker in self._idle if not worker.ready]
            self._idle = [worker for worker in self._idle if worker.ready]
        for worker in starting:
            with contextlib.suppress(WorkerFailed, WorkerTimeout):  # its first request then replaces it
                worker.wait_ready()
            self._give(worker)

    def run(self, header: dict[str, Any], data: bytes, timeout: float) -> Any:
        """Send one request to a free worker and return its JSON reply."""
        worker = self._acquire()
        try:
            try:
                reply = worker.ask(header, data, timeout)
            except WorkerFailed:  # an idle worker may have died quietly; give the request one fresh try
                worker.kill()
                worker = self._spawn()
                reply = worker.ask(header, data, timeout)
        except BaseException:  # timed out, failed twice, or interrupted mid-request: its state is unknown
            self._replace(worker)
            raise
        self._give(worker)
        return reply

    def stop(self) -> None:
        """Kill the idle workers (busy ones are killed by their request's end or the interpreter's exit)."""
        with self._lock:
            while self._idle:
                self._idle.pop().kill()
                self._alive -= 1

    def _spawn(self) -> _Worker:
        return _Worker(self.module, self.config.memory_mb)

    def _acquire(self) -> _Worker:
        with self._lock:
            if self._idle and not self._waiters:
                return self._idle.pop()
            if self._alive < self.config.size and not self._waiters:
                self._alive += 1  # a slot not started yet (no `start`) or freed by a failed replacement
                return self._spawn_in_slot()
            if len(self._waiters) >= self.config.queue_max:
                raise WorkerBusy
            waiter = _Waiter()
            self._waiters.append(waiter)
        waiter.woken.wait(self.config.queue_seconds)
        with self._lock:
            if waiter.worker is None and not waiter.slot:
                self._waiters.remove(waiter)
                raise WorkerBusy
        return waiter.worker or self._spawn_in_slot()

    def _spawn_in_slot(self) -> _Worker:
        try:
            return self._spawn()
        except BaseException:
            self._free_slot()
            raise

    def _give(self, worker: _Worker) -> None:
        """A worker is free: to the oldest waiter, else to the idle list."""
        with self._lock:
            if self._waiters:
                waiter = self._waiters.popleft()
                waiter.worker = worker
                waiter.woken.set()
            else:
                self._idle.append(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its successor in the same slot, ready for the next request."""
        worker.kill()
        try:
            fresh = self._spawn()
        except OSError:
            self._free_slot()
            return
        self._give(fresh)

    def _free_slot(self) -> None:
        """A slot lost its worker: the oldest waiter may start one in it, else the pool shrinks by one."""
        with self._lock:
            if self._waiters:
                waiter = self._waiters.popleft()
                waiter.slot = True
                waiter.woken.set()
            else:
                self._alive -= 1


_pools: dict[tuple[str, PoolConfig], Pool] = {}
_pools_lock = threading.Lock()


def pool(module: str, config: PoolConfig) -> Pool:
    """The one pool of `module` workers under `config` (created on first use)."""
    with _pools_lock:
        found = _pools.get((module, config))
        if found is None:
            found = _pools[(module, config)] = Pool(module, config)
        return found


@atexit.register
def _stop_pools() -> None:
    with _pools_lock:
        for each in _pools.values():
            each.stop()


def serve(handle: Callable[[dict[str, Any], bytes], Any]) -> None:
    """Worker side: cap this process's address space, then answer requests on stdin until it closes."""
    limit = int(os.environ.get(MEMORY_ENV) or 0)
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # an allocation past it is a MemoryError
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(READY)
    stdout.flush()
    while header_line := stdin.readline():
        header = json.loads(header_line)
        data = stdin.read(header["size"])
        stdout.write(json.dumps(handle(header, data)).encode() + b"\n")
        stdout.flush()
