"""Each report's figures against rows seeded for the purpose, on SQLite and PostgreSQL; the
chart is a real PNG; CSV / XLSX exports hold the same figures."""

from __future__ import annotations

import csv
import struct
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tortoise.models import Model

from core.reports import registry
from core.reports.base import Period
from core.reports.chart import render_png
from core.reports.export import to_csv, to_xlsx
from core.reports.text import figures
from core.services import Services
from storage.models import (
    EntryKind,
    IntentPurpose,
    IntentStatus,
    LedgerEntry,
    Mailing,
    MailingRecipient,
    MailingStatus,
    OrderStatus,
    PaymentIntent,
    RecipientOutcome,
    TourRequest,
)
from tests.support.factories import make_client, make_order

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


def at(day: int, hour: int = 10, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


async def backdate(model: Model, moment: datetime) -> None:
    await type(model).filter(id=model.pk).update(created_at=moment)


async def intent(
    client_id: int, order_id: int, status: IntentStatus, amount: int, when: datetime
) -> None:
    n = await PaymentIntent.all().count() + 1
    row = await PaymentIntent.create(
        token=f"tok{n}",
        reference=f"ref{n}",
        client_id=client_id,
        order_id=order_id,
        purpose=IntentPurpose.ORDER,
        amount=amount,
        currency="UAH",
        provider="sandbox",
        status=status,
        expires_at=when,
    )
    await backdate(row, when)


async def payment(client_id: int, amount: int, when: datetime, currency: str = "UAH") -> None:
    n = await LedgerEntry.all().count() + 1
    row = await LedgerEntry.create(
        client_id=client_id,
        amount=amount,
        currency=currency,
        kind=EntryKind.PAYMENT,
        reference=f"test:{n}",
    )
    await backdate(row, when)


async def test_prepayments_count_links_by_outcome(services: Services) -> None:
    client = await make_client()
    order = await make_order(client, price=1_000_000)
    await intent(client.id, order.id, IntentStatus.PAID, 300_000, at(3))
    await intent(client.id, order.id, IntentStatus.PAID, 200_000, at(20))
    await intent(client.id, order.id, IntentStatus.EXPIRED, 300_000, at(5))
    await intent(client.id, order.id, IntentStatus.CANCELLED, 300_000, at(6))
    await intent(client.id, order.id, IntentStatus.PENDING, 100_000, at(22))
    await intent(client.id, order.id, IntentStatus.PAID, 999_999, at(28, month=10))  # October

    report = await registry.build("prepayments", NOVEMBER, services.rules)

    assert report.totals["sent"] == 5
    assert (report.totals["paid"], report.totals["expired"], report.totals["cancelled"]) == (
        2,
        1,
        1,
    )
    assert report.totals["pending"] == 1
    assert ["paid", "UAH", 2, 500_000] in report.rows
    assert report.chart is not None and report.chart.series["report-series-links"] == [2, 1, 1, 1]
    text = figures(report, services.translator("en"))
    assert "Links sent: 5" in text
    assert "paid: 2 · UAH\u00a05,000.00" in text


async def test_payments_per_day_fold_utc_hours_into_kyiv_days(services: Services) -> None:
    client = await make_client()
    await payment(client.id, 100_000, at(10, 9))
    await payment(client.id, 50_000, at(10, 21, 30))  # 23:30 in Kyiv: still the 10th
    await payment(client.id, 70_000, at(10, 22, 30))  # 00:30 on the 11th in Kyiv
    await payment(client.id, 1_000, at(12), currency="USD")
    await payment(client.id, 5_000, at(31, 21, 59, month=10))  # 23:59 on Oct 31 in Kyiv
    refund = await LedgerEntry.create(
        client_id=client.id, amount=-100_000, currency="UAH", kind=EntryKind.REFUND, reference="r"
    )
    await backdate(refund, at(10))

    report = await registry.build("payments", NOVEMBER, services.rules)

    assert report.rows == [
        [date(2026, 11, 10), "UAH", 2, 150_000],
        [date(2026, 11, 11), "UAH", 1, 70_000],
        [date(2026, 11, 12), "USD", 1, 1_000],
    ]
    assert report.totals == {"payments": 4, "amount_UAH": 220_000, "amount_USD": 1_000}
    assert report.chart is not None
    amounts = report.chart.series["report-series-amount"]
    assert (
        len(amounts) == 30
        and amounts[9] == 1500.0
        and amounts[10] == 700.0
        and sum(amounts) == 2200.0
    )


async def test_debtors_sum_what_is_left_per_client(services: Services) -> None:
    ann = await make_client(first_name="Ann", last_name="Lee")
    bob = await make_client(first_name="Bob", last_name="Ray")
    await make_order(ann, price=1_000_000, paid=300_000, due=date(2026, 11, 10))  # 7,000 overdue
    await make_order(ann, price=500_000, paid=0, due=date(2026, 12, 20))  # due after November
    await make_order(ann, price=200_000, paid=0, status=OrderStatus.CONFIRMED)  # no due date
    await make_order(
        bob, price=400_000, paid=100_000, due=date(2026, 11, 30)
    )  # due on the last day
    await make_order(bob, price=400_000, paid=400_000, due=date(2026, 11, 5))  # paid up
    await make_order(bob, price=900_000, status=OrderStatus.CANCELLED, due=date(2026, 11, 5))

    report = await registry.build("debtors", NOVEMBER, services.rules)

    assert report.rows == [
        ["Ann Lee", ann.phone, "UAH", 2, 900_000, 700_000, date(2026, 11, 10)],
        ["Bob Ray", bob.phone, "UAH", 1, 300_000, 0, date(2026, 11, 30)],
    ]
    assert report.totals == {
        "debtors": 2,
        "orders": 3,
        "owed_UAH": 1_200_000,
        "overdue_UAH": 700_000,
    }
    text = figures(report, services.translator("en"))
    assert "Ann Lee: UAH\u00a09,000.00 (overdue UAH\u00a07,000.00)" in text


async def test_conversion_requests_to_orders_to_paid(services: Services) -> None:
    client = await make_client()
    requests = []
    for i in range(5):
        row = await TourRequest.create(number=f"R-{i:04d}", client=client, destination="Egypt")
        await backdate(row, at(2 + i))
        requests.append(row)
    old = await TourRequest.create(number="R-OLD", client=client, destination="Egypt")
    await backdate(old, at(20, month=10))
    a = await make_order(client, paid=100_000)
    b = await make_order(client)
    c = await make_order(client, paid=500_000, status=OrderStatus.CANCELLED)
    d = await make_order(client, paid=200_000)
    e = await make_order(client, paid=100_000)  # a second paid order of the same request
    for order, request in (
        (a, requests[0]),
        (b, requests[1]),
        (c, requests[2]),
        (d, old),
        (e, requests[0]),
    ):
        order.tour_request_id = request.id
        await order.save()

    report = await registry.build("conversion", NOVEMBER, services.rules)

    assert report.totals == {"requests": 5, "ordered": 2, "paid": 1}
    assert report.rows == [["requests", 5, 100.0], ["ordered", 2, 40.0], ["paid", 1, 20.0]]
    text = figures(report, services.translator("en"))
    assert "Requests: 5 → orders: 2 (40%) → paid: 1 (20%)" in text


async def test_mailing_results_per_outcome(services: Services) -> None:
    mailing = await Mailing.create(status=MailingStatus.DONE, texts={"default": "Hi"})
    await backdate(mailing, at(15))
    october = await Mailing.create(status=MailingStatus.DONE, texts={"default": "Old"})
    await backdate(october, at(15, month=10))
    outcomes = (
        [RecipientOutcome.SEEN] * 3
        + [RecipientOutcome.DELIVERED] * 2
        + [
            RecipientOutcome.BLOCKED,
            RecipientOutcome.UNSUBSCRIBED,
            RecipientOutcome.FAILED,
        ]
    )
    for outcome in outcomes:
        client = await make_client()
        await MailingRecipient.create(mailing=mailing, client=client, outcome=outcome)
        await MailingRecipient.create(mailing=october, client=client, outcome=outcome)

    report = await registry.build("mailings", NOVEMBER, services.rules)

    assert len(report.rows) == 1
    row = report.as_dicts()[0]
    assert row["mailing"] == mailing.id and row["recipients"] == 8
    assert (row["seen"], row["delivered"], row["blocked"], row["unsubscribed"], row["failed"]) == (
        3,
        2,
        1,
        1,
        1,
    )
    assert report.totals["recipients"] == 8


@pytest.mark.parametrize("name", list(registry.REPORTS))
async def test_chart_is_a_png_even_for_an_empty_period(services: Services, name: str) -> None:
    client = await make_client()
    await payment(client.id, 100_000, at(10))
    report = await registry.build(name, NOVEMBER, services.rules)
    assert report.chart is not None
    png = await render_png(report.chart, services.translator("uk"), "Звіт")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (800, 450)
    assert figures(report, services.translator("uk"))


async def test_exports_hold_the_figures(services: Services, tmp_path: Path) -> None:
    client = await make_client()
    await payment(client.id, 150_050, at(10))
    report = await registry.build("payments", NOVEMBER, services.rules)
    to_csv(report, tmp_path / "p.csv")
    to_xlsx(report, tmp_path / "p.xlsx")
    with (tmp_path / "p.csv").open(encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle, delimiter=";")) == [
            ["date", "currency", "payments", "amount"],
            ["2026-11-10", "UAH", "1", "1500.50"],
        ]
    sheet = load_workbook(tmp_path / "p.xlsx").active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["date", "currency", "payments", "amount"]
    assert values[1][1:] == ["UAH", 1, 1500.5]


def test_periods() -> None:
    today = date(2026, 3, 15)
    assert Period.preset("this_month", today) == Period(date(2026, 3, 1), date(2026, 3, 15))
    assert Period.preset("last_month", today) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert Period.preset("last_30_days", today) == Period(date(2026, 2, 14), date(2026, 3, 15))
