"""Admin → Providers: which AI, OCR, storage, video, payment and sign-in backends are active, and whether they answer.

Each check is one cheap call with a short time-out; they run in parallel under one overall deadline, so a
dead backend costs the page a few seconds at most. Details never contain a key, a secret or a response body.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.access import Actor, Role, require_role
from core.accounts import sso
from core.ai import health as ai_health
from core.ai.health import ProviderStatus
from core.config import Settings
from core.context import AppContext
from core.errors import AppError

log = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 5.0
DEADLINE_SECONDS = 8.0


def _storage(settings: Settings) -> ProviderStatus:
    from core.storage import build_storage

    name = settings.storage_backend
    try:
        return ProviderStatus(name, "storage", True, True, f"Reachable: {build_storage(settings).health()}.")
    except AppError as error:
        return ProviderStatus(name, "storage", True, False, error.message)


def _tavus(settings: Settings) -> ProviderStatus:
    from core.integrations.tavus import build_tavus

    client = build_tavus(settings.model_copy(update={"tavus_timeout_seconds": CHECK_TIMEOUT_SECONDS}))
    if client is None:
        return ProviderStatus("tavus", "video", False, None,
                              "Off: video interviews are hidden. Set TAVUS_API_KEY to offer them.")  # fmt: skip
    default = (settings.tavus_persona_id, settings.tavus_replica_id)
    roles = [(p.persona_id, p.replica_id or settings.tavus_replica_id) for p in settings.tavus_personas.values()]
    result = client.health([pair for pair in (default, *roles) if any(pair)])
    return ProviderStatus("tavus", "video", True, result.ok, result.detail)


def _payments(settings: Settings) -> ProviderStatus:
    from core.integrations.payments import REFUSED, build_payment_provider

    try:
        provider = build_payment_provider(settings)
    except AppError as error:
        return ProviderStatus(settings.payment_provider, "payments", True, False, error.message)
    if provider.name == "demo":
        return ProviderStatus("demo", "payments", True, None,
                              "Demo checkout: purchases are credited at once and marked demo.")  # fmt: skip
    # Payment Links have no free "ping"; fetching an unknown link gets an answer without touching money.
    try:
        provider.fetch("plink_health_check")
    except AppError as error:
        if error.details.get("keys_refused"):  # a 401, whatever its wording
            return ProviderStatus(provider.name, "payments", True, False, "Answered, but refused the keys.")
        if error.message == REFUSED:  # e.g. "The id provided does not exist": the keys were accepted
            return ProviderStatus(provider.name, "payments", True, True, "Reachable; keys accepted.")
        return ProviderStatus(provider.name, "payments", True, False, error.message)
    return ProviderStatus(provider.name, "payments", True, True, "Reachable; keys accepted.")


CHECKS: tuple[tuple[str, str, Callable[[Settings], list[ProviderStatus] | ProviderStatus]], ...] = (
    ("ai", "ai", ai_health.check),
    ("storage", "storage", _storage),
    ("tavus", "video", _tavus),
    ("payments", "payments", _payments),
)


def _sign_in(provider: sso.Provider) -> Callable[[Settings], ProviderStatus]:
    """An OIDC provider answers when its discovery document does (st.login fetches it on every sign-in)."""

    def check(_: Settings) -> ProviderStatus:
        problem = sso.discovery_problem(provider, timeout=CHECK_TIMEOUT_SECONDS)
        domains = ", ".join(f"@{domain}" for domain in provider.allowed_domains)
        detail = (problem or "Discovery document answers.") + (f" Open to {domains} only." if domains else "")
        return ProviderStatus(f"{provider.label} ({provider.name})", "sign-in", True, problem is None, detail)

    return check


def check_all(ctx: AppContext, actor: Actor, sign_in: Sequence[sso.Provider] = ()) -> list[ProviderStatus]:
    """Admin only: one row per backend, then per OIDC provider in `sign_in`, in order, within DEADLINE_SECONDS."""
    require_role(actor, Role.ADMIN)
    checks = [*CHECKS, *((p.name, "sign-in", _sign_in(p)) for p in sign_in)]
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="health")
    futures = [pool.submit(check, ctx.settings) for _, _, check in checks]
    wait(futures, timeout=DEADLINE_SECONDS)
    pool.shutdown(wait=False, cancel_futures=True)  # a hung backend must not hold the page
    rows: list[ProviderStatus] = []
    for (name, kind, _), future in zip(checks, futures, strict=True):
        if not future.done():
            rows.append(ProviderStatus(name, kind, True, False, f"No answer within {DEADLINE_SECONDS:g} s."))
            continue
        try:
            result = future.result()
        except Exception as exc:  # the admin page must render whatever a backend does
            log.exception("health check %s failed", name)
            rows.append(ProviderStatus(name, kind, True, False, f"The check failed ({type(exc).__name__})."))
            continue
        rows.extend(result if isinstance(result, list) else [result])
    return rows


@dataclass(frozen=True)
class HealthSummary:
    """What the page may claim: only rows that were really asked count as answering."""

    checked: int
    answered: int
    failing: list[str]
    not_checked: list[str]

    @property
    def sentence(self) -> str:
        skipped = (f" {len(self.not_checked)} not checked (off, or nothing to reach): {', '.join(self.not_checked)}."
                   if self.not_checked else "")  # fmt: skip
        if self.failing:
            return (f"{self.answered} of {self.checked} checked backends answered. Not answering: "
                    f"{', '.join(self.failing)}; features using them fall back or show a plain message."
                    f"{skipped}")  # fmt: skip
        if not self.checked:
            return f"No backend was checked.{skipped}"
        counted = "The one checked backend" if self.checked == 1 else f"All {self.checked} checked backends"
        return f"{counted} answered.{skipped}"


def summarise(rows: Sequence[ProviderStatus]) -> HealthSummary:
    checked = [row for row in rows if row.reachable is not None]
    return HealthSummary(
        checked=len(checked),
        answered=sum(1 for row in checked if row.reachable),
        failing=[row.name for row in checked if not row.reachable],
        not_checked=[row.name for row in rows if row.reachable is None],
    )


LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, "localhost" if host in LOOPBACK else host, parts.port or default_port


def public_address_warning(settings: Settings, browser_url: str | None) -> str | None:
    """Why invite and payment-return links may not open, or None: PUBLIC_BASE_URL names another address than
    the one this browser reached the app at (loopback names count as one)."""
    if not browser_url or _origin(settings.public_base_url) == _origin(browser_url):
        return None
    seen = urlsplit(browser_url)
    return (f"Links this app sends (cohort invites, payment returns) start with {settings.public_base_url}, but "
            f"you reached the app at {seen.scheme}://{seen.netloc}. If people use the address you are using, "
            "set PUBLIC_BASE_URL to it and restart.")  # fmt: skip
