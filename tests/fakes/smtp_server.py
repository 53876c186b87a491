"""A real SMTP server (aiosmtpd) on a free 127.0.0.1 port that keeps what it accepts, for mail tests."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

LINK = re.compile(r"/\?(reset|verify)=([\w-]+)")


@dataclass
class Inbox:
    port: int = 0
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def link(self, index: int = -1) -> tuple[str, str]:
        """(purpose, token) of the reset or verification link in a received message (the last by default)."""
        body = self.messages[index].get_payload(decode=True).decode()
        found = LINK.search(body)
        assert found, body
        return found.group(1), found.group(2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    inbox = Inbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
