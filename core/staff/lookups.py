"""Every look at a client's data is audited; admins hear about a member who looks at too many.

A lookup is an audit entry whose subject is ``client:<id>``. When one staff member has looked
at more distinct clients within the last hour than ``[staff] lookup_alert_threshold``, every
admin is told — once per window: not again until an hour after the previous alert.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.audit import audit_at, audit_exists, distinct_subjects
from core.contract import Reply
from core.i18n import T
from core.notify import notify_roles
from core.services import Services
from storage.models import Role, Staff

CLIENT_VIEW = "staff.client.view"
ORDER_VIEW = "staff.order.view"
LOOKUPS = (CLIENT_VIEW, ORDER_VIEW)
WINDOW = timedelta(hours=1)
ALERT = "staff.lookup-alert"


async def record(
    services: Services,
    staff: Staff,
    action: str,
    client_id: int,
    details: dict[str, Any] | None = None,
) -> None:
    """Audit one look at client ``client_id``'s data, then check the hourly threshold."""
    now = services.clock.now()
    await audit_at(staff, action, at=now, subject=f"client:{client_id}", details=details)
    await check_threshold(services, staff)


async def check_threshold(services: Services, staff: Staff) -> bool:
    """Alert the admins when ``staff`` crossed the threshold; True when an alert went out."""
    now = services.clock.now()
    since = now - WINDOW
    seen = await distinct_subjects(staff.id, LOOKUPS, since)
    threshold = services.rules.staff.lookup_alert_threshold
    subject = f"staff:{staff.id}"
    if len(seen) <= threshold or await audit_exists(ALERT, subject, since):
        return False
    count = len(seen)
    await audit_at("system", ALERT, at=now, subject=subject, details={"clients": count})
    name, role = staff.name, Role(staff.role).value
    bucket = int(now.timestamp() // WINDOW.total_seconds())

    def render(t: T) -> Reply:
        return Reply(
            t(
                "st-alert-lookups",
                name=name,
                role=t(f"st-role-{role}"),
                count=count,
                threshold=threshold,
            )
        )

    await notify_roles(
        services,
        [Role.ADMIN],
        render,
        kind="staff-lookup-alert",
        dedupe_key=f"lookup-alert:{staff.id}:{bucket}",
    )
    return True
