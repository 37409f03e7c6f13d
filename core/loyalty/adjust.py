"""Staff corrections of a client's points: admins and managers, always with a reason, always
audited, once per confirmation (the wizard's reference), never below zero."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from core import ledger
from core.audit import audit
from core.errors import DomainError, Forbidden, InvalidInput
from core.loyalty import points
from core.loyalty.earning import grant
from core.services import Services
from storage.models import PointsEntry, PointsKind, Role, Staff

ADJUSTERS = (Role.ADMIN, Role.MANAGER)
LIMIT = 10_000_000


def parse_points(text: str) -> int:
    value = (text or "").strip().replace(" ", "").replace("−", "-")
    try:
        amount = int(value)
    except ValueError:
        raise InvalidInput("loyalty-st-error-points") from None
    if amount == 0 or abs(amount) > LIMIT:
        raise InvalidInput("loyalty-st-error-points")
    return amount


async def adjust(
    services: Services, staff: Staff, client_id: int, amount: int, reason: str, reference: str
) -> PointsEntry:
    if not staff.active or staff.role not in ADJUSTERS:
        raise Forbidden("st-forbidden-role")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("loyalty-st-error-reason")
    now = services.clock.now()
    async with in_transaction():
        await ledger.lock_client(client_id)
        if await points.reference_used(reference):
            raise DomainError("loyalty-st-duplicate")
        if amount > 0:
            entry = await grant(
                services, client_id, amount, PointsKind.ADJUST, reference,
                staff_id=staff.id, reason=reason,
            )  # fmt: skip
        else:
            await points.expire_due(client_id, now)
            if await points.balance(client_id) + amount < 0:
                raise points.NotEnoughPoints("loyalty-st-negative")
            entry = await points.append(
                client_id, amount, PointsKind.ADJUST, reference, now=now,
                staff_id=staff.id, reason=reason,
            )  # fmt: skip
        assert entry is not None
        await audit(
            staff,
            "points-adjust",
            subject=f"client:{client_id}",
            details={"points": amount, "reason": reason},
        )
        return entry
