"""Staff reminders: the daily digest, the weekly lost-clients report and follow-ups."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.clock import ManualClock
from core.rules import Reminders, Rules
from core.services import Services
from storage.models import (
    FollowUp,
    MessengerAccount,
    OrderStatus,
    OutboxMessage,
    RequestStatus,
    Role,
    TourRequest,
)
from tests.support.factories import make_client_account, make_order, make_staff
from tests.support.reminders import World, kyiv


@pytest.fixture
def rules() -> Rules:
    return Rules(reminders=Reminders(planner_minutes=180))


@pytest.fixture
async def world(services: Services, clock: ManualClock) -> World:
    return World(services, clock)


async def test_daily_digest_at_nine_local_to_each_manager_and_admin(
    world: World, clock: ManualClock
) -> None:
    iryna, _ = await make_staff(Role.MANAGER, name="Iryna", user_id="iryna", channel="telegram")
    petro, _ = await make_staff(
        Role.MANAGER, name="Petro", user_id="petro", channel="telegram", locale="uk"
    )
    await make_staff(Role.ADMIN, name="Boss", user_id="boss", channel="telegram")
    await make_staff(Role.ACCOUNTANT, user_id="acc", channel="telegram")
    gone, _ = await make_staff(Role.MANAGER, user_id="gone", channel="telegram")
    gone.active = False
    await gone.save()

    day = date(2026, 11, 25)
    olena, _ = await make_client_account(first_name="Olena", last_name="Test")
    taras, _ = await make_client_account(first_name="Taras", last_name="Test")
    await make_order(
        olena,
        created_at=clock.now(),
        departure=day,
        manager=iryna,
        paid=3_000_000,
        status=OrderStatus.PAID,
        destination="Antalya",
        price=3_000_000,
    )
    await make_order(
        taras,
        created_at=clock.now(),
        departure=day,
        manager=petro,
        destination="Sharm",
        price=3_000_000,
    )
    await make_order(
        olena, created_at=clock.now(), due=day, manager=iryna, price=500_000, destination="Cairo"
    )
    await make_order(
        taras, created_at=clock.now(), due=date(2026, 11, 20), price=700_000, destination="Rome"
    )  # overdue, nobody's
    await TourRequest.create(number="R-0001", client=olena, destination="Bali")
    await TourRequest.create(
        number="R-0002", client=olena, destination="Oslo", manager=petro, status=RequestStatus.TAKEN
    )
    await FollowUp.create(staff=iryna, client=taras, due_at=kyiv(2026, 11, 25, 15), note="Call")
    await FollowUp.create(staff=petro, client=olena, due_at=kyiv(2026, 11, 25, 11), note="Visa")
    await FollowUp.create(staff=iryna, client=olena, due_at=kyiv(2026, 11, 26, 11), note="Later")

    await world.start()
    await world.run_until(kyiv(2026, 11, 25, 8, 59))
    assert [r for r in world.received if r.at >= kyiv(2026, 11, 25)] == []
    await world.run_until(kyiv(2026, 11, 25, 20))
    staff_users = {"iryna", "petro", "boss", "acc", "gone"}
    today = [r for r in world.received if r.at >= kyiv(2026, 11, 25) and r.user in staff_users]
    assert sorted(r.user for r in today) == ["boss", "iryna", "petro"]
    assert {r.at for r in today} == {kyiv(2026, 11, 25, 9)}
    text = {r.user: r.text for r in today}

    assert "Antalya" in text["iryna"] and "Sharm" not in text["iryna"]  # own + unassigned
    assert "Cairo" in text["iryna"] and "due today" in text["iryna"]
    assert "Rome" in text["iryna"] and "overdue since November 20, 2026" in text["iryna"]
    assert "R-0001 Bali" in text["iryna"] and "Oslo" not in text["iryna"]
    assert "3:00\u202fPM Olena" not in text["iryna"]
    assert "3:00\u202fPM Taras Test: Call" in text["iryna"]
    assert "Visa" not in text["iryna"] and "Later" not in text["iryna"]

    assert "Sharm" in text["petro"] and "Antalya" not in text["petro"]
    assert "Вильоти сьогодні" in text["petro"] and "11:00 Olena Test: Visa" in text["petro"]

    for name in ("Antalya", "Sharm", "Cairo", "Rome", "Bali", "Call", "Visa"):
        assert name in text["boss"]  # admins see everything

    # one digest a day
    await world.run_until(kyiv(2026, 11, 27, 12))
    assert len([r for r in world.to("iryna") if r.local.date() == date(2026, 11, 26)]) == 1


async def test_a_quiet_day_digest(world: World, clock: ManualClock) -> None:
    await make_staff(Role.MANAGER, user_id="m1", channel="telegram")
    await world.start()
    await world.run_until(kyiv(2026, 11, 24, 12))
    late, digest = world.to("m1")
    assert late.at == kyiv(2026, 11, 23, 12)  # started at noon: today's digest goes at once
    assert "Nothing planned for today." in digest.text
    assert digest.at == kyiv(2026, 11, 24, 9)


async def test_a_long_digest_shows_the_first_lines_and_counts_the_rest(
    world: World, clock: ManualClock
) -> None:
    """Counted by the database, not loaded: 20 owing orders show as 15 lines and "5 more";
    a fully paid order and someone else's order are not counted for a manager."""
    iryna, _ = await make_staff(Role.MANAGER, name="Iryna", user_id="iryna", channel="telegram")
    petro, _ = await make_staff(Role.MANAGER, name="Petro", user_id="petro", channel="telegram")
    olena, _ = await make_client_account(first_name="Olena", last_name="Test")
    day = date(2026, 11, 25)
    for i in range(20):
        await make_order(olena, f"D-{i:02d}", due=day - timedelta(days=i), manager=iryna)
    await make_order(olena, "D-PAID", due=day, paid=1_000_000, manager=iryna)
    await make_order(olena, "D-PETRO", due=day, manager=petro)
    await world.start()
    await world.run_until(kyiv(2026, 11, 25, 10))
    text = next(r.text for r in world.to("iryna") if r.at == kyiv(2026, 11, 25, 9))
    assert "overdue (20):" in text
    shown = [f"D-{i:02d}" for i in range(19, 4, -1)]  # the oldest debts first
    assert text.count("D-") == 15 and all(n in text for n in shown) and "D-04" not in text
    assert "… and 5 more" in text
    petro_text = next(r.text for r in world.to("petro") if r.at == kyiv(2026, 11, 25, 9))
    assert "overdue (1):" in petro_text and "D-PETRO" in petro_text


