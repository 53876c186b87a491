"""Users: registration, passwords, lockout, sign-in and the signed-in user's own account."""

from __future__ import annotations

import os
import re
import secrets
import threading
from datetime import timedelta
from functools import lru_cache

import bcrypt
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import audit
from core.access import Actor, Role, actor_of, find_user, normalise_email
from core.billing import ledger
from core.config import Settings
from core.context import AppContext
from core.db import utcnow
from core.errors import AppError, ErrorCode
from core.input_limits import EMAIL_MAX, NAME_MAX, check_text
from core.models import User

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PASSWORD_MIN, PASSWORD_MAX_BYTES = 10, 72


def password_problems(password: str) -> list[str]:
    """What is wrong with a new password, in plain words (empty when it is acceptable)."""
    problems = []
    if len(password) < PASSWORD_MIN:
        problems.append(f"at least {PASSWORD_MIN} characters")
    if len(password.encode()) > PASSWORD_MAX_BYTES:
        problems.append(f"at most {PASSWORD_MAX_BYTES} bytes")
    if not any(char.isalpha() for char in password) or not any(char.isdigit() for char in password):
        problems.append("at least one letter and one digit")
    if password.strip() != password:
        problems.append("no spaces at the start or end")
    if "\x00" in password:  # bcrypt would ignore everything after it
        problems.append("no NUL character")
    return problems


# bcrypt (~0.25 s of CPU at cost 12) runs without the GIL, so 30 sign-ins at once all share the cores and all
# finish after ~30 × 0.25 s / cores, while the page runs between them wait for a core too. One check per core at
# a time, first come first served, finishes the same work sooner on average and leaves the pages their share.
PASSWORD_CHECKS_AT_ONCE = len(os.sched_getaffinity(0))
PASSWORD_LANES = threading.BoundedSemaphore(PASSWORD_CHECKS_AT_ONCE)


def hash_password(password: str, rounds: int = 12) -> str:
    with PASSWORD_LANES:
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=rounds)).decode()


def verify_password(password: str, password_hash: str | None) -> bool:
    """False without a hash: a single-sign-on-only user has no password to match."""
    if not password_hash:
        return False
    try:
        with PASSWORD_LANES:
            return bcrypt.checkpw(password.encode()[:PASSWORD_MAX_BYTES], password_hash.encode())
    except ValueError:
        return False


def _check_new_password(password: str) -> None:
    problems = password_problems(password)
    if problems:
        raise AppError(ErrorCode.INVALID_INPUT, "Password needs " + ", ".join(problems) + ".")


def create_user(ctx: AppContext, *, email: str, name: str, password: str, role: Role = Role.STUDENT) -> Actor:
    """Register a user; a new student also gets the welcome credits."""
    email = check_text(normalise_email(email), label="The e-mail address", limit=EMAIL_MAX)
    name = check_text(name.strip(), label="The name", limit=NAME_MAX)
    if not EMAIL_RE.match(email):
        raise AppError(ErrorCode.INVALID_INPUT, "Enter a valid email address.")
    if not name:
        raise AppError(ErrorCode.INVALID_INPUT, "Enter your name.")
    _check_new_password(password)
    password_hash = hash_password(password, ctx.settings.bcrypt_rounds)
    exists = AppError(ErrorCode.INVALID_INPUT, "An account with this email already exists. Sign in instead.")
    try:
        with ctx.db.session() as session:
            if find_user(session, email):
                raise exists
            return add_user(session, email=email, name=name, role=role, password_hash=password_hash,
                            welcome_credits=ctx.settings.welcome_credits)
    except IntegrityError as race:  # the same email registered at the same moment in another session
        raise exists from race


def add_user(
    session: Session, *, email: str, name: str, role: Role, password_hash: str | None, welcome_credits: int
) -> Actor:
    """Insert a validated user with a wallet (students get the welcome credits) and audit it.

    `password_hash` None: the user signs in only through single sign-on until they set a password.
    """
    user = User(email=email, name=name, role=str(role), password_hash=password_hash,
                password_changed_at=utcnow() if password_hash else None)  # fmt: skip
    session.add(user)
    session.flush()
    audit.record(session, actor_id=user.id, action="user.register", subject_user_id=user.id,
                 details={"role": str(role)})
    ledger.open_wallet(session, user.id, welcome_credits=welcome_credits if role == Role.STUDENT else 0)
    return actor_of(user)


