"""Who may do what at the staff desk. Checked on the server for every request: a button's
payload only says what was asked, never who may ask it."""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import Forbidden
from storage.models import Role, Staff

EVERYONE = (Role.ADMIN, Role.MANAGER, Role.ACCOUNTANT)
SALES = (Role.ADMIN, Role.MANAGER)  # requests, orders, statuses, follow-ups
MONEY = (Role.ADMIN, Role.ACCOUNTANT)  # manual balance adjustments
ADMINS = (Role.ADMIN,)  # team, invites, revoking, the audit log


def allowed(staff: Staff | None, roles: Iterable[Role]) -> bool:
    return staff is not None and staff.active and Role(staff.role) in tuple(roles)


def check(staff: Staff | None, roles: Iterable[Role]) -> Staff:
    """The staff member, when active and in one of ``roles``; :class:`Forbidden` otherwise."""
    if staff is None or not allowed(staff, roles):
        raise Forbidden("st-forbidden-role")
    return staff
