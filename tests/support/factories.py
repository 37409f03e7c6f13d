"""The one place tests create people and orders straight in the database.

Every argument a test does not name gets a plain default; a test that depends on a value (a
price it reads back, a date it shows) names it.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime

from storage.models import Client, MessengerAccount, Order, OrderStatus, Role, Staff
from tests.support.channels import Channel

_seq = itertools.count(1)


def _channel(channel: Channel | str) -> str:
    return channel.value if isinstance(channel, Channel) else channel


async def make_client(
    phone: str | None = None,
    first_name: str = "Olena",
    last_name: str = "",
    *,
    user_id: str | None = None,
    channel: Channel | str = Channel.CONSOLE,
    locale: str = "en",
    manager: Staff | None = None,
    birthday: date | None = None,
    consent: bool | None = None,
    created_at: datetime | None = None,
) -> Client:
    """A client (a fresh phone unless given); with a messenger account when ``user_id`` is given."""
    client = Client(
        phone=phone or f"+38067{next(_seq):07d}",
        first_name=first_name,
        last_name=last_name,
        locale=locale,
        manager=manager,
        birthday=birthday,
        marketing_consent=consent,
    )
    if created_at is not None:
        client.created_at = created_at
    await client.save()
    if user_id is not None:
        await MessengerAccount.create(
            channel=_channel(channel), external_id=user_id, client=client, language=locale
        )
    return client


async def make_client_account(
    *,
    user_id: str | None = None,
    channel: Channel | str = Channel.CONSOLE,
    first_name: str = "Olena",
    last_name: str = "",
    locale: str = "en",
    birthday: date | None = None,
    consent: bool | None = None,
    created_at: datetime | None = None,
) -> tuple[Client, MessengerAccount]:
    """A client with one messenger account (a fresh id unless given), and that account."""
    client = await make_client(
        first_name=first_name,
        last_name=last_name,
        user_id=user_id or f"c{next(_seq)}",
        channel=channel,
        locale=locale,
        birthday=birthday,
        consent=consent,
        created_at=created_at,
    )
    return client, await MessengerAccount.get(client_id=client.id)


async def make_staff(
    role: Role = Role.MANAGER,
    user_id: str | None = None,
    *,
    name: str | None = None,
    active: bool = True,
    channel: Channel | str = Channel.CONSOLE,
    locale: str = "en",
) -> tuple[Staff, MessengerAccount]:
    """A staff member with one messenger account (a fresh id unless given)."""
    user_id = user_id or f"s{next(_seq)}"
    staff = await Staff.create(
        name=name or f"{role.value}-{user_id}", role=role, locale=locale, active=active
    )
    account = await MessengerAccount.create(
        channel=_channel(channel),
        external_id=user_id,
        staff=staff,
        name=name or "",
        language=locale,
    )
    return staff, account


async def make_order(
    client: Client,
    number: str | None = None,
    *,
    price: int = 1_000_000,
    paid: int = 0,
    currency: str = "UAH",
    status: OrderStatus = OrderStatus.BOOKED,
    due: date | None = None,
    departure: date | None = None,
    back: date | None = None,
    manager: Staff | None = None,
    destination: str = "Egypt",
    country: str | None = None,
    created_at: datetime | None = None,
) -> Order:
    """An order; numbered T-0001, T-0002, ... (the first free) unless ``number`` is given."""
    if number is None:
        n = await Order.all().count() + 1
        while await Order.exists(number=f"T-{n:04d}"):
            n += 1
        number = f"T-{n:04d}"
    order = Order(
        number=number,
        client=client,
        manager=manager,
        destination=destination,
        country=country,
        departure_date=departure,
        return_date=back,
        price=price,
        paid=paid,
        currency=currency,
        due_date=due,
        status=status,
    )
    if created_at is not None:
        order.created_at = created_at
    await order.save()
    return order
