"""The parser pool is bounded: never more workers than its size, each under a memory limit, a short queue
and then SERVER_BUSY; workers are started before the first request."""

from __future__ import annotations

import io
import os
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.config import Settings
from core.engine import worker_pool
from core.engine.documents import extract_text, start_workers, wait_for_workers
from core.errors import AppError, ErrorCode

SLEEPER = "tests.engine.sleepy_worker"
DOCX_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>',
}


def huge_docx(paragraphs: int = 1_000_000) -> bytes:
    """10⁶ distinct paragraphs: 2.4 MB zipped, 38 MB unpacked (inside the zip-bomb limits), ~0.5 GB in lxml."""
    body = "".join(f"<w:p><w:r><w:t>w{i}</w:t></w:r></w:p>" for i in range(paragraphs))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in DOCX_PARTS.items():
            archive.writestr(name, part)
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            f'main"><w:body>{body}</w:body></w:document>',
        )
    return out.getvalue()


def workers_of(module: str, memory_mb: int) -> dict[int, int]:
    """pid -> resident KB of this process's live children running `module` under `memory_mb` (which tells
    one test's pool from the pools other tests left running)."""
    limit = f"{worker_pool.MEMORY_ENV}={memory_mb * 1024 * 1024}".encode()
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if "VmRSS" in fields and int(fields["PPid"]) == os.getpid() and module.encode() in cmdline and limit in environ:
            found[int(entry.name)] = int(fields["VmRSS"].split()[0])
    return found


def test_eight_huge_docx_uploads_run_on_at_most_the_pool_size_with_bounded_memory() -> None:
    settings = Settings(app_env="test", max_upload_mb=10, worker_pool_size=3, worker_memory_mb=321)
    start_workers(settings)
    data = huge_docx()
    peak_count, peak_kb, done = 0, 0, threading.Event()

    def watch() -> None:
        nonlocal peak_count, peak_kb
        while not done.is_set():
            children = workers_of("core.engine.documents", 321)
            peak_count, peak_kb = max(peak_count, len(children)), max(peak_kb, sum(children.values()))
            time.sleep(0.02)

    codes: list[str] = []

    def upload() -> None:
        try:
            extract_text(data, "cv.docx", settings)
            codes.append("read")
        except AppError as error:
            codes.append(str(error.code))

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.perf_counter()
    uploads = [threading.Thread(target=upload) for _ in range(8)]
    for thread in uploads:
        thread.start()
    for thread in uploads:
        thread.join()
    done.set()
    watcher.join()
    print(f"8 uploads in {time.perf_counter() - started:.1f} s: {codes}; peak {peak_count} workers, "
          f"{peak_kb / 1024:.0f} MB resident in workers")  # fmt: skip
    assert 0 < peak_count <= 3
    assert peak_kb <= 3 * 321 * 1024
    assert set(codes) <= {str(ErrorCode.DOCX_PROCESSING_ERROR), str(ErrorCode.SERVER_BUSY)}
    assert len(codes) == 8


@pytest.fixture
def sleepers() -> Iterator[worker_pool.Pool]:
    pool = worker_pool.Pool(SLEEPER, worker_pool.PoolConfig(size=1, memory_mb=256, queue_seconds=0.5, queue_max=1))
    pool.start()
    yield pool
    pool.stop()


def test_a_request_waits_for_a_busy_worker_then_is_told_the_server_is_busy(sleepers: worker_pool.Pool) -> None:
    first = threading.Thread(target=sleepers.run, args=({"seconds": 2.0}, b"", 10))
    first.start()
    time.sleep(0.8)  # the first request holds the only worker
    started = time.perf_counter()
    with pytest.raises(worker_pool.WorkerBusy):
        sleepers.run({"seconds": 0}, b"", 10)
    waited = time.perf_counter() - started
    assert 0.45 <= waited < 1.5  # it queued for the bound, not forever
    first.join()
    assert sleepers.run({"seconds": 0}, b"", 10) > 0  # the worker is free again


