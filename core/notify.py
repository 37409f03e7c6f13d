"""Messages to staff, through the outbox: to one staff member, or to every active one of a role."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from core.audit import audit
from core.contract import Reply
from core.i18n import T
from core.services import Services
from storage.models import MessengerAccount, Role, Staff


async def staff_accounts(roles: Iterable[Role]) -> list[MessengerAccount]:
    return await MessengerAccount.filter(
        staff__active=True, staff__role__in=[r.value for r in roles]
    ).prefetch_related("staff")


async def notify_roles(
    services: Services,
    roles: Iterable[Role],
    render: Callable[[T], Reply],
    *,
    kind: str,
    dedupe_key: str,
) -> int:
    """Enqueue ``render(t)`` (in each staff member's language) for every active staff account."""
    sent = 0
    for account in await staff_accounts(roles):
        staff: Staff = account.staff  # type: ignore[assignment]
        reply = render(services.translator(staff.locale))
        row = await services.outbox.enqueue(
            account, reply, kind=kind, dedupe_key=f"{dedupe_key}:a{account.id}"
        )
        sent += row is not None
    await audit("system", kind, subject=dedupe_key, details={"recipients": sent})
    return sent
