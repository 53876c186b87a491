"""Who the acting user is, and what they may see.

Authorisation lives here, not in pages: every service that reads a student's data checks it with the
acting user through `require_student_access`, or `readable_by` for one row a student owns.
"""

from __future__ import annotations

import unicodedata
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import AppError, ErrorCode
from core.input_limits import storable_email
from core.models import CohortMember, User

if TYPE_CHECKING:
    from core.db import Database


class Role(StrEnum):
    STUDENT = "student"
    COUNSELOR = "counselor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """The signed-in user as services see it: identity and role, detached from any DB session."""

    id: int
    email: str
    name: str
    role: Role
    session_version: int = 0  # the user's session version when this was read (see User.session_version)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_counselor(self) -> bool:
        return self.role == Role.COUNSELOR


def actor_of(user: User) -> Actor:
    return Actor(id=user.id, email=user.email, name=user.name, role=Role(user.role),
                 session_version=user.session_version or 0)  # fmt: skip


def normalise_email(email: str) -> str:
    """One spelling per address: NFKC folds look-alikes (full-width `Ａ`, ligatures), casefold folds case."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


def find_user(session: Session, email: str) -> User | None:
    email = normalise_email(email)
    if not storable_email(email):  # no account has it; PostgreSQL would refuse a NUL even in a WHERE
        return None
    return session.scalar(select(User).where(User.email == email))


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise AppError(ErrorCode.PERMISSION_DENIED)


def counsels(session: Session, counselor_id: int, student_id: int) -> bool:
    """True while the student is a member of a cohort the counselor coaches."""
    mine = select(CohortMember.cohort_id).where(
        CohortMember.user_id == counselor_id, CohortMember.member_role == "counselor"
    )
    return bool(
        session.scalar(
            select(func.count(CohortMember.id)).where(
                CohortMember.user_id == student_id,
                CohortMember.member_role == "student",
                CohortMember.cohort_id.in_(mine),
            )
        )
    )


def require_student_access(session: Session, actor: Actor, student_id: int, *, purpose: str) -> None:
    """Allow the student themself, an admin, or a counselor of one of the student's cohorts.

    Every view of someone else's data is audit-logged with `purpose`. Anyone else is told NOT_FOUND, the
    same answer as for an id that does not exist, so refusals do not reveal which students exist.
    """
    if actor.id == student_id:
        return
    if actor.is_admin or (actor.is_counselor and counsels(session, actor.id, student_id)):
        audit.record(session, actor_id=actor.id, action=f"view.{purpose}", subject_user_id=student_id)
        return
    raise AppError(ErrorCode.NOT_FOUND)


def view_session(db: Database, actor: Actor) -> AbstractContextManager[Session]:
    """The transaction to show a student's data in. A student only ever sees their own, unaudited, so it is
    read-only (on SQLite it does not queue for the write lock); staff views write their audit row."""
    return db.read() if actor.role is Role.STUDENT else db.session()


class Owned(Protocol):
    """A row a student owns (a CV, an analysis, an interview …)."""

    @property
    def user_id(self) -> int: ...


RowT = TypeVar("RowT", bound=Owned)


def readable_by(session: Session, actor: Actor, row: RowT | None, *, purpose: str, not_found: str) -> RowT:
    """The row if the actor is its owner or staff who may see the student; audit-logged for staff.

    Everyone else (another student, a counselor outside the student's cohorts) is told it does not exist:
    NOT_FOUND with the same sentence as for a missing id.
    """
    if row is None or (row.user_id != actor.id and not (actor.is_admin or actor.is_counselor)):
        raise AppError(ErrorCode.NOT_FOUND, not_found)
    try:
        require_student_access(session, actor, row.user_id, purpose=purpose)
    except AppError as refused:
        raise AppError(ErrorCode.NOT_FOUND, not_found) from refused
    return row
