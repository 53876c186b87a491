"""Personal API tokens: a user creates one on the Account page to call the HTTP API from their own tools.

The token is shown once; only its SHA-256 is stored (a token is 256 random bits, so a slow hash adds nothing).
Each token has a name, an expiry, and a last-used time; revoking it takes effect on the next request.
A disabled or deleted account's tokens stop working with it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from core import audit
from core.access import Actor, actor_of
from core.context import AppContext
from core.db import utcnow
from core.errors import AppError, ErrorCode
from core.input_limits import check_text
from core.models import ApiToken, User

TOKEN_PREFIX = "ip_"  # noqa: S105 - a marker that tells our tokens apart, not a secret
SHOWN_PREFIX_CHARS = 10
EXPIRY_DAYS = (30, 90, 365)
MAX_ACTIVE_TOKENS = 10
MAX_NAME_CHARS = 100
# Writing last_used_at on every call would make each API request a write; a minute's precision is enough.
LAST_USED_PRECISION = timedelta(minutes=1)
AUTH_HINT = "Send a valid API token as `Authorization: Bearer <token>`. Create one on the Account page."


@dataclass(frozen=True)
class TokenInfo:
    """A token as the Account page lists it: never the secret, only its first characters."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


def _info(row: ApiToken) -> TokenInfo:
    return TokenInfo(
        id=row.id, name=row.name, prefix=row.prefix, created_at=row.created_at, expires_at=row.expires_at,
        last_used_at=row.last_used_at, revoked_at=row.revoked_at,
    )  # fmt: skip


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(ctx: AppContext, actor: Actor, name: str, expires_in_days: int) -> tuple[TokenInfo, str]:
    """A new token for the actor; returns its listing and the secret, which is never readable again."""
    name = check_text(" ".join(name.split()), label="The token name", limit=MAX_NAME_CHARS)
    if not name:
        raise AppError(ErrorCode.INVALID_INPUT, f"Give the token a name of 1 to {MAX_NAME_CHARS} characters.")
    if expires_in_days not in EXPIRY_DAYS:
        raise AppError(ErrorCode.INVALID_INPUT, "Choose an expiry of 30, 90 or 365 days.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    with ctx.db.session() as session:
        active = session.scalar(
            select(func.count())
            .select_from(ApiToken)
            .where(ApiToken.user_id == actor.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)
        )
        if (active or 0) >= MAX_ACTIVE_TOKENS:
            raise AppError(ErrorCode.INVALID_INPUT, f"You have {MAX_ACTIVE_TOKENS} active tokens; revoke one first.")
        row = ApiToken(
            user_id=actor.id, name=name, token_hash=_digest(secret), prefix=secret[:SHOWN_PREFIX_CHARS],
            created_at=now, expires_at=now + timedelta(days=expires_in_days),
        )  # fmt: skip
        session.add(row)
        session.flush()
        audit.record(session, actor_id=actor.id, action="api_token.create", subject_user_id=actor.id,
                     target_type="api_token", target_id=row.id, details={"name": name})  # fmt: skip
        return _info(row), secret


def list_tokens(ctx: AppContext, actor: Actor) -> list[TokenInfo]:
    """The actor's own tokens, newest first (revoked and expired ones too, so the history is visible)."""
    query = select(ApiToken).where(ApiToken.user_id == actor.id).order_by(ApiToken.id.desc())
    with ctx.db.read() as session:
        return [_info(row) for row in session.scalars(query)]


def revoke_token(ctx: AppContext, actor: Actor, token_id: int) -> None:
    """Revoke one of the actor's tokens; someone else's token is reported as not found."""
    with ctx.db.session() as session:
        row = session.get(ApiToken, token_id)
        if row is None or row.user_id != actor.id:
            raise AppError(ErrorCode.NOT_FOUND, "We could not find that token.")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            audit.record(session, actor_id=actor.id, action="api_token.revoke", subject_user_id=actor.id,
                         target_type="api_token", target_id=row.id)  # fmt: skip


@dataclass(frozen=True)
class TokenUse:
    actor: Actor
    token_id: int


def authenticate(ctx: AppContext, secret: str) -> TokenUse:
    """The user behind a token, or AppError(INVALID_CREDENTIALS) for an unknown, revoked or expired one."""
    if not secret.startswith(TOKEN_PREFIX):
        raise AppError(ErrorCode.INVALID_CREDENTIALS, AUTH_HINT)
    now = utcnow()
    with ctx.db.read() as session:  # most calls only read: "last used" is kept to LAST_USED_PRECISION
        row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
        user = session.get(User, row.user_id) if row is not None else None
        if row is None or user is None or user.disabled or row.revoked_at is not None or row.expires_at <= now:
            raise AppError(ErrorCode.INVALID_CREDENTIALS, AUTH_HINT)
        use, stale = (
            TokenUse(actor_of(user), row.id),
            row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION,
        )
    if stale:
        with ctx.db.session() as session:
            session.execute(update(ApiToken).where(ApiToken.id == use.token_id).values(last_used_at=now))
    return use
