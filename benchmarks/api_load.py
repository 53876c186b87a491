"""Speed of the HTTP API: `/analyze-resume` with a two-page PDF against one running server on loopback.

Usage: python benchmarks/api_load.py [--requests 40] [--clients 20] [--seconds 30] [--postgres]

1. Sequential: p50/p95 of the server time (the `Server-Timing`-free way: the client's round trip on loopback,
   which on 127.0.0.1 is the server's time plus well under a millisecond) over --requests calls.
2. Crowd: --clients concurrent clients, each with its own student and token, calling for --seconds; prints
   p50/p95, errors by status, and checks the ledger afterwards (charges = successful calls, balance = ledger).
Targets (#15): p50 ≤ 150 ms; 20 clients for 30 s: no errors, p95 ≤ 1 s, nothing lost in the ledger.
The crowd line also prints CPU per call: the web process, its parser workers, and this client (all on the
same 2 cores, so a busy machine shows up there), and the load average, to tell a slow server from a busy box.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pypdfium2
import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.access import Role  # noqa: E402
from core.accounts import tokens, users  # noqa: E402
from core.billing import grants, ledger  # noqa: E402
from core.config import Settings  # noqa: E402
from core.context import AppContext  # noqa: E402
from tests.e2e.harness import AppServer, cli, throwaway_env  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from proc_stats import cpu_seconds  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
JD = (CORPUS / "jds" / "05_data_analyst.txt").read_text()
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def two_page_pdf() -> bytes:
    """The first two pages of a real three-page corpus CV (written by LibreOffice, not by us)."""
    source = pypdfium2.PdfDocument(CORPUS / "resumes" / "06_hannah_weiss.pdf")
    target = pypdfium2.PdfDocument.new()
    target.import_pages(source, [0, 1])
    with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
        target.save(out.name)
        return Path(out.name).read_bytes()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def call(url: str, token: str, pdf: bytes) -> tuple[int, float]:
    unique = pdf + f"\n% {uuid.uuid4()}\n".encode()  # a different file each time: no stored parse is reused
    started = time.perf_counter()
    headers = {"Authorization": f"Bearer {token}"}
    files = {"resume": ("cv.pdf", unique)}
    response = requests.post(url + "/analyze-resume", headers=headers, files=files, data={"job_description": JD},
                             timeout=60)  # fmt: skip
    return response.status_code, (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    pdf = two_page_pdf()
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        env = throwaway_env(workdir) | {"API_RATE_LIMIT_PER_MINUTE": "100000"}
        database = None
        if args.postgres:
            database = f"ip_bench_{uuid.uuid4().hex[:8]}"
            with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{database}"'))
            env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + f"/{database}"
        cli(env, "migrate")
        ctx = AppContext(Settings(**{key.lower(): value for key, value in env.items()}))
        admin = users.create_user(ctx, email="bench-admin@example.com", name="Bench Admin",
                                  password="Bench-pass-2026", role=Role.ADMIN)  # fmt: skip

        def student() -> tuple[object, str]:
            tag = uuid.uuid4().hex[:8]
            actor = users.create_user(ctx, email=f"bench-{tag}@example.com", name=f"Bench {tag}",
                                      password="Bench-pass-2026", role=Role.STUDENT)  # fmt: skip
            grants.grant(ctx, admin, email=f"bench-{tag}@example.com", credits=10_000, reason="benchmark")
            return actor, tokens.create_token(ctx, actor, "bench", 30)[1]

        with AppServer(env, workdir / "server.log") as server:
            _, token = student()
            call(server.url, token, pdf)  # warm-up: the first call loads the taxonomy and starts a parser
            times = [call(server.url, token, pdf)[1] for _ in range(args.requests)]
            print(f"sequential  n={len(times)}  p50 {statistics.median(times):.0f} ms  "
                  f"p95 {percentile(times, 0.95):.0f} ms  (target p50 ≤ 150 ms)")  # fmt: skip

            clients = [student() for _ in range(args.clients)]
            before = {id(actor): ledger.balance(ctx, actor) for actor, _ in clients}  # type: ignore[arg-type]
            results: list[tuple[int, float]] = []
            stop_at = time.monotonic() + args.seconds

            def run(token: str) -> None:
                while time.monotonic() < stop_at:
                    results.append(call(server.url, token, pdf))

            threads = [threading.Thread(target=run, args=(tok,)) for _, tok in clients]
            assert server.process is not None
            pid = server.process.pid
            web, everything, client = cpu_seconds(pid, whole_tree=False), cpu_seconds(pid), time.process_time()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            web, workers = cpu_seconds(pid, whole_tree=False) - web, cpu_seconds(pid) - everything
            workers, client = workers - web, time.process_time() - client
            ok = [ms for status, ms in results if status == 200]
            statuses = Counter(status for status, _ in results)
            spent = sum(before[id(actor)] - ledger.balance(ctx, actor) for actor, _ in clients)  # type: ignore[arg-type]
            print(f"{args.clients} clients × {args.seconds:.0f} s  calls {len(results)}  ok {len(ok)}  "
                  f"statuses {dict(statuses)}  p50 {statistics.median(ok):.0f} ms  p95 {percentile(ok, 0.95):.0f} ms"
                  f"  (target p95 ≤ 1000 ms, no errors)")  # fmt: skip
            per_call = {name: 1000 * seconds / max(1, len(results))
                        for name, seconds in (("web process", web), ("workers", workers), ("client", client))}
            print("CPU per call: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in per_call.items())
                  + f"  (load average {os.getloadavg()[0]:.1f})")  # fmt: skip
            print(f"ledger: credits spent {spent}, successful calls {len(ok)} -> "
                  f"{'intact' if spent == len(ok) * ctx.settings.price_cv_analysis else 'MISMATCH'}")  # fmt: skip
        ctx.db.dispose()
        if database:
            with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