def authenticate(ctx: AppContext, email: str, password: str) -> Actor:
    """Check a password, counting failures in the database; lock the account after too many.

    The bcrypt check, the slow part, runs outside any transaction, so sign-ins do not queue behind each
    other's locks; one short write transaction then re-reads the row and records the outcome, so the
    failure counter stays exact under concurrent attempts. Every refusal (unknown e-mail, wrong password,
    locked, disabled) is the same INVALID_CREDENTIALS sentence, which also says that accounts lock, and costs
    the same bcrypt check, so neither the answer nor its timing tells which e-mails have accounts.
    """
    settings = ctx.settings
    with ctx.db.read() as session:
        user = find_user(session, email)
        user_id, checked_hash = (user.id, user.password_hash) if user and not user.disabled else (None, None)
    if user_id is None or not checked_hash:  # no password: signs in through SSO only
        verify_password(password, _dummy_hash(settings.bcrypt_rounds))
        raise _refusal(settings)
    matches = verify_password(password, checked_hash)
    actor = None
    with ctx.db.session() as session:
        user = session.scalar(select(User).where(User.id == user_id).with_for_update())
        now = utcnow()
        if user is None or user.disabled or (user.locked_until and user.locked_until > now):
            raise _refusal(settings)
        if matches and user.password_hash == checked_hash:  # not changed since it was checked
            user.failed_attempts, user.locked_until, user.last_active_at = 0, None, now
            actor = actor_of(user)
        else:
            user.failed_attempts = (0 if user.locked_until else user.failed_attempts) + 1
            user.locked_until = None
            if user.failed_attempts >= settings.lockout_max_attempts:
                user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
                audit.record(session, actor_id=None, action="user.locked", subject_user_id=user.id)
    if actor is None:
        raise _refusal(settings)
    return actor


def _refusal(settings: Settings) -> AppError:
    return AppError(
        ErrorCode.INVALID_CREDENTIALS,
        f"Email or password is incorrect, or the account is locked for {settings.lockout_minutes} minutes "
        f"after {settings.lockout_max_attempts} failed sign-in attempts in a row.",
    )


@lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> str:
    """A hash of a random password at the configured cost, checked for unknown e-mails to match the timing."""
    return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds=rounds)).decode()


def load_actor(ctx: AppContext, user_id: int) -> Actor | None:
    """Re-read the signed-in user (role changes and deletions take effect on the next rerun)."""
    with ctx.db.read() as session:
        user = session.get(User, user_id)
        if user is None or user.disabled:
            return None
        return actor_of(user)


def load_actor_by_email(ctx: AppContext, email: str) -> Actor | None:
    with ctx.db.read() as session:
        user = find_user(session, email)
        return None if user is None or user.disabled else actor_of(user)


def end_sessions(user: User) -> None:
    """Revoke every session and remember-me cookie of the user, inside the caller's transaction: each
    carries the session version it was signed in with, and a stale one is refused on its next run."""
    user.session_version = (user.session_version or 0) + 1


def sign_out_everywhere(ctx: AppContext, actor: Actor) -> None:
    """Signing out ends the user's sessions on every device, so a copied cookie stops working too."""
    with ctx.db.session() as session:
        user = session.get(User, actor.id, with_for_update=True)
        if user is not None:
            end_sessions(user)


def resume_session(ctx: AppContext, user_id: int, email: str, session_version: int) -> Actor | None:
    """The user a session or remember-me cookie names, while it is still theirs and still current: None for
    a deleted (or deleted and re-registered), disabled or signed-out user, or after a password change."""
    with ctx.db.read() as session:
        user = session.get(User, user_id)
        if user is None or user.disabled or user.email != normalise_email(email):
            return None
        return actor_of(user) if user.session_version == session_version else None


def touch(ctx: AppContext, actor: Actor) -> None:
    """Record activity (for "last active" on the cohort dashboard) at most once a minute."""
    now = utcnow()
    with ctx.db.session() as session:
        user = session.get(User, actor.id)
        if user and (user.last_active_at is None or now - user.last_active_at > timedelta(minutes=1)):
            user.last_active_at = now


def change_password(ctx: AppContext, actor: Actor, current: str, new: str) -> Actor:
    """Change the actor's password, ending their other sessions; returns the actor at the new session version,
    for the session that made the change to stay signed in."""
    _check_new_password(new)
    with ctx.db.session() as session:
        user = session.get(User, actor.id)
        if user is None or not verify_password(current, user.password_hash):
            raise AppError(ErrorCode.INVALID_CREDENTIALS, "Your current password is incorrect.")
        user.password_hash = hash_password(new, ctx.settings.bcrypt_rounds)
        user.password_changed_at = utcnow()
        end_sessions(user)
        audit.record(session, actor_id=actor.id, action="user.password_changed", subject_user_id=actor.id)
        return actor_of(user)


def has_password(ctx: AppContext, actor: Actor) -> bool:
    """False for a user who has only ever signed in through single sign-on."""
    with ctx.db.read() as session:
        return bool(session.scalar(select(User.password_hash).where(User.id == actor.id)))


def set_first_password(ctx: AppContext, actor: Actor, new: str) -> None:
    """A single-sign-on user adds a password, so they can also sign in with it; a set password is changed instead."""
    _check_new_password(new)
    with ctx.db.session() as session:
        user = session.scalar(select(User).where(User.id == actor.id).with_for_update())
        if user is None or user.password_hash:
            raise AppError(ErrorCode.INVALID_INPUT, "This account already has a password. Change it instead.")
        user.password_hash = hash_password(new, ctx.settings.bcrypt_rounds)
        user.password_changed_at = utcnow()
        audit.record(session, actor_id=actor.id, action="user.password_set", subject_user_id=actor.id)


def count_users(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count(User.id))) or 0