async def test_digest_can_be_switched_off(services: Services, clock: ManualClock) -> None:
    services.rules = Rules(reminders=Reminders(digest=False, planner_minutes=180))
    world = World(services, clock)
    await make_staff(Role.MANAGER, user_id="m1", channel="telegram")
    await world.start()
    await world.run_until(kyiv(2026, 11, 26, 12))
    assert world.to("m1") == []


async def test_lost_clients_every_monday_to_admins(world: World, clock: ManualClock) -> None:
    long_ago = clock.now() - timedelta(days=800)
    await make_staff(Role.ADMIN, user_id="boss", channel="telegram")
    await make_staff(Role.MANAGER, user_id="m1", channel="telegram")
    silent, _ = await make_client_account(
        first_name="Silent", last_name="Test", created_at=long_ago
    )
    travelled, _ = await make_client_account(
        first_name="Travelled", last_name="Test", created_at=long_ago
    )
    await make_order(
        travelled,
        created_at=long_ago,
        departure=date(2024, 8, 1),
        back=date(2024, 8, 10),
        destination="Varna",
        status=OrderStatus.COMPLETED,
        price=3_000_000,
    )
    chatty, chatty_account = await make_client_account(
        first_name="Chatty", last_name="Test", created_at=long_ago
    )
    await MessengerAccount.filter(id=chatty_account.id).update(
        last_inbound_at=clock.now() - timedelta(days=20)
    )
    buyer, _ = await make_client_account(first_name="Buyer", last_name="Test", created_at=long_ago)
    await make_order(buyer, created_at=clock.now() - timedelta(days=30), price=3_000_000)
    await make_client_account(first_name="Newcomer", last_name="Test")
    assert silent and chatty

    await world.start()
    await world.run_until(kyiv(2026, 12, 8))  # Mondays: today (23 Nov), 30 Nov and 7 Dec
    reports = [r for r in world.to("boss") if "Clients we have not heard from" in r.text]
    assert [r.at for r in reports] == [
        kyiv(2026, 11, 23, 12),  # started at noon on a Monday: this week's report goes at once
        kyiv(2026, 11, 30, 9),
        kyiv(2026, 12, 7, 9),
    ]
    text = reports[0].text
    assert "more than 365 days: 2" in text
    assert "Silent Test" in text and "no trips yet" in text
    assert "Travelled Test" in text and "last trip: " in text and "Varna" in text
    for name in ("Chatty", "Buyer", "Newcomer"):
        assert name not in text
    assert not [r for r in world.to("m1") if "Clients we have not heard" in r.text]


async def test_a_follow_up_is_reminded_once_by_one_mechanism(
    world: World, services: Services, clock: ManualClock
) -> None:
    """The staff assistant plans and sends follow-ups (its "staff.follow_up" job); the reminders
    add no second message, only the line in the digest."""
    from core.staff import followups

    iryna, _ = await make_staff(Role.MANAGER, user_id="iryna", channel="telegram")
    client, _ = await make_client_account(first_name="Mykola", last_name="Test")
    due_at = kyiv(2026, 11, 24, 15, 30)
    await world.start()
    await followups.plan(services, iryna, client.id, due_at, "Call about summer")
    await world.run_until(kyiv(2026, 11, 25, 12))
    mentions = [r for r in world.to("iryna") if "Call about summer" in r.text]
    digest, reminder = mentions
    assert digest.at == kyiv(2026, 11, 24, 9) and "Follow-ups today (1)" in digest.text
    assert reminder.at == due_at
    assert await OutboxMessage.filter(staff_id=iryna.id, sent_at=due_at).count() == 1
