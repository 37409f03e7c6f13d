"""Client records created and edited outside a conversation (the REST API; later imports).

A conversation creates a client when a phone is shared (core/identity.py, with its proof
rules); here an authenticated caller states the facts. Every field is checked the same way
the chat checks it, a phone stays unique, erased records stay erased, and every change is
audited with the names of the fields changed (never their values: personal data stays out of
the log).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.audit import Actor, audit_at
from core.clients import normalise_phone
from core.errors import Conflict, InvalidField, InvalidInput, NotFound
from core.services import Services
from core.webhooks import events as webhook_events
from storage.models import Client, Staff

NAME_MAX = 100
GENDERS = ("f", "m")
EDITABLE = (
    "phone",
    "first_name",
    "last_name",
    "birthday",
    "gender",
    "locale",
    "marketing_consent",
    "manager_id",
)


def _name(field: str, value: Any) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > NAME_MAX:
        raise InvalidField("api-name-too-long", field=field, max=NAME_MAX)
    return text


async def clean(services: Services, changes: dict[str, Any]) -> dict[str, Any]:
    """The values to store for ``changes`` (field -> value as given), each checked;
    :class:`InvalidField` names the first bad one."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidField("api-field-not-editable", field=unknown[0])
    agency = services.rules.agency
    today = services.clock.now().astimezone(agency.tz).date()
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "phone":
            try:
                out[field] = normalise_phone(str(value or ""), agency.country)
            except InvalidInput as exc:
                raise InvalidField(exc.key, field=field) from None
        elif field in ("first_name", "last_name"):
            out[field] = _name(field, value)
        elif field == "birthday":
            if value is not None and (
                not isinstance(value, date) or value > today or value.year < 1900
            ):
                raise InvalidField("api-bad-birthday", field=field)
            out[field] = value
        elif field == "gender":
            if value is not None and value not in GENDERS:
                raise InvalidField("api-bad-gender", field=field)
            out[field] = value
        elif field == "locale":
            if value not in agency.locales:
                raise InvalidField("api-bad-locale", field=field, known=", ".join(agency.locales))
            out[field] = value
        elif field == "marketing_consent":
            out[field] = None if value is None else bool(value)
        elif field == "manager_id":
            if value is not None and not await Staff.exists(id=value, active=True):
                raise InvalidField("api-no-such-manager", field=field, id=value)
            out[field] = value
    return out


async def _phone_owner(phone: str) -> int | None:
    found = await Client.get_or_none(phone=phone)
    return found.id if found is not None else None


async def create_client(services: Services, actor: Actor, fields: dict[str, Any]) -> Client:
    """A new client with a phone no other client has (:class:`Conflict` names the one who has)."""
    if not fields.get("phone"):
        raise InvalidField("error-phone", field="phone")
    values = await clean(services, fields)
    values.setdefault("locale", services.rules.agency.default_locale)
    owner = await _phone_owner(values["phone"])
    if owner is not None:
        raise Conflict("api-phone-taken", id=owner)
    try:
        async with in_transaction():
            client = await Client.create(**values)
            await audit_at(
                actor,
                "client.create",
                at=services.clock.now(),
                subject=f"client:{client.id}",
                details={"fields": sorted(values)},
            )
            # The same event as a phone first shared in a chat (its reference is the client's
            # id, so a messenger linking this record later publishes nothing more).
            await webhook_events.client_created(services, client)
    except IntegrityError:  # the same phone, created a moment ago by someone else
        raise Conflict("api-phone-taken", id=await _phone_owner(values["phone"])) from None
    return client


async def update_client(
    services: Services, actor: Actor, client_id: int, changes: dict[str, Any]
) -> Client:
    """Change the given fields only; an erased client's record is not written to."""
    client = await Client.get_or_none(id=client_id)
    if client is None:
        raise NotFound("st-client-not-found")
    if client.erased_at is not None:
        raise Conflict("api-client-erased", id=client_id)
    values = await clean(services, changes)
    if "phone" in values:
        owner = await _phone_owner(values["phone"])
        if owner is not None and owner != client_id:
            raise Conflict("api-phone-taken", id=owner)
    changed = {k: v for k, v in values.items() if getattr(client, k) != v}
    if not changed:
        return client
    try:
        async with in_transaction():
            await Client.filter(id=client_id).update(**changed)
            await audit_at(
                actor,
                "client.update",
                at=services.clock.now(),
                subject=f"client:{client_id}",
                details={"fields": sorted(changed)},
            )
    except IntegrityError:
        raise Conflict("api-phone-taken", id=await _phone_owner(values["phone"])) from None
    return await Client.get(id=client_id)
