"""The audit log: who did what to whom, and when."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.models import AuditEntry, Staff

# Who did it: a staff member, or a named non-person ("cli", "system", "api:<key name>").
Actor = str | Staff


def staff_id_of(actor: Actor) -> int | None:
    """The staff member behind ``actor`` (None for the CLI, the system or an API key)."""
    return actor.id if isinstance(actor, Staff) else None


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


@dataclass(frozen=True, slots=True)
class LogPage:
    """A page of the log, newest first, and whether there is more on either side."""

    entries: list[AuditEntry]
    has_older: bool
    has_newer: bool
    total: int


async def log_page(
    *, older_than: int | None = None, newer_than: int | None = None, size: int = 10
) -> LogPage:
    """A page by keyset on the entry id: the newest ``size`` entries, the ``size`` just older
    than entry ``older_than``, or the ``size`` just newer than entry ``newer_than``. Lines
    written while someone reads never shift a page (an OFFSET page would repeat or skip)."""
    query = AuditEntry.all()
    if newer_than is not None:
        found = list(
            await query.filter(id__gt=newer_than)
            .order_by("id")
            .limit(size + 1)
            .prefetch_related("staff")
        )
        has_newer = len(found) > size
        entries = list(reversed(found[:size]))
        lowest = entries[-1].id if entries else newer_than + 1
        has_older = await AuditEntry.filter(id__lt=lowest).exists()
    else:
        if older_than is not None:
            query = query.filter(id__lt=older_than)
        found = list(await query.order_by("-id").limit(size + 1).prefetch_related("staff"))
        has_older = len(found) > size
        entries = found[:size]
        highest = entries[0].id if entries else (older_than or 0) - 1
        has_newer = older_than is not None and await AuditEntry.filter(id__gt=highest).exists()
    return LogPage(entries, has_older, has_newer, await AuditEntry.all().count())
