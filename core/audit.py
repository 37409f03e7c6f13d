"""The audit log: who did what to whom, and when."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from storage.models import AuditEntry, Staff


async def audit(
    actor: str | Staff,
    action: str,
    *,
    subject: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    staff = actor if isinstance(actor, Staff) else None
    name = f"staff:{actor.id}" if isinstance(actor, Staff) else actor
    return await AuditEntry.create(
        staff=staff, actor=name, action=action, subject=subject, details=details or {}
    )


async def audit_at(
    actor: str | Staff,
    action: str,
    *,
    at: datetime,
    subject: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """:func:`audit` stamped with ``at`` (the services' clock), so windows over the log follow
    the same clock as everything else."""
    staff = actor if isinstance(actor, Staff) else None
    name = f"staff:{actor.id}" if isinstance(actor, Staff) else actor
    return await AuditEntry.create(
        staff=staff,
        actor=name,
        action=action,
        subject=subject,
        details=details or {},
        created_at=at,
    )


async def distinct_subjects(staff_id: int, actions: Iterable[str], since: datetime) -> set[str]:
    """The different subjects one staff member touched with ``actions`` since ``since``."""
    subjects = await AuditEntry.filter(
        staff_id=staff_id, action__in=list(actions), created_at__gte=since
    ).values_list("subject", flat=True)
    return {str(s) for s in subjects if s}


async def audit_exists(action: str, subject: str, since: datetime) -> bool:
    return await AuditEntry.filter(action=action, subject=subject, created_at__gte=since).exists()


async def recent_entries(offset: int = 0, limit: int = 10) -> tuple[list[AuditEntry], int]:
    """One page of the log, newest first, and the number of entries in it."""
    total = await AuditEntry.all().count()
    entries = (
        await AuditEntry.all()
        .order_by("-created_at", "-id")
        .offset(offset)
        .limit(limit)
        .prefetch_related("staff")
    )
    return list(entries), total
