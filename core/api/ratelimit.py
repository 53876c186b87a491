"""A sliding one-minute window per key, in this process's memory.

Each replica counts on its own, so behind N replicas a token may make up to N times the limit; the limit
is there to stop a runaway script, not to meter paid use (credits do that).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

WINDOW_SECONDS = 60.0


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._hits: defaultdict[object, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, key: object) -> int | None:
        """Record a request for `key`; None when allowed, else whole seconds until one is allowed again."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - WINDOW_SECONDS:
                hits.popleft()
            if len(hits) >= self.per_minute:
                return max(1, int(hits[0] + WINDOW_SECONDS - now + 0.999))
            hits.append(now)
            return None
