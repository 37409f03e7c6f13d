"""``/clients``: create, update, search by phone / name, read one, merge two."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field
from tortoise.expressions import Q

from bots.api.pagination import Page, PageQuery, page_of
from bots.api.routing import Call, RouteTable
from bots.api.schemas import STRICT, Id
from core import ledger
from core.client_merge import merge_clients
from core.client_records import create_client, update_client
from core.clients import normalise_phone
from core.errors import InvalidField, InvalidInput, NotFound
from storage.models import Client

routes = RouteTable("clients")

Gender = Literal["f", "m"]
Locale = Literal["uk", "en", "ru"]


class ClientIn(BaseModel):
    model_config = STRICT
    phone: str = Field(max_length=32, description="any usual spelling; stored as E.164")
    first_name: str = Field("", max_length=100)
    last_name: str = Field("", max_length=100)
    birthday: date | None = None
    gender: Gender | None = None
    locale: Locale | None = Field(None, description="default: the agency's language")
    marketing_consent: bool | None = Field(None, description="null: not asked yet")
    manager_id: Id | None = None


class ClientPatch(BaseModel):
    """Only the fields sent are changed."""

    model_config = STRICT
    phone: str | None = Field(None, max_length=32)
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    birthday: date | None = None
    gender: Gender | None = None
    locale: Locale | None = None
    marketing_consent: bool | None = None
    manager_id: Id | None = None


class ClientOut(BaseModel):
    id: int
    phone: str | None
    first_name: str
    last_name: str
    birthday: date | None
    gender: str | None
    locale: str
    marketing_consent: bool | None
    manager_id: int | None
    bonus_points: int
    erased: bool = Field(description="personal data wiped (right to erasure)")
    created_at: datetime


class ClientDetail(ClientOut):
    balances: dict[str, int] = Field(description="currency -> balance in minor units")


class ClientSearch(PageQuery):
    phone: str | None = Field(None, max_length=32, description="exact, any usual spelling")
    name: str | None = Field(
        None, max_length=100, description="words found in the first or last name"
    )


class MergeIn(BaseModel):
    model_config = STRICT
    from_id: Id = Field(description="the record folded in, then removed")
    into_id: Id = Field(description="the record kept")


class MergeOut(BaseModel):
    client: ClientOut
    moved: dict[str, int] = Field(description="rows re-pointed, per kind")


def client_out(client: Client) -> ClientOut:
    return ClientOut(
        id=client.id,
        phone=client.phone,
        first_name=client.first_name,
        last_name=client.last_name,
        birthday=client.birthday,
        gender=client.gender,
        locale=client.locale,
        marketing_consent=client.marketing_consent,
        manager_id=client.manager_id,
        bonus_points=client.bonus_points,
        erased=client.erased_at is not None,
        created_at=client.created_at,
    )


@routes.get(
    "/clients",
    scope="clients:read",
    summary="Search clients by phone and/or name",
    query=ClientSearch,
    response=Page[ClientOut],
)
async def list_clients(call: Call, query: ClientSearch) -> Page[ClientOut]:
    found = Client.all()
    if query.phone:
        region = call.services.rules.agency.country
        try:
            found = found.filter(phone=normalise_phone(query.phone, region))
        except InvalidInput as exc:
            raise InvalidField(exc.key, field="query.phone") from None
    for word in (query.name or "").split():
        found = found.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return await page_of(found, query, client_out)


@routes.post(
    "/clients",
    scope="clients:write",
    summary="Create a client",
    body=ClientIn,
    response=ClientOut,
    status=201,
    problems=(409,),
)
async def create(call: Call, body: ClientIn) -> ClientOut:
    fields = body.model_dump(exclude_none=True)
    return client_out(await create_client(call.services, call.actor, fields))


@routes.get(
    "/clients/{client_id}",
    scope="clients:read",
    summary="One client, with balances",
    response=ClientDetail,
)
async def get_client(call: Call, client_id: int) -> ClientDetail:
    client = await Client.get_or_none(id=client_id)
    if client is None:
        raise NotFound("st-client-not-found")
    return ClientDetail(
        **client_out(client).model_dump(), balances=await ledger.balances(client.id)
    )


@routes.patch(
    "/clients/{client_id}",
    scope="clients:write",
    summary="Change some fields of a client",
    body=ClientPatch,
    response=ClientOut,
    problems=(409,),
)
async def update(call: Call, client_id: int, body: ClientPatch) -> ClientOut:
    changes = body.model_dump(exclude_unset=True)
    return client_out(await update_client(call.services, call.actor, client_id, changes))


@routes.post(
    "/clients/merge",
    scope="clients:write",
    summary="Fold one client record into another (messengers, orders, ledger move)",
    body=MergeIn,
    response=MergeOut,
)
async def merge(call: Call, body: MergeIn) -> MergeOut:
    merged = await merge_clients(body.from_id, body.into_id, actor=call.actor)
    return MergeOut(client=client_out(merged.client), moved=merged.moved)
