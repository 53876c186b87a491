"""What one rerun of each student page costs the server in CPU, with nobody else on it.

Usage: python benchmarks/rerun_cpu.py [--reruns 50] [--postgres]

Starts one replica (as benchmarks/crowd.py does), signs one student in with the Streamlit-protocol client, does
one journey so the pages have data (a CV, an analysis, cards, an interview), then reruns each page `--reruns`
times without a change (what any click on it costs before the click's own work) and prints the server's CPU
per rerun (its process tree, from /proc) and the wall time. The reruns go in 5 rounds and the lowest round's CPU
is printed beside the median: on a shared machine the lowest is the one least disturbed by other processes.
This is the floor under every step of the crowd benchmark: with the GIL, 1 core / (CPU per rerun) is the most
reruns per second one replica can serve.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import defaultdict

from crowd import Student, create_students, database, server_env
from proc_stats import cpu_seconds

from tests.e2e.harness import AppServer

ROUNDS = 5
PAGES = ("", "cvs", "job_match", "flashcards", "interviews", "progress", "wallet")


async def measure(base_url: str, email: str, pid: int, reruns: int) -> dict[str, tuple[float, float, float]]:
    record: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    student = Student(base_url, email, record, errors)
    await student.journey(0, 0, time.monotonic() + 1)  # one pass: data on every page
    if errors:
        raise RuntimeError(errors[0])
    results = {}
    for page in PAGES:
        await student.client.run(page=page)
        per_round, walls = max(1, reruns // ROUNDS), []
        cpus = []
        for _ in range(ROUNDS):
            cpu = cpu_seconds(pid)
            for _ in range(per_round):
                walls.append(await student.client.run())
            cpus.append((cpu_seconds(pid) - cpu) / per_round)
        results[page] = (min(cpus), statistics.median(cpus), statistics.median(walls))
    await student.client.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=50)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with database(args.postgres) as (folder, url):
        env = server_env(folder, url)
        email = create_students(env, 0)[0]
        with AppServer(env=env, log_path=folder / "server.log") as server:
            assert server.process is not None
            results = asyncio.run(measure(server.url, email, server.process.pid, args.reruns))
    print(f"rerun of a page, {'PostgreSQL' if args.postgres else 'SQLite'}, {args.reruns} reruns each:")
    for page, (lowest, median, wall) in results.items():
        print(f"  {page or 'dashboard':12} server CPU per rerun {lowest * 1000:4.0f} ms (lowest round), "
              f"{median * 1000:4.0f} ms (median round); wall p50 {wall * 1000:4.0f} ms")
    print(f"  mean over the pages: {statistics.mean(r[0] for r in results.values()) * 1000:.0f} ms (lowest rounds), "
          f"{statistics.mean(r[1] for r in results.values()) * 1000:.0f} ms (median rounds)")


if __name__ == "__main__":
    main()
