"""``/staff``: who works at the agency (read-only; invites and revocation stay in chat / CLI)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from bots.api.pagination import Page, PageQuery, page_of
from bots.api.routing import Call, RouteTable
from core.errors import NotFound
from storage.models import Role, Staff

routes = RouteTable("staff")


class StaffOut(BaseModel):
    id: int
    name: str
    role: Role
    locale: str
    active: bool
    created_at: datetime
    revoked_at: datetime | None


class StaffSearch(PageQuery):
    role: Role | None = None
    active: bool | None = None


def staff_out(s: Staff) -> StaffOut:
    return StaffOut(
        id=s.id,
        name=s.name,
        role=Role(s.role),
        locale=s.locale,
        active=s.active,
        created_at=s.created_at,
        revoked_at=s.revoked_at,
    )


@routes.get(
    "/staff",
    scope="staff:read",
    summary="Staff members",
    query=StaffSearch,
    response=Page[StaffOut],
)
async def list_staff(call: Call, query: StaffSearch) -> Page[StaffOut]:
    found = Staff.all()
    if query.role is not None:
        found = found.filter(role=query.role)
    if query.active is not None:
        found = found.filter(active=query.active)
    return await page_of(found, query, staff_out)


@routes.get("/staff/{staff_id}", scope="staff:read", summary="One staff member", response=StaffOut)
async def get_staff(call: Call, staff_id: int) -> StaffOut:
    found = await Staff.get_or_none(id=staff_id)
    if found is None:
        raise NotFound("api-staff-not-found", id=staff_id)
    return staff_out(found)
