"""One wall-clock deadline and one size cap for a call to an outside service, across all its retries.

The SDKs' own time-outs are per socket operation: a server dripping a byte every 0.5 s never trips a 2-s
read time-out, and a 20-MB answer is read whole. So every provider call runs inside `limit(seconds,
max_bytes)`, and the HTTP clients built here consult that limit on every socket operation:

- `httpx_client()` / `httpx2_client()` (for the openai and mistralai SDKs): the connection pool's network
  backend bounds each connect, read and write by the time left, counts the bytes read, and answers a
  `Retry-After` longer than the time left as if none were given, so the SDK's retries stay inside the limit;
- `requests_session()` (Tavus, Razorpay's SDK): reads the body in chunks with the socket time-out set to the
  time left before each one, and stops at the cap.

Limits nest: an inner one never ends after the outer one (an analysis's AI budget covers its two calls).
Outside any limit the clients behave as the libraries do.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import requests
from requests.adapters import HTTPAdapter

READ_CHUNK = 64 * 1024
TOO_LARGE = "the answer was larger than the size limit"


@dataclass
class Budget:
    """What a `limit` block may still spend. After a failure, `expired` and `overflowed` say which limit
    ended the call (the SDKs wrap the clients' errors in their own)."""

    deadline: float  # time.monotonic()
    bytes_left: float  # inf when uncapped
    overflowed: bool = False

    def seconds_left(self) -> float:
        return self.deadline - time.monotonic()

    @property
    def expired(self) -> bool:
        return self.seconds_left() <= 0

    def spend(self, size: int) -> bool:
        """Count `size` bytes read; False (and `overflowed`) once the cap is passed."""
        self.bytes_left -= size
        self.overflowed = self.overflowed or self.bytes_left < 0
        return not self.overflowed


_current: ContextVar[Budget | None] = ContextVar("deadline_budget", default=None)


@contextmanager
def limit(seconds: float, max_bytes: int | None = None) -> Iterator[Budget]:
    """Run the block under a deadline `seconds` from now (never later than an enclosing one) and, when given,
    a cap on the bytes it reads from the network."""
    outer = _current.get()
    deadline = time.monotonic() + seconds
    if outer is not None:
        deadline = min(deadline, outer.deadline)
    budget = Budget(deadline, float("inf") if max_bytes is None else max_bytes)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def describe(budget: Budget, service: str, seconds: float, max_bytes: int) -> str | None:
    """The sentence for a call this budget ended (None when neither limit did)."""
    if budget.overflowed:
        return f"{service} sent an answer larger than {max_bytes / 1048576:g} MB, so it was cut off."
    if budget.expired:
        return f"{service} did not answer in time ({seconds:g} s)."
    return None


# --- httpx / httpx2 (openai, mistralai) ------------------------------------------------------------------


def _bounded(timeout: float | None, timeout_error: type[Exception]) -> float | None:
    budget = _current.get()
    if budget is None:
        return timeout
    left = budget.seconds_left()
    if left <= 0:
        raise timeout_error("the call's deadline has passed")
    return left if timeout is None else min(timeout, left)


class _Stream:
    """A network stream whose every operation is bounded by the current limit."""

    def __init__(self, inner: Any, core: ModuleType) -> None:
        self._inner = inner
        self._core = core

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self._inner.read(max_bytes, _bounded(timeout, self._core.ReadTimeout))
        budget = _current.get()
        if budget is not None and not budget.spend(len(data)):
            raise self._core.ReadError(TOO_LARGE)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, self._core.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        bounded = _bounded(timeout, self._core.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, bounded), self._core)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend:
    """A network backend whose connections are bounded by the current limit."""

    def __init__(self, inner: Any, core: ModuleType) -> None:
        self._inner = inner
        self._core = core

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, **options: Any) -> _Stream:
        bounded = _bounded(timeout, self._core.ConnectTimeout)
        return _Stream(self._inner.connect_tcp(host, port, bounded, **options), self._core)

    def connect_unix_socket(self, path: str, timeout: float | None = None, **options: Any) -> _Stream:
        bounded = _bounded(timeout, self._core.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, bounded, **options), self._core)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _Transport:
    """An httpx transport around the library's own: a Retry-After beyond the deadline is dropped, so the
    SDK falls back to its short back-off and its next try fails at once instead of sleeping past the end."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def handle_request(self, request: Any) -> Any:
        response = self._inner.handle_request(request)
        budget = _current.get()
        if budget is not None:
            for name in ("retry-after", "retry-after-ms"):
                value = response.headers.get(name)
                seconds = _float(value) / (1000 if name.endswith("ms") else 1) if value else 0.0
                if seconds >= budget.seconds_left():
                    response.headers.pop(name, None)
        return response

    def close(self) -> None:
        self._inner.close()

    def __enter__(self) -> _Transport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _float(value: str) -> float:
    """A Retry-After in seconds (an HTTP date counts as far away)."""
    try:
        return float(value)
    except ValueError:
        return float("inf")


def _client(httpx: ModuleType, core: ModuleType) -> Any:
    inner = httpx.HTTPTransport()
    pool = inner._pool  # the library's connection pool; only its network backend is swapped
    pool._network_backend = _Backend(pool._network_backend, core)
    return httpx.Client(transport=_Transport(inner), timeout=None)


def httpx_client() -> Any:
    """An httpx.Client for the openai SDK (`http_client=`)."""
    import httpcore
    import httpx

    return _client(httpx, httpcore)


def httpx2_client() -> Any:
    """An httpx2.Client for the mistralai SDK (`client=`)."""
    import httpcore2
    import httpx2

    return _client(httpx2, httpcore2)


# --- requests (Tavus, Razorpay) ------------------------------------------------------------------------


class _DeadlineAdapter(HTTPAdapter):
    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None, **kwargs: Any):  # type: ignore[override]
        budget = _current.get()
        if budget is None:
            return super().send(request, stream=stream, timeout=timeout, **kwargs)
        left = budget.seconds_left()
        if left <= 0:
            raise requests.Timeout("the call's deadline has passed")
        response = super().send(request, stream=True, timeout=(left, left), **kwargs)
        try:
            response._content = b"".join(_chunks(response, budget))
        except BaseException:
            response.close()
            raise
        response._content_consumed = True
        response.close()
        return response


def _chunks(response: requests.Response, budget: Budget) -> Iterator[bytes]:
    """The body, chunk by chunk, each read bounded by the time left and all of them by the byte cap."""
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)
    while True:
        left = budget.seconds_left()
        if left <= 0:
            raise requests.Timeout("the call's deadline has passed")
        if sock is not None:
            sock.settimeout(left)
        try:
            chunk = response.raw.read1(READ_CHUNK, decode_content=True)
        except Exception as exc:  # urllib3's read errors, raised as requests would raise them
            if "timed out" in str(exc).lower():
                raise requests.Timeout(str(exc)) from exc
            raise requests.ConnectionError(str(exc)) from exc
        if not chunk:
            return
        if not budget.spend(len(chunk)):
            raise requests.ConnectionError(TOO_LARGE)
        yield chunk


def requests_session() -> requests.Session:
    """A requests.Session whose calls inside a `limit` keep to its deadline and size cap."""
    session = requests.Session()
    adapter = _DeadlineAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
