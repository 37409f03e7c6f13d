"""Client reminders: payment due, pre-departure, review request, birthday — each at the right
local time, once, in the client's language, and never after its subject changed."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from core.clock import ManualClock
from core.payloads import encode
from core.rules import QuietHours, Reminders, Rules
from core.services import Services
from storage.models import (
    Client,
    Job,
    JobStatus,
    MessengerAccount,
    Order,
    OrderStatus,
    OutboxMessage,
    OutboxStatus,
)
from tests.support.factories import make_client_account, make_order
from tests.support.reminders import World, kyiv


@pytest.fixture
def rules() -> Rules:
    # the planner every 3 hours keeps the simulated weeks short; its horizon is 36 hours
    return Rules(reminders=Reminders(planner_minutes=180))


@pytest.fixture
async def world(services: Services, clock: ManualClock) -> World:
    return World(services, clock)


# --- payment due ------------------------------------------------------------------------------


async def test_payment_due_three_days_before_the_day_before_and_on_the_day_at_ten_local(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    client, account = await make_client_account(locale="en")
    order = await make_order(
        client,
        created_at=clock.now(),
        price=3_000_000,
        paid=1_000_000,
        due=date(2026, 12, 1),
        status=OrderStatus.CONFIRMED,
    )
    await world.run_until(kyiv(2026, 11, 28, 9, 59))
    assert world.to(account.external_id) == []  # nothing early

    await world.run_until(kyiv(2026, 12, 3))
    got = world.to(account.external_id)
    assert [r.at for r in got] == [
        kyiv(2026, 11, 28, 10),
        kyiv(2026, 11, 30, 10),
        kyiv(2026, 12, 1, 10),
    ]
    assert "in 3 days" in got[0].text and "tomorrow" in got[1].text and "Today" in got[2].text
    for r in got:
        assert "20,000.00" in r.text  # what is left to pay, not the price
        assert [b.payload for b in r.buttons] == [encode("pay", order.id)]
        assert "UAH\xa020,000.00" in r.buttons[0].label


async def test_payment_reminders_stop_once_the_order_is_paid(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    client, account = await make_client_account()
    order = await make_order(client, created_at=clock.now(), due=date(2026, 12, 1), price=3_000_000)
    await world.run_until(kyiv(2026, 11, 29, 12))
    assert len(world.to(account.external_id)) == 1
    assert await Job.filter(kind="reminder.payment_due", status=JobStatus.PENDING).count() == 1

    # paid: nothing more is sent, and the planned reminder is cancelled
    await Order.filter(id=order.id).update(paid=order.price, status=OrderStatus.PAID)
    await world.run_until(kyiv(2026, 11, 29, 23))
    assert await Job.filter(kind="reminder.payment_due", status=JobStatus.CANCELLED).count() == 1
    await world.run_until(kyiv(2026, 12, 5))
    assert len(world.to(account.external_id)) == 1


async def test_paid_just_before_the_reminder_fires_is_not_reminded(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    client, account = await make_client_account()
    order = await make_order(client, created_at=clock.now(), due=date(2026, 12, 1), price=3_000_000)
    await world.run_until(kyiv(2026, 11, 28, 9, 59))
    # the job for 10:00 is already planned; the payment lands one minute before it fires
    assert await Job.filter(kind="reminder.payment_due", status=JobStatus.PENDING).count() >= 1
    await Order.filter(id=order.id).update(paid=order.price, status=OrderStatus.PAID)
    await world.run_until(kyiv(2026, 12, 3))
    assert world.to(account.external_id) == []


async def test_moved_due_date_moves_the_reminders(world: World, clock: ManualClock) -> None:
    await world.start()
    client, account = await make_client_account()
    order = await make_order(client, created_at=clock.now(), due=date(2026, 12, 1), price=3_000_000)
    await world.run_until(kyiv(2026, 11, 28, 12))
    await Order.filter(id=order.id).update(due_date=date(2026, 12, 8))
    await world.run_until(kyiv(2026, 12, 10))
    got = world.to(account.external_id)
    assert [r.at for r in got] == [
        kyiv(2026, 11, 28, 10),  # the old due date's first reminder, already sent
        kyiv(2026, 12, 5, 10),
        kyiv(2026, 12, 7, 10),
        kyiv(2026, 12, 8, 10),
    ]
    assert all("December 8, 2026" in r.text for r in got[1:])


async def test_due_date_moved_away_and_back_still_reminds(world: World, clock: ManualClock) -> None:
    await world.start()
    client, account = await make_client_account()
    order = await make_order(client, created_at=clock.now(), due=date(2026, 12, 1), price=3_000_000)
    await world.run_until(kyiv(2026, 11, 27, 12))  # the 3-day reminder is planned
    await Order.filter(id=order.id).update(due_date=date(2026, 12, 20))
    await world.run_until(kyiv(2026, 11, 27, 20))  # ... and cancelled
    await Order.filter(id=order.id).update(due_date=date(2026, 12, 1))
    await world.run_until(kyiv(2026, 12, 2))
    assert [r.at for r in world.to(account.external_id)] == [
        kyiv(2026, 11, 28, 10),
        kyiv(2026, 11, 30, 10),
        kyiv(2026, 12, 1, 10),
    ]


async def test_a_price_rise_after_payment_brings_the_reminders_back(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    client, account = await make_client_account()
    order = await make_order(
        client, created_at=clock.now(), price=1_000_000, paid=1_000_000, due=date(2026, 12, 1)
    )
    await world.run_until(kyiv(2026, 11, 29, 12))
    assert world.to(account.external_id) == []
    await Order.filter(id=order.id).update(price=1_250_000)
    await world.run_until(kyiv(2026, 12, 2))
    got = world.to(account.external_id)
    assert [r.at for r in got] == [kyiv(2026, 11, 30, 10), kyiv(2026, 12, 1, 10)]
    assert "2,500.00" in got[0].text


async def test_cancelled_orders_and_orders_without_due_date_are_not_reminded(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    client, account = await make_client_account()
    await make_order(
        client,
        created_at=clock.now(),
        due=date(2026, 12, 1),
        status=OrderStatus.CANCELLED,
        price=3_000_000,
    )
    await make_order(client, created_at=clock.now(), due=None, price=3_000_000)
    await make_order(
        client,
        created_at=clock.now(),
        due=date(2026, 12, 1),
        status=OrderStatus.DRAFT,
        price=3_000_000,
    )
    await world.run_until(kyiv(2026, 12, 3))
    assert world.to(account.external_id) == []


async def test_a_blocked_client_is_not_reminded_until_they_come_back(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    client, account = await make_client_account()
    await make_order(client, created_at=clock.now(), due=date(2026, 12, 1), price=3_000_000)
    await world.run_until(kyiv(2026, 11, 27, 12))
    await MessengerAccount.filter(id=account.id).update(blocked=True)
    await world.run_until(kyiv(2026, 11, 29, 12))
    assert world.to(account.external_id) == []
    await MessengerAccount.filter(id=account.id).update(blocked=False)  # they wrote to us again
    await world.run_until(kyiv(2026, 12, 2))
    assert [r.at for r in world.to(account.external_id)] == [
        kyiv(2026, 11, 30, 10),
        kyiv(2026, 12, 1, 10),
    ]


async def test_reminders_go_to_the_most_recently_used_reachable_account(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    client, console = await make_client_account()
    viber = await MessengerAccount.create(
        channel="viber", external_id="v-1", client=client, last_inbound_at=clock.now()
    )
    await make_order(client, created_at=clock.now(), due=date(2026, 11, 26), price=3_000_000)
    await world.run_until(kyiv(2026, 11, 27))
    assert [r.channel for r in world.to("v-1")] == ["viber", "viber"]
    assert world.to(console.external_id) == []
    assert viber.reachable


async def test_language_of_the_client(world: World, clock: ManualClock) -> None:
    await world.start()
    uk, uk_account = await make_client_account(locale="uk")
    ru, ru_account = await make_client_account(locale="ru")
    for client in (uk, ru):
        await make_order(client, created_at=clock.now(), due=date(2026, 11, 27), price=3_000_000)
    await world.run_until(kyiv(2026, 11, 25))
    assert "через 3 дні" in world.texts(uk_account.external_id)[0]
    assert "Оплатити" in world.to(uk_account.external_id)[0].buttons[0].label
    assert "через 3 дня" in world.texts(ru_account.external_id)[0]
    assert "Оплатить" in world.to(ru_account.external_id)[0].buttons[0].label


async def test_switched_off_rule_sends_nothing(services: Services, clock: ManualClock) -> None:
    services.rules = Rules(reminders=Reminders(payment_due=False, planner_minutes=180))
    world = World(services, clock)
    await world.start()
    client, account = await make_client_account()
    await make_order(client, created_at=clock.now(), due=date(2026, 12, 1), price=3_000_000)
    await world.run_until(kyiv(2026, 12, 2))
    assert world.to(account.external_id) == []


# --- quiet hours and DST ----------------------------------------------------------------------


async def test_a_reminder_time_inside_quiet_hours_waits_for_their_end(
    services: Services, clock: ManualClock
) -> None:
    services.rules = Rules(
        reminders=Reminders(send_time=time(7, 30), planner_minutes=180),
        quiet_hours=QuietHours(start=time(21, 0), end=time(9, 0)),
    )
    world = World(services, clock)
    await world.start()
    client, account = await make_client_account()
    await make_order(client, created_at=clock.now(), due=date(2026, 11, 27), price=3_000_000)
    await world.run_until(kyiv(2026, 11, 28))
    assert [r.at for r in world.to(account.external_id)] == [
        kyiv(2026, 11, 24, 9),
        kyiv(2026, 11, 26, 9),
        kyiv(2026, 11, 27, 9),
    ]


async def test_a_late_reminder_is_held_over_the_night_and_withdrawn_if_paid_meanwhile(
    services: Services, clock: ManualClock
) -> None:
    services.rules = Rules(reminders=Reminders(planner_minutes=10))
    clock.set(kyiv(2026, 11, 29, 12))
    world = World(services, clock)
    await world.start()
    client, account = await make_client_account()
    order = await make_order(
        client,
        created_at=kyiv(2026, 11, 1),
        due=date(2026, 12, 20),
        status=OrderStatus.BOOKED,
        price=3_000_000,
    )
    await world.run_until(kyiv(2026, 11, 30, 21, 30))
    # in the evening the manager moves the due date to tomorrow: today's 10:00 "one day before"
    # reminder is still due (same day), but it is quiet time now — it waits until 09:00
    await Order.filter(id=order.id).update(due_date=date(2026, 12, 1))
    await world.run_until(kyiv(2026, 12, 1, 1, 0))
    held = await OutboxMessage.get(kind="reminder.payment_due")
    assert held.status == OutboxStatus.PENDING
    assert held.not_before == kyiv(2026, 12, 1, 9)
    await Order.filter(id=order.id).update(paid=order.price, status=OrderStatus.PAID)
    await world.run_until(kyiv(2026, 12, 2))
    assert world.to(account.external_id) == []
    await held.refresh_from_db()
    assert held.status == OutboxStatus.CANCELLED


@pytest.mark.parametrize(
    ("due", "expected_utc_hours"),
    [
        # spring: clocks go forward on Sunday 28 March 2027 (EET +2 -> EEST +3)
        (date(2027, 3, 30), [8, 7, 7]),
        # autumn: clocks go back on Sunday 31 October 2027 (EEST +3 -> EET +2)
        (date(2027, 11, 1), [7, 8, 8]),
    ],
)
async def test_ten_o_clock_is_ten_o_clock_on_both_sides_of_a_dst_change(
    world: World, clock: ManualClock, due: date, expected_utc_hours: list[int]
) -> None:
    week_before = due - timedelta(days=7)
    clock.set(kyiv(week_before.year, week_before.month, week_before.day, 12))
    await world.start()
    client, account = await make_client_account()
    await make_order(client, created_at=clock.now(), due=due, price=3_000_000)
    await world.run_until(kyiv(due.year, due.month, due.day, 23))
    got = world.to(account.external_id)
    assert [r.local.hour for r in got] == [10, 10, 10]
    assert [r.at.hour for r in got] == expected_utc_hours


# --- pre-departure ----------------------------------------------------------------------------


async def test_pre_departure_checklist_and_country_memo_in_the_clients_language(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    uk, uk_account = await make_client_account(locale="uk")
    en, en_account = await make_client_account(locale="en")
    await make_order(
        uk,
        created_at=clock.now(),
        departure=date(2026, 12, 10),
        country="EG",
        paid=3_000_000,
        price=3_000_000,
    )
    await make_order(
        en,
        created_at=clock.now(),
        departure=date(2026, 12, 10),
        country="ES",  # no memo for Spain: the checklist alone
        destination="Barcelona",
        status=OrderStatus.PAID,
        price=3_000_000,
    )
    await world.run_until(kyiv(2026, 12, 7, 9, 59))
    assert world.to(uk_account.external_id) == world.to(en_account.external_id) == []
    await world.run_until(kyiv(2026, 12, 12))
    (uk_msg,) = world.to(uk_account.external_id)
    (en_msg,) = world.to(en_account.external_id)
    assert uk_msg.at == en_msg.at == kyiv(2026, 12, 7, 10)
    assert "через 3 дні" in uk_msg.text and "паспорт" in uk_msg.text
    assert "Пам'ятка: Єгипет" in uk_msg.text and "Шарм-ель-Шейху" in uk_msg.text
    assert "in 3 days" in en_msg.text and "passports" in en_msg.text
    assert "Memo" not in en_msg.text


async def test_pre_departure_follows_a_moved_departure_and_skips_a_cancelled_trip(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    client, account = await make_client_account()
    moved = await make_order(
        client, created_at=clock.now(), departure=date(2026, 12, 5), price=3_000_000
    )
    dropped = await make_order(
        client, created_at=clock.now(), departure=date(2026, 12, 5), price=3_000_000
    )
    await world.run_until(kyiv(2026, 12, 1, 12))
    await Order.filter(id=moved.id).update(departure_date=date(2026, 12, 15))
    await Order.filter(id=dropped.id).update(status=OrderStatus.CANCELLED)
    await world.run_until(kyiv(2026, 12, 16))
    got = world.to(account.external_id)
    assert [r.at for r in got] == [kyiv(2026, 12, 12, 10)]
    assert moved.number in got[0].text


# --- review request ---------------------------------------------------------------------------


async def test_review_is_asked_the_day_after_return_with_five_stars(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    client, account = await make_client_account()
    order = await make_order(
        client,
        destination="Hurghada",
        created_at=clock.now(),
        departure=date(2026, 11, 20),
        back=date(2026, 11, 27),
        status=OrderStatus.PAID,
        paid=3_000_000,
        price=3_000_000,
    )
    await world.run_until(kyiv(2026, 11, 30))
    (msg,) = world.to(account.external_id)
    assert msg.at == kyiv(2026, 11, 28, 10)
    assert "Welcome back from Hurghada" in msg.text
    assert [b.payload for b in msg.buttons] == [encode("review", order.id, n) for n in range(1, 6)]


async def test_no_review_request_for_a_trip_already_rated_or_cancelled(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    client, account = await make_client_account()
    rated = await make_order(
        client, created_at=clock.now(), back=date(2026, 11, 27), price=3_000_000
    )
    await make_order(
        client,
        created_at=clock.now(),
        back=date(2026, 11, 27),
        status=OrderStatus.CANCELLED,
        price=3_000_000,
    )
    await world.run_until(kyiv(2026, 11, 27, 12))
    await Order.filter(id=rated.id).update(review_rating=5)  # rated early, by a manager's hand
    await world.run_until(kyiv(2026, 11, 30))
    assert world.to(account.external_id) == []


# --- birthdays --------------------------------------------------------------------------------


async def test_birthday_greeting_at_ten_local_only_with_consent(
    world: World, clock: ManualClock
) -> None:
    await world.start()
    _, yes = await make_client_account(
        first_name="Olena", birthday=date(1990, 11, 26), consent=True
    )
    _, no = await make_client_account(birthday=date(1990, 11, 26), consent=False)
    _, unasked = await make_client_account(birthday=date(1990, 11, 26), consent=None)
    await world.run_until(kyiv(2026, 11, 28))
    (msg,) = world.to(yes.external_id)
    assert msg.at == kyiv(2026, 11, 26, 10)
    assert "Happy birthday, Olena" in msg.text
    assert encode("consent", "0") in [b.payload for b in msg.buttons]
    assert world.to(no.external_id) == world.to(unasked.external_id) == []


async def test_revoked_consent_cancels_the_greeting(world: World, clock: ManualClock) -> None:
    await world.start()
    client, account = await make_client_account(birthday=date(1985, 11, 25), consent=True)
    await world.run_until(kyiv(2026, 11, 25, 9, 30))
    assert await Job.filter(kind="reminder.birthday", status=JobStatus.PENDING).count() == 1
    await Client.filter(id=client.id).update(marketing_consent=False)
    await world.run_until(kyiv(2026, 11, 27))
    assert world.to(account.external_id) == []


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2027, date(2027, 2, 28)), (2028, date(2028, 2, 29))],
)
async def test_a_29_february_birthday(
    world: World, clock: ManualClock, year: int, expected: date
) -> None:
    clock.set(kyiv(year, 2, 25, 12))
    await world.start()
    _, account = await make_client_account(birthday=date(2000, 2, 29), consent=True)
    await world.run_until(kyiv(year, 3, 3))
    assert [r.at for r in world.to(account.external_id)] == [
        kyiv(expected.year, expected.month, expected.day, 10)
    ]


async def test_each_reminder_is_sent_once_even_if_planned_by_several_starts(
    world: World, services: Services, clock: ManualClock
) -> None:
    from core.reminders import plan_now, start_planner

    await world.start()
    await start_planner(services, "another-process")
    client, account = await make_client_account(birthday=date(1990, 11, 26), consent=True)
    await make_order(client, created_at=clock.now(), due=date(2026, 11, 27), price=3_000_000)
    for _ in range(3):
        await plan_now(services)
    await world.run_until(kyiv(2026, 11, 28))
    assert len(world.to(account.external_id)) == 4  # 3 payment reminders + 1 greeting
    assert len({r.text for r in world.to(account.external_id)}) == 4
