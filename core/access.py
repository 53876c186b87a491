"""Who the acting user is, and what they may see.

Authorisation lives here, not in pages: every service that reads a student's data checks it with the
acting user through `require_student_access` (or `require_owner_or_staff` for one owned row).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.errors import AppError, ErrorCode
from core.models import CohortMember, User


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

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_counselor(self) -> bool:
        return self.role == Role.COUNSELOR


def actor_of(user: User) -> Actor:
    return Actor(id=user.id, email=user.email, name=user.name, role=Role(user.role))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


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

    Every view of someone else's data is audit-logged with `purpose`.
    """
    if actor.id == student_id:
        return
    if actor.is_admin or (actor.is_counselor and counsels(session, actor.id, student_id)):
        audit.record(session, actor_id=actor.id, action=f"view.{purpose}", subject_user_id=student_id)
        return
    raise AppError(ErrorCode.PERMISSION_DENIED)
