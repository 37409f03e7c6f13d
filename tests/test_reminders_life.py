"""One order's whole life with the clock running: created, payment due, paid late, departure,
return, review. The tourist (Ukrainian) and the manager (English) each get every message once,
at the right local time, in their language — and nothing once its subject changed."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from core.clock import ManualClock
from core.payloads import encode
from core.rules import Reminders, Rules
from core.services import Services
from storage.models import Order, OrderStatus, OutboxMessage, Role
from tests.support.chat import RecordingChat
from tests.support.factories import make_client_account, make_order, make_staff
from tests.support.reminders import World, kyiv


@pytest.fixture
def rules() -> Rules:
    return Rules(reminders=Reminders(planner_minutes=240))


async def test_a_full_order_life(
    services: Services, clock: ManualClock, chat: RecordingChat
) -> None:
    world = World(services, clock)
    manager, _ = await make_staff(
        Role.MANAGER, name="Iryna", user_id="iryna", channel="telegram", locale="en"
    )
    tourist, _ = await make_client_account(locale="uk", first_name="Оксана", user_id="u1")
    await world.start()  # Monday 23 November 2026, 12:00 in Kyiv

    order = await make_order(
        tourist,
        created_at=clock.now(),
        price=4_000_000,
        paid=1_200_000,  # the prepayment
        due=date(2026, 12, 1),
        departure=date(2026, 12, 10),
        back=date(2026, 12, 17),
        country="EG",
        destination="Хургада",
        manager=manager,
        status=OrderStatus.CONFIRMED,
    )

    # the due date passes unpaid; the tourist pays late, on 3 December in the afternoon
    await world.run_until(kyiv(2026, 12, 3, 15))
    await Order.filter(id=order.id).update(paid=order.price, status=OrderStatus.PAID)

    # back home; the review request comes, the tourist rates it 2 and says why
    await world.run_until(kyiv(2026, 12, 18, 12))
    await chat.press_payload(encode("review", order.id, 2))
    assert "Дякуємо за оцінку: 2" in chat.text
    await chat.say("Готель був не той, що в описі.")
    assert "Дякуємо за відгук" in chat.text
    await world.run_until(kyiv(2026, 12, 31))

    # --- what the tourist received ---
    tourist_msgs = world.to("u1")
    assert [r.at for r in tourist_msgs] == [
        kyiv(2026, 11, 28, 10),  # payment: in 3 days
        kyiv(2026, 11, 30, 10),  # payment: tomorrow
        kyiv(2026, 12, 1, 10),  # payment: today
        kyiv(2026, 12, 7, 10),  # pre-departure: checklist + Egypt memo
        kyiv(2026, 12, 18, 10),  # review request
    ]
    due3, due1, due0, depart, review = (r.text for r in tourist_msgs)
    assert "28\xa0000,00\xa0₴" in due3 and "через 3 дні" in due3
    assert "тобто завтра" in due1 and "Сьогодні" in due0
    assert "паспорти" in depart and "Пам'ятка: Єгипет" in depart
    assert "З поверненням!" in review and "(Хургада)" in review  # no "з Хургада" (case)
    assert all(r.buttons[0].payload == encode("pay", order.id) for r in tourist_msgs[:3])

    # --- what the manager received ---
    iryna = world.to("iryna")
    digests = [r for r in iryna if r.text.startswith("☀️")]
    alerts = [r for r in iryna if "Low review" in r.text]
    assert len(digests) + len(alerts) == len(iryna)
    days = [r.local.date() for r in digests]
    assert days == sorted(set(days))  # one digest a day ...
    assert all(r.local.hour == 9 for r in digests[1:])  # ... at 09:00 (the first one at start)
    by_day = {r.local.date(): r.text for r in digests}
    assert "due today" in by_day[date(2026, 12, 1)]
    assert "overdue since December 1, 2026" in by_day[date(2026, 12, 3)]
    assert order.number not in by_day[date(2026, 12, 4)]  # paid: gone from the digest
    assert "Departures today (1)" in by_day[date(2026, 12, 10)]
    (alert,) = alerts
    assert alert.at == kyiv(2026, 12, 18, 12)
    assert "2/5" in alert.text and "Готель був не той, що в описі." in alert.text

    # nothing was ever delivered twice
    assert max(Counter((r.user, r.text) for r in world.received).values()) == 1
    assert await OutboxMessage.filter(status="pending").count() == 0
