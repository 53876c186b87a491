"""A loopback HTTP server that answers every request the hostile ways a provider can: `drip` sends a 200
with a JSON content type and then one byte every 0.5 s; `flood` sends a 20 MB body as fast as it can.
It speaks plain HTTP/1.1, so every client (httpx, httpx2, requests) reads it as it would a real service."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal

Mode = Literal["drip", "flood"]
FLOOD_BYTES = 20 * 1024 * 1024
DRIP_SECONDS = 0.5


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests += 1
        size = FLOOD_BYTES if self.server.mode == "flood" else 100_000
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        try:
            if self.server.mode == "flood":
                megabyte = b" " * (1024 * 1024)
                for _ in range(size // len(megabyte)):
                    self.wfile.write(megabyte)
                return
            for _ in range(size):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(DRIP_SECONDS)
        except OSError:  # the client gave up, as it should
            return

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: object) -> None:
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    mode: Mode
    requests: int


@contextmanager
def hostile_server(mode: Mode) -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.mode, server.requests = mode, 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def origin(server: _Server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"
