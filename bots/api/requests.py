"""``/tour-requests``: read them, assign one to a manager (the client is told who)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from bots.api.pagination import Page, PageQuery, page_of
from bots.api.routing import Call, RouteTable
from bots.api.schemas import STRICT, Id
from core.errors import NotFound
from core.request_assign import assign_request
from storage.models import RequestStatus, TourRequest

routes = RouteTable("tour-requests")


class TourRequestOut(BaseModel):
    id: int
    number: str
    client_id: int
    manager_id: int | None
    destination: str
    when: dict[str, Any] = Field(description='{"month": "2027-03"}, {"from", "to"} or {}')
    nights_min: int | None
    nights_max: int | None
    adults: int
    children_ages: list[Any]
    budget_amount: int | None = Field(description="minor units; null: no limit")
    budget_currency: str | None
    wishes: str
    status: RequestStatus
    created_at: datetime
    taken_at: datetime | None


class RequestSearch(PageQuery):
    status: RequestStatus | None = None
    client_id: Id | None = None
    manager_id: Id | None = None


class AssignIn(BaseModel):
    model_config = STRICT
    manager_id: Id


def request_out(r: TourRequest) -> TourRequestOut:
    return TourRequestOut(
        id=r.id,
        number=r.number,
        client_id=r.client_id,
        manager_id=r.manager_id,
        destination=r.destination,
        when=dict(r.when or {}),
        nights_min=r.nights_min,
        nights_max=r.nights_max,
        adults=r.adults,
        children_ages=list(r.children_ages or []),
        budget_amount=r.budget_amount,
        budget_currency=r.budget_currency,
        wishes=r.wishes,
        status=RequestStatus(r.status),
        created_at=r.created_at,
        taken_at=r.taken_at,
    )


@routes.get(
    "/tour-requests",
    scope="requests:read",
    summary="Tour requests, by status, client or manager",
    query=RequestSearch,
    response=Page[TourRequestOut],
)
async def list_requests(call: Call, query: RequestSearch) -> Page[TourRequestOut]:
    found = TourRequest.all()
    if query.status is not None:
        found = found.filter(status=query.status)
    if query.client_id is not None:
        found = found.filter(client_id=query.client_id)
    if query.manager_id is not None:
        found = found.filter(manager_id=query.manager_id)
    return await page_of(found, query, request_out)


@routes.get(
    "/tour-requests/{request_id}",
    scope="requests:read",
    summary="One tour request",
    response=TourRequestOut,
)
async def get_request(call: Call, request_id: int) -> TourRequestOut:
    found = await TourRequest.get_or_none(id=request_id)
    if found is None:
        raise NotFound("api-request-not-found", id=request_id)
    return request_out(found)


@routes.post(
    "/tour-requests/{request_id}/assign",
    scope="requests:write",
    summary="Give the request to a manager (or move it to another); the client is told",
    body=AssignIn,
    response=TourRequestOut,
)
async def assign(call: Call, request_id: int, body: AssignIn) -> TourRequestOut:
    return request_out(await assign_request(call.services, call.actor, request_id, body.manager_id))
