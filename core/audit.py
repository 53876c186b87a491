"""Audit log: who did what to whose data. Written in the same transaction as the action it records."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.models import AuditLog


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    subject_user_id: int | None = None,
    target_type: str | None = None,
    target_id: object = None,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditLog(
            actor_id=actor_id,
            action=action,
            subject_user_id=subject_user_id,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            details=details or {},
        )
    )
