"""Helpers shared by the staff desk tests (and a check of the staff catalogues)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fluent.syntax import parse
from fluent.syntax.ast import Junk, Message

from core.services import Services
from handlers.router import Router
from storage.models import Client, MessengerAccount, Order, OrderStatus, Role, Staff
from tests.support.channels import Channel
from tests.support.chat import RecordingChat

LOCALES = Path(__file__).resolve().parent.parent / "locales"


async def make_staff(
    role: Role,
    user_id: str,
    *,
    name: str | None = None,
    active: bool = True,
    channel: Channel = Channel.CONSOLE,
    locale: str = "en",
) -> tuple[Staff, MessengerAccount]:
    staff = await Staff.create(
        name=name or f"{role.value}-{user_id}", role=role, locale=locale, active=active
    )
    account = await MessengerAccount.create(
        channel=channel.value, external_id=user_id, staff=staff, language=locale
    )
    return staff, account


async def make_client(
    phone: str,
    first_name: str,
    last_name: str = "",
    *,
    user_id: str | None = None,
    channel: Channel = Channel.CONSOLE,
    manager: Staff | None = None,
    locale: str = "en",
) -> Client:
    client = await Client.create(
        phone=phone, first_name=first_name, last_name=last_name, locale=locale, manager=manager
    )
    if user_id is not None:
        await MessengerAccount.create(
            channel=channel.value, external_id=user_id, client=client, language=locale
        )
    return client


async def make_order(
    client: Client,
    number: str,
    *,
    price: int = 4_500_000,
    paid: int = 0,
    currency: str = "UAH",
    status: OrderStatus = OrderStatus.BOOKED,
    due: date | None = None,
    departure: date | None = date(2027, 6, 12),
    manager: Staff | None = None,
    destination: str = "Egypt",
) -> Order:
    return await Order.create(
        number=number,
        client=client,
        manager=manager,
        destination=destination,
        departure_date=departure,
        return_date=None,
        price=price,
        paid=paid,
        currency=currency,
        due_date=due,
        status=status,
    )


def chat_for(
    services: Services,
    router: Router,
    user_id: str,
    *,
    channel: Channel = Channel.CONSOLE,
    language: str = "en",
) -> RecordingChat:
    return RecordingChat(services, router, user_id=user_id, channel=channel, language=language)


def test_staff_catalogues_have_the_same_keys_and_parse() -> None:
    keys = {}
    for locale in ("uk", "en", "ru"):
        resource = parse((LOCALES / locale / "staff.ftl").read_text(encoding="utf-8"))
        assert not [e for e in resource.body if isinstance(e, Junk)], locale
        keys[locale] = {e.id.name for e in resource.body if isinstance(e, Message)}
    assert keys["uk"] == keys["en"] == keys["ru"]
    others = set()
    for path in LOCALES.glob("en/*.ftl"):
        if path.name != "staff.ftl":
            resource = parse(path.read_text(encoding="utf-8"))
            others |= {e.id.name for e in resource.body if isinstance(e, Message)}
    assert not keys["en"] & others  # no key of ours shadows another file's
