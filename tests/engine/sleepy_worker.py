"""A worker for the pool's own tests: it sleeps for the seconds it is asked to, then answers its pid."""

from __future__ import annotations

import os
import time
from typing import Any

from core.engine import worker_pool


def _handle(header: dict[str, Any], _data: bytes) -> int:
    time.sleep(header["seconds"])
    return os.getpid()


if __name__ == "__main__":
    worker_pool.serve(_handle)
