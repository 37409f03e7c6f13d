"""Who a segment selects, against a seeded set of clients: each term, consent always required,
streaming in batches, and the preview (count per channel, sample names)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

import pytest

from core.mailings.audience import Scope, audience_query, client_batches, preview
from core.mailings.segments import parse
from core.services import Services
from storage.models import (
    Client,
    EntryKind,
    LedgerEntry,
    MessengerAccount,
    Order,
    OrderStatus,
    Role,
    Staff,
)

TODAY = date(2026, 11, 23)
SCOPE = Scope(TODAY, "UAH")
_numbers = itertools.count(1)


async def client(
    name: str,
    *,
    consent: bool | None = True,
    channels: tuple[str, ...] = ("telegram",),
    locale: str = "uk",
    **fields: Any,
) -> Client:
    made = await Client.create(
        first_name=name, marketing_consent=consent, locale=locale, phone=None, **fields
    )
    for i, channel in enumerate(channels):
        await MessengerAccount.create(
            channel=channel,
            external_id=f"{name}-{channel}",
            client=made,
            last_inbound_at=datetime(2026, 11, 1 + i, tzinfo=UTC),
        )
    return made


async def order(who: Client, country: str, status: OrderStatus, **fields: Any) -> Order:
    return await Order.create(
        number=f"T{next(_numbers)}",
        client=who,
        destination=country,
        country=country,
        status=status,
        currency="UAH",
        price=fields.pop("price", 100000),
        paid=fields.pop("paid", 100000),
        **fields,
    )


@pytest.fixture
async def seeded(db_url: str) -> dict[str, Any]:
    manager = await Staff.create(name="Marta", role=Role.MANAGER)
    ana = await client(
        "Ana", gender="f", birthday=date(1990, 11, 25), manager=manager, bonus_points=500
    )
    await order(
        ana,
        "TR",
        OrderStatus.COMPLETED,
        departure_date=date(2026, 6, 10),
        return_date=date(2026, 6, 20),
    )
    await order(
        ana, "EG", OrderStatus.BOOKED, departure_date=date(2027, 1, 10), price=50000, paid=10000
    )
    await LedgerEntry.create(
        client=ana, amount=20000, currency="UAH", kind=EntryKind.PAYMENT, reference="t:1"
    )
    bohdan = await client(
        "Bohdan", channels=("viber",), locale="en", gender="m", birthday=date(2000, 1, 15)
    )
    await order(bohdan, "ES", OrderStatus.COMPLETED, departure_date=date(2024, 5, 1))
    await client("Chris", locale="ru")
    hanna = await client("Hanna", channels=("telegram", "viber"))
    await order(hanna, "TR", OrderStatus.CANCELLED, departure_date=date(2026, 6, 12))
    # never in any audience, however well they match
    dana = await client("Dana", consent=False, gender="f", birthday=date(1990, 11, 25))
    await order(dana, "TR", OrderStatus.COMPLETED, departure_date=date(2026, 6, 10))
    await client("Fedir", consent=None)
    await client("Gala", forget_requested_at=datetime(2026, 11, 1, tzinfo=UTC))
    egor = await client("Egor")
    await MessengerAccount.filter(client_id=egor.id).update(blocked=True)
    await client("Ivan", channels=())  # no messenger at all
    return {"manager": manager}


async def names(expression: str, scope: Scope = SCOPE) -> set[str]:
    query = audience_query(parse(expression), scope)
    return set(await query.values_list("first_name", flat=True))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("", {"Ana", "Bohdan", "Chris", "Hanna"}),
        ("channel=telegram", {"Ana", "Chris", "Hanna"}),
        ("channel=viber", {"Bohdan", "Hanna"}),
        ("lang=uk", {"Ana", "Hanna"}),
        ("lang=en|ru", {"Bohdan", "Chris"}),
        ("lead", {"Chris", "Hanna"}),
        ("customer", {"Ana", "Bohdan"}),
        ("repeat", {"Ana"}),
        ("orders>=2", {"Ana"}),
        ("orders=1", {"Bohdan"}),
        ("orders<1", {"Chris", "Hanna"}),
        ("orders<=5", {"Ana", "Bohdan", "Chris", "Hanna"}),
        ("age=30-40", {"Ana"}),
        ("age=35-35", {"Ana"}),
        ("age=36-40", set()),
        ("age=26-26", {"Bohdan"}),
        ("gender=f", {"Ana"}),
        ("gender=m|f", {"Ana", "Bohdan"}),
        ("birthday_within=1", set()),
        ("birthday_within=2", {"Ana"}),
        ("birthday_within=60", {"Ana", "Bohdan"}),
        ("birthday_within=366", {"Ana", "Bohdan"}),
        ("country=TR", {"Ana"}),
        ("country=eg|es", {"Ana", "Bohdan"}),
        ("departed=2026-06-01..2026-06-30", {"Ana"}),
        ("returning=2026-06-20..2026-06-20", {"Ana"}),
        ("returning=2026-06-21..2026-12-31", set()),
        ("debt>399", {"Ana"}),
        ("debt>400", set()),
        ("debt>=400", {"Ana"}),
        ("balance>199.99", {"Ana"}),
        ("balance>200", set()),
        ("balance<1", {"Bohdan", "Chris", "Hanna"}),
        ("bonus>100", {"Ana"}),
        ("bonus<=0", {"Bohdan", "Chris", "Hanna"}),
        ("last_trip<2025-01-01", {"Bohdan"}),
        ("last_trip<2026-07-01", {"Bohdan"}),
        ("last_trip<2027-06-01", {"Ana", "Bohdan"}),
        ("customer and lang=uk and channel=telegram", {"Ana"}),
        ("orders>=1 and country=TR and age=25-45", {"Ana"}),
    ],
)
async def test_each_term_selects_the_right_clients_and_consent_is_always_required(
    seeded: dict[str, Any], expression: str, expected: set[str]
) -> None:
    assert await names(expression) == expected


async def test_manager_term(seeded: dict[str, Any]) -> None:
    manager = seeded["manager"]
    assert await names(f"manager={manager.id}") == {"Ana"}
    assert await names(f"manager={manager.id + 1}") == set()


async def test_birthday_on_29_february_counts_on_the_28th_in_common_years(db_url: str) -> None:
    await client("Leap", birthday=date(2000, 2, 29))
    await client("March", birthday=date(1999, 3, 1))
    common = Scope(date(2027, 2, 26), "UAH")
    assert await names("birthday_within=2", common) == {"Leap"}
    assert await names("birthday_within=3", common) == {"Leap", "March"}
    leap = Scope(date(2028, 2, 26), "UAH")
    assert await names("birthday_within=2", leap) == set()
    assert await names("birthday_within=3", leap) == {"Leap"}


async def test_audience_is_streamed_in_batches_in_id_order(seeded: dict[str, Any]) -> None:
    query = audience_query(parse(""), SCOPE)
    batches = [ids async for ids in client_batches(query, batch=3)]
    assert [len(b) for b in batches] == [3, 1]
    flat = [i for b in batches for i in b]
    expected = await Client.filter(first_name__in=["Ana", "Bohdan", "Chris", "Hanna"]).order_by(
        "id"
    )
    assert flat == [c.id for c in expected]


async def test_preview_counts_per_channel_and_shows_five_names(
    seeded: dict[str, Any], services: Services
) -> None:
    shown = await preview(services, parse(""), SCOPE)
    # Hanna writes from Viber last, so that is where she gets mailings
    assert (shown.total, shown.per_channel) == (4, {"telegram": 2, "viber": 2})
    assert shown.sample == ["Ana", "Bohdan", "Chris", "Hanna"]
    for extra in range(3):
        await client(f"Zed{extra}", channels=("viber",))
    bigger = await preview(services, parse("channel=viber"), SCOPE, batch=2)
    assert (bigger.total, bigger.per_channel) == (5, {"viber": 5})
    assert bigger.sample == ["Bohdan", "Hanna", "Zed0", "Zed1", "Zed2"]


async def test_channel_names_are_the_configured_ones(services: Services) -> None:
    """``channel=`` takes the channels this deployment has set up, not every one it knows."""
    from core.channels import ChannelDirectory, ChannelInfo
    from core.errors import InvalidInput
    from core.mailings.service import resolve_segment

    services.channels = ChannelDirectory(
        [ChannelInfo("telegram", "Telegram", enabled=False), ChannelInfo("viber", "Viber")]
    )
    assert str(await resolve_segment(services, "channel=viber")) == "channel=viber"
    with pytest.raises(InvalidInput) as caught:
        await resolve_segment(services, "channel=telegram")
    assert caught.value.args_["format"] == "viber"
