"""Rating a trip from the review reminder: once, by its own client, then an optional comment; a
low rating reaches the manager through the outbox, with the comment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.clock import ManualClock
from core.contract import Incoming, Kind, Media
from core.payloads import encode
from core.services import Services
from storage.models import Order, OrderStatus, Role
from tests.support.channels import Channel
from tests.support.chat import RecordingChat
from tests.support.factories import make_client_account, make_order, make_staff
from tests.support.reminders import World, kyiv


@pytest.fixture
async def world(services: Services, clock: ManualClock) -> World:
    w = World(services, clock)
    await w.start()
    return w


async def returned_trip(clock: ManualClock, *, user: str = "u1", manager: object = None) -> Order:
    client, _ = await make_client_account(locale="en", user_id=user)
    return await make_order(
        client,
        created_at=kyiv(2026, 11, 1),
        departure=date(2026, 11, 10),
        back=date(2026, 11, 22),
        status=OrderStatus.COMPLETED,
        paid=3_000_000,
        manager=manager,
        price=3_000_000,  # type: ignore[arg-type]
    )


async def test_rate_from_the_reminder_then_comment(
    world: World, chat: RecordingChat, clock: ManualClock
) -> None:
    order = await returned_trip(clock)
    await world.run_until(kyiv(2026, 11, 23, 12, 15))  # it was due at 10:00 today: sent late
    (reminder,) = world.to("u1")
    four = next(b for b in reminder.buttons if b.label.startswith("4"))

    await chat.press_payload(four.payload)
    assert "Thank you for your rating: 4" in chat.text
    assert chat.labels() == ["⏭ Skip"]
    await chat.say("Great hotel, friendly guide.")
    assert "Thank you for your feedback" in chat.text

    await order.refresh_from_db()
    assert order.review_rating == 4
    assert order.review_comment == "Great hotel, friendly guide."
    await world.run_for(timedelta(hours=1))
    assert [r.user for r in world.received] == ["u1"]  # a good rating alerts nobody


async def test_a_low_rating_alerts_the_assigned_manager_with_the_comment(
    world: World, chat: RecordingChat, clock: ManualClock
) -> None:
    manager, manager_account = await make_staff(Role.MANAGER, user_id="m-own", channel="telegram")
    _, other = await make_staff(Role.MANAGER, user_id="m-other", channel="telegram")
    _, admin = await make_staff(Role.ADMIN, user_id="admin", channel="telegram")
    order = await returned_trip(clock, manager=manager)
    await chat.press_payload(encode("review", order.id, 2))
    await chat.say("The room was not the one we booked.")
    await world.settle()
    (alert,) = world.to("m-own")
    assert "Low review: 2/5" in alert.text and order.number in alert.text
    assert "The room was not the one we booked." in alert.text
    assert world.to("m-other") == world.to("admin") == []
    await world.run_for(timedelta(hours=2))
    assert len(world.to("m-own")) == 1
    assert manager_account.external_id == "m-own" and other and admin


async def test_without_a_comment_the_alert_still_goes_after_a_short_wait(
    world: World, chat: RecordingChat, clock: ManualClock
) -> None:
    _, manager = await make_staff(Role.MANAGER, user_id="m1", channel="telegram")
    _, admin = await make_staff(Role.ADMIN, user_id="a1", channel="telegram", locale="uk")
    _, accountant = await make_staff(Role.ACCOUNTANT, user_id="acc", channel="telegram")
    gone, _ = await make_staff(Role.MANAGER, user_id="gone", channel="telegram")
    gone.active = False
    await gone.save()
    order = await returned_trip(clock)  # no manager assigned: every manager and admin
    await chat.press_payload(encode("review", order.id, 1))
    await world.run_for(timedelta(minutes=14))
    assert world.received == []
    await world.run_for(timedelta(minutes=2))
    assert "No comment." in world.to("m1")[0].text
    assert "Без коментаря." in world.to("a1")[0].text
    assert world.to("acc") == world.to("gone") == []
    assert accountant and manager and admin


async def test_skip_sends_the_alert_at_once(
    world: World, chat: RecordingChat, clock: ManualClock
) -> None:
    await make_staff(Role.MANAGER, user_id="m1", channel="telegram")
    order = await returned_trip(clock)
    await chat.press_payload(encode("review", order.id, 3))
    await chat.press("Skip")
    assert "Thank you for your feedback" in chat.text
    await world.settle()
    assert len(world.to("m1")) == 1
    await chat.say("and one more thing")  # no longer in the comment step
    await order.refresh_from_db()
    assert order.review_comment is None


async def test_rating_twice_is_politely_refused(chat: RecordingChat, clock: ManualClock) -> None:
    order = await returned_trip(clock)
    await chat.press_payload(encode("review", order.id, 5))
    await chat.press_payload(encode("review", order.id, 1))
    assert "already rated this trip (5" in chat.text
    await order.refresh_from_db()
    assert order.review_rating == 5


async def test_only_the_orders_own_client_can_rate(
    services: Services, router: object, clock: ManualClock
) -> None:
    order = await returned_trip(clock, user="owner")
    await make_client_account(user_id="intruder")
    intruder = RecordingChat(services, router, user_id="intruder")  # type: ignore[arg-type]
    stranger = RecordingChat(services, router, user_id="stranger")  # type: ignore[arg-type]
    for chat in (intruder, stranger):
        await chat.press_payload(encode("review", order.id, 1))
        assert "could not find this trip" in chat.text
        await chat.press_payload(encode("review", order.id, 9))
        await chat.press_payload("1|review|x|y")
        assert "could not find this trip" in chat.text
    await order.refresh_from_db()
    assert order.review_rating is None


async def test_comment_must_be_text_and_not_too_long(
    chat: RecordingChat, services: Services, clock: ManualClock
) -> None:
    order = await returned_trip(clock)
    await chat.press_payload(encode("review", order.id, 4))
    await chat.send(
        Incoming(Channel.CONSOLE, "u1", Kind.MEDIA, media=Media("photo", "file-1"), language="en")
    )
    assert "type your comment as text" in chat.text
    await chat.say("x" * 2001)
    assert "under 2,000 characters" in chat.text
    await chat.say("Fine.")
    await order.refresh_from_db()
    assert order.review_comment == "Fine."
