"""The bundle of settings and backends every service function receives as `ctx`.

Backends are built lazily so a page that never touches S3, a model or Tavus never connects to them.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from core.config import Settings, get_settings
from core.db import Database

if TYPE_CHECKING:
    from core.ai.base import Provider
    from core.ai.transcribe import SpeechToText
    from core.integrations.payments import PaymentProvider
    from core.integrations.tavus import TavusClient
    from core.storage import Storage


class AppContext:
    def __init__(self, settings: Settings, db: Database | None = None) -> None:
        self.settings = settings
        self.db = db or Database(settings.database_url)

    @cached_property
    def storage(self) -> Storage:
        from core.storage import build_storage

        return build_storage(self.settings)

    @cached_property
    def ai(self) -> Provider:
        from core.ai import build_provider

        return build_provider(self.settings)

    @cached_property
    def speech(self) -> SpeechToText:
        from core.ai.transcribe import build_speech_to_text

        return build_speech_to_text(self.settings)

    @cached_property
    def tavus(self) -> TavusClient | None:
        from core.integrations.tavus import build_tavus

        return build_tavus(self.settings)

    @cached_property
    def payments(self) -> PaymentProvider:
        from core.integrations.payments import build_payment_provider

        return build_payment_provider(self.settings)


def default_context() -> AppContext:
    """Context from the environment, for the CLI and the app."""
    return AppContext(get_settings())
