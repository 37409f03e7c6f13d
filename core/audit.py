"""The audit log: who did what to whom, and when."""

from __future__ import annotations

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
