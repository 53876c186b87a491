"""CPU and memory of a server's process (or its whole tree: parser workers included) and of the whole machine,
read from /proc."""

from __future__ import annotations

import os
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo += [int(child) for child in task.read_text().split()]
    return pids


def cpu_seconds(pid: int, *, whole_tree: bool = True) -> float:
    total = 0
    for p in tree(pid) if whole_tree else [pid]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError):
            continue
    return total / CLOCK_TICKS


def machine_busy_seconds() -> float:
    """CPU seconds all processes on this machine have used (every core), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def rss_mb(pid: int, *, whole_tree: bool = True) -> float:
    total = 0
    for p in tree(pid) if whole_tree else [pid]:
        try:
            line = next(ln for ln in Path(f"/proc/{p}/status").read_text().splitlines() if ln.startswith("VmRSS"))
            total += int(line.split()[1])
        except (OSError, StopIteration):
            continue
    return total / 1024