def in_thread(outcomes: list[str], work: Callable[[], object]) -> threading.Thread:
    """Run `work` in a started thread; append what it raised ("" when nothing) to `outcomes`."""

    def target() -> None:
        try:
            work()
            outcomes.append("")
        except (AppError, worker_pool.WorkerBusy) as error:
            outcomes.append(str(getattr(error, "code", type(error).__name__)))

    thread = threading.Thread(target=target)
    thread.start()
    return thread


def test_a_full_queue_refuses_at_once(sleepers: worker_pool.Pool) -> None:
    outcomes: list[str] = []
    holder = in_thread(outcomes, lambda: sleepers.run({"seconds": 1.5}, b"", 10))
    time.sleep(0.6)
    waiter = in_thread(outcomes, lambda: sleepers.run({"seconds": 0}, b"", 10))  # takes the one queue place
    time.sleep(0.1)
    started = time.perf_counter()
    with pytest.raises(worker_pool.WorkerBusy):
        sleepers.run({"seconds": 0}, b"", 10)
    assert time.perf_counter() - started < 0.1
    holder.join()
    waiter.join()
    assert sorted(outcomes) == ["", "WorkerBusy"]  # the waiter queued its 0.5 s, then was refused too


def test_a_timed_out_worker_is_replaced_and_the_pool_stays_at_its_size(sleepers: worker_pool.Pool) -> None:
    first = sleepers.run({"seconds": 0}, b"", 10)
    with pytest.raises(worker_pool.WorkerTimeout):
        sleepers.run({"seconds": 5}, b"", 0.2)
    second = sleepers.run({"seconds": 0}, b"", 10)
    assert second != first
    assert len(workers_of(SLEEPER, 256)) == 1


def test_busy_is_a_clear_code_for_the_user() -> None:
    settings = Settings(app_env="test", worker_pool_size=1, worker_queue_seconds=0, worker_queue_max=0)
    start_workers(settings)
    data = huge_docx()
    outcomes: list[str] = []
    slow = in_thread(outcomes, lambda: extract_text(data, "cv.docx", settings))
    time.sleep(0.05)  # the slow upload takes the only worker first
    refusal = None
    while refusal is None and slow.is_alive():  # ask again until refused: a loaded machine may start it late
        try:
            extract_text(huge_docx(paragraphs=20), "cv.docx", settings)
        except AppError as error:
            refusal = error
    slow.join()
    assert outcomes == [str(ErrorCode.DOCX_PROCESSING_ERROR)]
    assert refusal is not None and refusal.code == ErrorCode.SERVER_BUSY
    assert "try again in a moment" in refusal.message


def test_workers_are_started_before_the_first_request() -> None:
    settings = Settings(app_env="test", worker_pool_size=2, worker_memory_mb=300)
    start_workers(settings)
    assert len(workers_of("core.engine.documents", 300)) == 2
    wait_for_workers(settings)  # the server waits for this once, at start
    started = time.perf_counter()
    extract_text(huge_docx(paragraphs=20), "cv.docx", settings)
    elapsed = time.perf_counter() - started
    print(f"first upload after start-up: {elapsed * 1000:.0f} ms")
    assert elapsed < 0.5  # a cold worker takes over 1.5 s: interpreter start-up, then its warm-up


def test_queued_requests_are_served_first_come_first_served() -> None:
    fair = worker_pool.Pool(SLEEPER, worker_pool.PoolConfig(size=1, memory_mb=256, queue_seconds=10, queue_max=8))
    fair.start()
    order: list[int] = []

    def ask(tag: int) -> None:
        fair.run({"seconds": 0.2}, b"", 10)
        order.append(tag)

    threads = []
    for tag in range(4):
        threads.append(threading.Thread(target=ask, args=(tag,)))
        threads[-1].start()
        time.sleep(0.05)  # each arrives while the one worker is busy
    for thread in threads:
        thread.join()
    fair.stop()
    assert order == [0, 1, 2, 3]
