"""Links sent by e-mail: password reset and address verification.

A link carries a random token; only its SHA-256 is stored, with a purpose, an expiry and the moment it was
used, so a link works once and a leaked database holds no usable link. Asking for a reset answers the same
whether or not the address has an account, so the form cannot be used to find out who studies here.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import audit
from core.access import Actor, find_user, normalise_email
from core.accounts import users
from core.context import AppContext
from core.db import utcnow
from core.errors import AppError, ErrorCode
from core.integrations.mail import compose, mailer_for
from core.models import EmailToken, User

log = logging.getLogger(__name__)
RESET, VERIFY = "reset", "verify"
RESET_PARAM, VERIFY_PARAM = "reset", "verify"
VERIFY_DAYS = 7
RESET_SENT = (
    "If an account uses this address, we have sent it a link to choose a new password. "
    "It works once, for {minutes} minutes."
)
_DEAD_LINK = {
    RESET: "This password link has expired or was already used. Ask for a new one on the sign-in page.",
    VERIFY: "This verification link has expired or was already used. Send a new one from the banner.",
}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link(ctx: AppContext, param: str, token: str) -> str:
    return f"{ctx.settings.public_base_url.rstrip('/')}/?{param}={token}"


def _issue(session: Session, user: User, purpose: str, lifetime: timedelta) -> str:
    """A fresh token for `user`; earlier unused ones of the same purpose stop working."""
    now = utcnow()
    session.execute(
        update(EmailToken)
        .where(EmailToken.user_id == user.id, EmailToken.purpose == purpose, EmailToken.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(EmailToken(user_id=user.id, purpose=purpose, token_hash=_digest(token), expires_at=now + lifetime))
    return token


def _consume(session: Session, token: str, purpose: str, now: datetime) -> User:
    """Mark the token used, exactly once even when two tabs open the link together; return its user."""
    used = session.execute(
        update(EmailToken)
        .where(
            EmailToken.token_hash == _digest(token or ""),
            EmailToken.purpose == purpose,
            EmailToken.used_at.is_(None),
            EmailToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(EmailToken.user_id)
    ).scalar_one_or_none()
    user = session.get(User, used) if used is not None else None
    if user is None or user.disabled:
        raise AppError(ErrorCode.INVALID_INPUT, _DEAD_LINK[purpose])
    return user


def request_password_reset(ctx: AppContext, email: str) -> str:
    """Mail a reset link to the account with this address, if any; the answer is the same either way."""
    minutes = ctx.settings.password_reset_minutes
    with ctx.db.session() as session:
        user = find_user(session, normalise_email(email))
        token = None
        if user is not None and not user.disabled:
            token = _issue(session, user, RESET, timedelta(minutes=minutes))
            audit.record(session, actor_id=user.id, action="user.password_reset_requested", subject_user_id=user.id)
            to, name, user_id = user.email, user.name, user.id
    if token is not None:  # sent after the commit: a link in a mailbox always exists in the database
        body = (
            f"Hello {name},\n\nSomeone (we hope you) asked to reset the password of your InterviewPrep account.\n"
            f"Open this link within {minutes} minutes to choose a new one:\n\n{_link(ctx, RESET_PARAM, token)}\n\n"
            "If it was not you, ignore this e-mail: your password stays as it is.\n"
        )
        try:
            mailer_for(ctx.settings).send(compose(ctx.settings, to, "Reset your InterviewPrep password", body))
        except AppError:  # the same answer as for an unknown address; the admin sees the mail server's state
            log.warning("password reset mail for user %s could not be sent", user_id, exc_info=True)
    return RESET_SENT.format(minutes=minutes)


def reset_password(ctx: AppContext, token: str, new_password: str, now: datetime | None = None) -> Actor:
    """Set a new password through a reset link; it also ends a lockout and proves the address."""
    problems = users.password_problems(new_password)
    if problems:
        raise AppError(ErrorCode.INVALID_INPUT, "Password needs " + ", ".join(problems) + ".")
    password_hash = users.hash_password(new_password, ctx.settings.bcrypt_rounds)
    moment = now or utcnow()
    with ctx.db.session() as session:
        user = _consume(session, token, RESET, moment)
        user.password_hash, user.password_changed_at = password_hash, moment
        user.failed_attempts, user.locked_until = 0, None
        user.email_verified_at = user.email_verified_at or moment
        users.end_sessions(user)  # a reset is what someone does when a device or the password was lost
        audit.record(session, actor_id=user.id, action="user.password_reset_by_email", subject_user_id=user.id)
        user_id = user.id
    actor = users.load_actor(ctx, user_id)
    assert actor is not None
    return actor


def send_verification(ctx: AppContext, actor: Actor) -> None:
    """Mark the account's address unverified and mail it a link (self-registration, or "send again")."""
    with ctx.db.session() as session:
        user = session.get(User, actor.id)
        if user is None:
            raise AppError(ErrorCode.NOT_FOUND)
        user.email_verified_at = None
        token = _issue(session, user, VERIFY, timedelta(days=VERIFY_DAYS))
        to, name = user.email, user.name
    body = (
        f"Hello {name},\n\nWelcome to InterviewPrep. Open this link to confirm that this address is yours:\n\n"
        f"{_link(ctx, VERIFY_PARAM, token)}\n\nThe link works once, for {VERIFY_DAYS} days. Until then you can "
        "use the app, but not join a counselor's cohort.\n"
    )
    mailer_for(ctx.settings).send(compose(ctx.settings, to, "Confirm your e-mail address", body))


def verify_email(ctx: AppContext, token: str) -> Actor:
    with ctx.db.session() as session:
        user = _consume(session, token, VERIFY, utcnow())
        user.email_verified_at = utcnow()
        audit.record(session, actor_id=user.id, action="user.email_verified", subject_user_id=user.id)
        user_id = user.id
    actor = users.load_actor(ctx, user_id)
    assert actor is not None
    return actor


def is_verified(session: Session, user_id: int) -> bool:
    return session.scalar(select(User.email_verified_at).where(User.id == user_id)) is not None


def needs_verification(ctx: AppContext, actor: Actor) -> bool:
    with ctx.db.read() as session:
        return not is_verified(session, actor.id)
