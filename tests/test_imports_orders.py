"""Importing orders from a SAMO / ERP.travel style export: orders unique by number, the paid
amount as ledger entries with unique references, and the payment-due reminders that follow."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.clock import ManualClock
from core.imports.orders import import_orders
from core.imports.report import ImportReport
from core.imports.sources import open_sheet
from core.ledger import balance
from core.rules import Reminders, Rules
from core.services import Services
from storage.models import Client, EntryKind, LedgerEntry, Order, OrderStatus
from tests.support.factories import make_client, make_client_account, make_order
from tests.support.reminders import World, kyiv

SAMO = (
    "№ заявки;Турист;Телефон;Країна;Курорт;Дата початку;Дата закінчення;Вартість;Валюта;"
    "Оплачено;Сплатити до"
)


@pytest.fixture
def rules() -> Rules:
    return Rules(reminders=Reminders(planner_minutes=180))


def write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return path


async def run(services: Services, path: Path, **kwargs: object) -> ImportReport:
    sheet = open_sheet(path)
    return await import_orders(
        services,
        sheet.rows,
        headers=list(sheet.headers),
        first_line=sheet.first_line,
        **kwargs,  # type: ignore[arg-type]
    )


async def test_orders_are_created_paid_and_a_reminder_is_planned(
    services: Services, clock: ManualClock, tmp_path: Path
) -> None:
    client, account = await make_client_account(locale="en")
    assert client.phone is not None
    path = write(
        tmp_path / "samo.csv",
        SAMO,
        [
            f"102345;Bondar Olena;{client.phone};EG;Hurghada;10.12.2026;17.12.2026;30 000,00;UAH;"
            "10 000;01.12.2026",
            "102346;Marchenko Petro;0502223344;TR;Antalya;2026-12-20;2026-12-27;45000;UAH;45000;",
            "102347;Nobody;0931112233;;;;;;;;",  # line 4: new, but no destination / price
            # line 5: back before going out
            "102348;Shevchenko Taras;0671234560;TR;Side;20.12.2026;10.12.2026;1000;UAH;;",
        ],
    )
    world = World(services, clock)
    await world.start()

    report = await run(services, path)

    assert (report.new, report.invalid, report.clients_created) == (2, 2, 1)
    assert [(i.line, i.field, i.reason) for i in report.issues] == [
        (4, "destination", "import-reason-missing"),
        (5, "return", "import-reason-dates"),
    ]
    order = await Order.get(number="102345")
    assert (order.client_id, order.country, order.destination) == (client.id, "EG", "Hurghada")
    assert (order.departure_date, order.return_date) == (date(2026, 12, 10), date(2026, 12, 17))
    assert (order.price, order.paid, order.due_date) == (3_000_000, 1_000_000, date(2026, 12, 1))
    assert order.status is OrderStatus.CONFIRMED  # the prepayment (30 %) is covered
    entries = await LedgerEntry.filter(order_id=order.id).order_by("id")
    assert [(e.kind, e.amount, e.reference) for e in entries] == [
        (EntryKind.OPENING, 1_000_000, "import:paid:102345:1000000"),
        (EntryKind.ORDER_CHARGE, -1_000_000, "import:paid:102345:1000000:order"),
    ]
    assert await balance(client.id, "UAH") == 0  # the money went to the order
    petro = await Client.get(phone="+380502223344")
    assert (petro.first_name, petro.last_name) == ("Petro", "Marchenko")
    assert (await Order.get(number="102346")).status is OrderStatus.PAID

    await world.run_until(kyiv(2026, 12, 2))
    got = world.to(account.external_id)
    assert [r.at for r in got] == [
        kyiv(2026, 11, 28, 10),
        kyiv(2026, 11, 30, 10),
        kyiv(2026, 12, 1, 10),
    ]
    assert "20,000.00" in got[0].text  # what is left to pay


async def test_a_second_run_changes_nothing_and_more_money_adds_the_difference(
    services: Services, tmp_path: Path
) -> None:
    client = await make_client("+380671112233")
    row = "102345;Olena;0671112233;EG;Hurghada;10.12.2026;17.12.2026;30000;UAH;{paid};01.12.2026"
    first = write(tmp_path / "a.csv", SAMO, [row.format(paid="10000")])
    await run(services, first)
    entries = await LedgerEntry.all().count()

    again = await run(services, first)
    assert (again.new, again.updated, again.unchanged, again.ledger_entries) == (0, 0, 1, 0)
    assert await LedgerEntry.all().count() == entries

    more = write(tmp_path / "b.csv", SAMO, [row.format(paid="30000")])
    report = await run(services, more)
    assert report.updated == 1
    order = await Order.get(number="102345")
    assert (order.paid, order.status) == (3_000_000, OrderStatus.PAID)
    added = await LedgerEntry.get(reference="import:paid:102345:3000000")
    assert added.amount == 2_000_000 and added.client_id == client.id

    less = write(tmp_path / "c.csv", SAMO, [row.format(paid="5000")])
    assert (await run(services, less)).unchanged == 1  # never takes money back
    assert (await Order.get(number="102345")).paid == 3_000_000


async def test_updates_follow_the_file_but_not_for_closed_or_foreign_orders(
    services: Services, tmp_path: Path
) -> None:
    mine = await make_client("+380671112233")
    other = await make_client("+380502223344")
    await make_order(mine, "A-1", price=100_000, due=date(2026, 12, 1))
    await make_order(mine, "A-2", price=100_000, status=OrderStatus.CANCELLED)
    await make_order(other, "A-3", price=100_000)
    path = write(
        tmp_path / "o.csv",
        "Order;Phone;Destination;Price;Due",
        [
            "A-1;0671112233;Crete;1500;2026-12-05",
            "A-2;0671112233;Crete;1500;2026-12-05",
            "A-3;0671112233;Crete;1500;2026-12-05",
            "A-1;0671112233;Rhodes;1600;",
        ],
    )

    dry = await run(services, path, dry_run=True)
    report = await run(services, path)

    for r in (dry, report):
        assert (r.updated, r.unchanged, r.invalid, r.duplicate) == (1, 1, 1, 1)
        assert [(i.line, i.reason) for i in r.issues] == [
            (4, "import-reason-other-client"),
            (5, "import-reason-duplicate"),
        ]
    a1 = await Order.get(number="A-1")
    assert (a1.destination, a1.price, a1.due_date) == ("Crete", 150_000, date(2026, 12, 5))
    assert (await Order.get(number="A-2")).destination == "Egypt"
    assert (await Order.get(number="A-3")).client_id == other.id


async def test_a_lower_price_already_covered_makes_the_order_paid(
    services: Services, tmp_path: Path
) -> None:
    mine = await make_client("+380671112233")
    await make_order(mine, "B-1", price=200_000, paid=150_000, status=OrderStatus.CONFIRMED)
    path = write(tmp_path / "o.csv", "Order;Phone;Price", ["B-1;0671112233;1500"])

    report = await run(services, path)

    assert report.updated == 1
    order = await Order.get(number="B-1")
    assert (order.price, order.status) == (150_000, OrderStatus.PAID)
