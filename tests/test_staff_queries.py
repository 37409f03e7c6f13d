"""What staff look up: orders (paginated), one order, clients, debtors, requests, today."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.contract import Kind, Reply
from core.services import Services
from handlers.router import Router
from storage.models import (
    EntryKind,
    FollowUp,
    LedgerEntry,
    MessengerAccount,
    OrderStatus,
    Role,
    TourRequest,
)
from tests.support.channels import Channel
from tests.support.chat import chat_for
from tests.support.factories import make_client, make_order, make_staff


async def test_orders_by_status_are_paginated(services: Services, router: Router) -> None:
    await make_staff(Role.MANAGER, "mgr")
    client = await make_client("+380671234567", "Olena")
    for n in range(1, 9):
        await make_order(client, f"T-{n:04d}", destination=f"Place {n}")
    await make_order(client, "T-0100", status=OrderStatus.CANCELLED, destination="Nowhere")
    chat = chat_for(services, router, "mgr")
    await chat.say("/orders")
    assert "Orders: Open (8)" in chat.text and "Page 1 of 2" in chat.text
    assert "Nowhere" not in chat.text
    assert "Previous" not in " ".join(chat.labels())
    await chat.press("Next")
    assert "Page 2 of 2" in chat.text and "Next" not in " ".join(chat.labels())
    assert chat.text.count("T-00") == 2
    await chat.press("Previous")
    assert "Page 1 of 2" in chat.text
    await chat.press("Cancelled")
    assert "Orders: Cancelled (1)" in chat.text and "Nowhere" in chat.text
    await chat.say("/orders lost")
    assert "Unknown status" in chat.text


async def test_find_by_phone_name_and_order_number(services: Services, router: Router) -> None:
    await make_staff(Role.MANAGER, "mgr")
    olena = await make_client("+380671234567", "Olena", "Petrenko")
    await make_client("+380501112233", "Oleh", "Petrenko")
    await make_order(olena, "T-0042")
    chat = chat_for(services, router, "mgr")
    await chat.say("/find petrenko")
    assert "Found 2" in chat.text
    assert "+380*****2233" in chat.text and "+380671234567" not in chat.text  # masked in lists
    await chat.press("Oleh")
    assert "👤 Oleh Petrenko" in chat.text and "+380501112233" in chat.text
    await chat.say("/find")
    await chat.say("t-42")
    assert "👤 Olena Petrenko" in chat.text
    await chat.press_payload("1|sfc")
    await chat.say("4567")
    assert "👤 Olena Petrenko" in chat.text
    await chat.press_payload("1|sfc")
    await chat.say("Nobody Here")
    assert "Nothing found" in chat.text
    await chat.say("Oleh")  # still asking: another try
    assert "👤 Oleh Petrenko" in chat.text
    await chat.say("/find")
    await chat.say("/debtors")  # a command leaves the search
    await chat.say("Oleh")
    assert "did not understand" in chat.text and "Staff desk" in chat.text


async def test_client_card_has_contacts_balance_trips_and_history(
    services: Services, router: Router
) -> None:
    manager, _ = await make_staff(Role.MANAGER, "mgr", name="Marta")
    client = await make_client(
        "+380671234567",
        "Olena",
        "Petrenko",
        user_id="vb1",
        channel=Channel.VIBER,
        manager=manager,
    )
    await make_order(client, "T-0001", price=100_000, paid=40_000)
    for amount, currency, ref in ((70_000, "UAH", "a"), (-20_000, "UAH", "b"), (5_000, "EUR", "c")):
        await LedgerEntry.create(
            client=client,
            amount=amount,
            currency=currency,
            kind=EntryKind.ADJUSTMENT,
            reference=ref,
        )
    account = await MessengerAccount.get(external_id="vb1")
    await services.outbox.record_inbound(account, "Hello, is my hotel confirmed?")
    await services.outbox.enqueue(account, Reply("Yes, it is."))
    chat = chat_for(services, router, "mgr")
    await chat.press_payload(f"1|scc|{client.id}")
    text = chat.text
    assert "Phone: +380671234567" in text and "Manager: Marta" in text
    assert "viber ✅" in text
    assert "Balance: €50.00, UAH\xa0500.00" in text
    assert "T-0001 Egypt — booked, left UAH\xa0600.00" in text
    assert "← November 23, 2026, 12:00\u202fPM: Hello, is my hotel confirmed?" in text
    assert "→ November 23, 2026, 12:00\u202fPM: Yes, it is." in text


async def test_debtors_oldest_due_first_with_totals(services: Services, router: Router) -> None:
    await make_staff(Role.ACCOUNTANT, "acc")
    a = await make_client("+380671234567", "Anna")
    b = await make_client("+380501112233", "Bohdan")
    await make_order(a, "T-0001", price=100_000, due=date(2026, 12, 10))
    await make_order(b, "T-0002", price=50_000, paid=10_000, due=date(2026, 11, 20))
    await make_order(a, "T-0003", price=30_000, currency="EUR", due=None)
    await make_order(b, "T-0004", price=10_000, paid=10_000, due=date(2026, 11, 1))  # paid up
    await make_order(b, "T-0005", price=10_000, status=OrderStatus.CANCELLED)
    chat = chat_for(services, router, "acc")
    await chat.say("/debtors")
    text = chat.text
    assert "Debtors (3)" in text
    assert text.index("T-0002") < text.index("T-0001") < text.index("T-0003")
    assert "❗ T-0002 · Bohdan · UAH\xa0400.00 was due November 20, 2026" in text
    assert "T-0004" not in text and "T-0005" not in text
    assert "Total due: €300.00, UAH\xa01,400.00" in text


async def test_new_and_my_requests(services: Services, router: Router) -> None:
    manager, _ = await make_staff(Role.MANAGER, "mgr")
    client = await make_client("+380671234567", "Olena")
    await TourRequest.create(number="R-0001", client=client, destination="Egypt")
    await TourRequest.create(
        number="R-0002",
        client=client,
        destination="Crete",
        manager=manager,
        status="taken",
        taken_at=datetime(2026, 11, 22, tzinfo=UTC),
    )
    chat = chat_for(services, router, "mgr")
    await chat.say("/requests")
    assert "New requests (1)" in chat.text and "R-0001 · Egypt" in chat.text
    assert "🙋 Take R-0001" in chat.labels()
    await chat.say("/myrequests")
    assert "My requests (1)" in chat.text and "R-0002 · Crete" in chat.text


async def test_today_in_the_agency_time_zone(services: Services, router: Router) -> None:
    manager, _ = await make_staff(Role.MANAGER, "mgr", name="Marta")
    other, _ = await make_staff(Role.MANAGER, "oth", name="Oksana")
    await make_staff(Role.ADMIN, "adm")
    client = await make_client("+380671234567", "Olena")
    today = date(2026, 11, 23)  # 10:00 UTC is 12:00 in Kyiv
    await make_order(client, "T-0001", departure=today, destination="Dubai")
    await make_order(client, "T-0002", due=today, price=20_000)
    await make_order(client, "T-0003", due=date(2026, 11, 1), price=20_000)
    await FollowUp.create(
        staff=manager,
        client=client,
        due_at=datetime(2026, 11, 23, 21, 30, tzinfo=UTC),
        note="late call",  # 23:30 in Kyiv: still today
    )
    await FollowUp.create(
        staff=other,
        client=client,
        due_at=datetime(2026, 11, 23, 22, 30, tzinfo=UTC),
        note="tomorrow already",  # 00:30 the next day in Kyiv
    )
    await FollowUp.create(
        staff=other,
        client=client,
        due_at=datetime(2026, 11, 23, 12, 0, tzinfo=UTC),
        note="Oksana's call",
    )
    mine = chat_for(services, router, "mgr")
    await mine.say("/today")
    text = mine.text
    assert "Today, November 23, 2026" in text
    assert "T-0001 · Dubai · Olena" in text
    assert "T-0002 · Olena · UAH\xa0200.00" in text
    assert "Overdue payments: 1" in text
    assert "11:30\u202fPM · Olena · late call (Marta)" in text
    assert "tomorrow already" not in text and "Oksana's call" not in text
    admin = chat_for(services, router, "adm")
    await admin.say("/today")
    assert "Oksana's call" in admin.text and "late call" in admin.text


async def test_unknown_text_from_staff_gets_the_staff_menu_but_replies_still_relay(
    services: Services, router: Router
) -> None:
    from core.relay import Message, relay_to_staff
    from storage.models import OutboxMessage

    _, account = await make_staff(Role.MANAGER, "mgr", name="Marta")
    client = await make_client("+380671234567", "Olena", user_id="olena")
    chat = chat_for(services, router, "mgr")
    await chat.say("hello?")
    assert "did not understand" in chat.text and "Staff desk — Marta" in chat.text
    olena = await MessengerAccount.get(external_id="olena")
    await relay_to_staff(services, client, olena, Message("Is the hotel confirmed?"))
    relayed = await OutboxMessage.get(account_id=account.id, kind="relay")
    await OutboxMessage.filter(id=relayed.id).update(platform_message_id="m-77")
    await chat.send(chat._incoming(Kind.TEXT, text="Yes, it is.", reply_to="m-77"))
    assert "Staff desk" not in chat.text
    assert await OutboxMessage.filter(client_id=client.id, kind="relay-answer").exists()
