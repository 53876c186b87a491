"""Sending the few e-mails the app sends (password reset, address verification).

With SMTP settings the mail goes to that server; without them it is written to a local outbox folder (one
`.eml` file per message) that an admin reads on the Admin → Outbox page, so a pilot without a mail server
still works and nothing is silently dropped.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

from core.config import Settings
from core.errors import AppError, ErrorCode

OUTBOX_LIMIT = 50  # messages the admin page lists, newest first


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


def compose(settings: Settings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.mail_from, to, subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain="interviewprep.invalid")
    message.set_content(body)
    return message


@dataclass(frozen=True)
class SmtpMailer:
    settings: Settings

    def send(self, message: EmailMessage) -> None:
        s = self.settings
        host, timeout = s.smtp_host or "", s.smtp_timeout_seconds
        try:
            if s.smtp_security == "ssl":
                server: smtplib.SMTP = smtplib.SMTP_SSL(host, s.smtp_port, timeout=timeout,
                                                        context=ssl.create_default_context())  # fmt: skip
            else:
                server = smtplib.SMTP(host, s.smtp_port, timeout=timeout)
            with server:
                if s.smtp_security == "starttls":
                    server.starttls(context=ssl.create_default_context())
                if s.smtp_username:
                    server.login(s.smtp_username, s.smtp_password or "")
                server.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise AppError(ErrorCode.MAIL_ERROR) from exc


@dataclass(frozen=True)
class OutboxMailer:
    folder: Path

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        partial = self.folder / f".{name}.part"
        partial.write_bytes(message.as_bytes(policy=policy.SMTP))
        partial.replace(self.folder / name)  # whole messages only: a reader never sees half a file


def outbox_folder(settings: Settings) -> Path:
    return settings.data_dir / "outbox"


def mailer_for(settings: Settings) -> Mailer:
    return SmtpMailer(settings) if settings.smtp_host else OutboxMailer(outbox_folder(settings))


@dataclass(frozen=True)
class OutboxMessage:
    sent_at: datetime
    to: str
    subject: str
    body: str


def read_outbox(settings: Settings, limit: int = OUTBOX_LIMIT) -> list[OutboxMessage]:
    """The newest messages in the outbox folder (empty when SMTP is configured or nothing was sent)."""
    folder = outbox_folder(settings)
    files = sorted(folder.glob("*.eml"), reverse=True)[:limit] if folder.is_dir() else []
    messages = []
    for path in files:
        parsed = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        body = parsed.get_body(preferencelist=("plain",))
        messages.append(
            OutboxMessage(
                sent_at=datetime.strptime(path.name.split("-")[0], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC),
                to=str(parsed["To"]),
                subject=str(parsed["Subject"]),
                body=body.get_content() if body is not None else "",
            )
        )
    return messages
