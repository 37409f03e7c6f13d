"""Sending a mailing: content checks at creation, personalisation per language, the snapshot and
queueing (never twice, even after a crash or with two runs at once), pause / resume / cancel,
the test send, and the Unsubscribe button."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from core.clock import ManualClock
from core.contract import Button, LinkButton
from core.delivery import reply_from_json
from core.errors import Conflict, InvalidInput, NotFound
from core.jobs import JobRunner
from core.mailings import service
from core.mailings.segments import SegmentError
from core.reminders.timing import local_at
from core.services import Services
from handlers.router import Router
from storage.models import (
    Client,
    Mailing,
    MailingRecipient,
    MailingStatus,
    MessengerAccount,
    Order,
    OrderStatus,
    OutboxMessage,
    OutboxStatus,
    RecipientOutcome,
    Role,
    Staff,
)
from tests.support.channels import Channel
from tests.support.chat import RecordingChat
from tests.support.journeys import Courier


async def make(name: str, locale: str = "en", consent: bool = True, **fields: Any) -> Client:
    client = await Client.create(
        first_name=name, locale=locale, marketing_consent=consent, **fields
    )
    await MessengerAccount.create(channel="console", external_id=name.lower(), client=client)
    return client


async def run_jobs(services: Services) -> None:
    await JobRunner(services.jobs, "test").drain()


async def mailing_rows(mailing_id: int) -> list[OutboxMessage]:
    return await OutboxMessage.filter(dedupe_key__startswith=f"mail:{mailing_id}:").order_by("id")


# ---- creation refuses bad content ------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "key", "args"),
    [
        ({"default": "Hi {firstname}!"}, "mailing-unknown-variable", {"variable": "{firstname}"}),
        (
            {"default": "Hi", "uk": "Привіт, {імя}"},
            "mailing-unknown-variable",
            {"variable": "{імя}"},
        ),
        ({"default": "Hi {first_name.__class__}"}, "mailing-unknown-variable", {}),
        (
            {"default": "Hi {first_name!r}"},
            "mailing-unknown-variable",
            {"variable": "{first_name!r}"},
        ),
        ({"default": "Hi {name:>10}"}, "mailing-unknown-variable", {"variable": "{name:>10}"}),
        ({"default": "Hi {0}"}, "mailing-unknown-variable", {"variable": "{0}"}),
        ({"default": "Hi {}"}, "mailing-unknown-variable", {"variable": "{}"}),
        ({"default": "50% off {"}, "mailing-bad-braces", {}),
        ({"default": "  "}, "mailing-no-text", {}),
        ({"default": "Hi", "de": "Hallo"}, "mailing-bad-language", {"language": "de"}),
    ],
)
async def test_bad_content_is_refused_at_creation_and_nothing_is_written(
    services: Services, texts: dict[str, str], key: str, args: dict[str, str]
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await service.create_mailing(services, texts)
    assert caught.value.key == key
    for name, value in args.items():
        assert caught.value.args_[name] == value
    message = services.translator("en")(caught.value.key, **caught.value.args_)
    assert "mailing-" not in message
    assert await Mailing.all().count() == 0


async def test_unknown_variable_message_names_it_and_lists_the_known_ones(
    services: Services,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await service.create_mailing(services, {"default": "Dear {frist_name}"})
    text = services.translator("en")(caught.value.key, **caught.value.args_)
    assert text.startswith("The text uses an unknown variable {frist_name}. Available ones: ")
    assert "{first_name}" in text and "{due_date}" in text


async def test_bad_segment_links_picture_and_rate_are_refused(services: Services) -> None:
    with pytest.raises(SegmentError):
        await service.create_mailing(services, {"default": "Hi"}, segment="age>20")
    links = [("A", "https://a.example"), ("B", "https://b.example")]
    with pytest.raises(InvalidInput) as caught:
        await service.create_mailing(services, {"default": "Hi"}, links=links * 2)
    assert caught.value.key == "mailing-too-many-links"
    with pytest.raises(InvalidInput) as caught:
        await service.create_mailing(services, {"default": "Hi"}, links=[("Go", "javascript:x")])
    assert caught.value.key == "mailing-bad-link"
    with pytest.raises(InvalidInput) as caught:
        await service.create_mailing(services, {"default": "Hi"}, picture_url="ftp://x/y.jpg")
    assert caught.value.key == "mailing-bad-picture"
    with pytest.raises(InvalidInput) as caught:
        await service.create_mailing(services, {"default": "Hi"}, rate=0)
    assert caught.value.key == "mailing-bad-rate"
    assert await Mailing.all().count() == 0


async def test_saved_segment_by_name(services: Services) -> None:
    await make("Ann")
    ben = await make("Ben")
    await Order.create(
        number="T1",
        client=ben,
        destination="Egypt",
        price=1,
        paid=1,
        currency="UAH",
        status=OrderStatus.PAID,
    )
    saved = await service.save_segment(services, "buyers", "ORDERS>=1")
    assert saved.expression == "orders>=1"
    mailing = await service.create_mailing(services, {"default": "Hi"}, segment="@buyers")
    assert mailing.segment == "orders>=1"
    with pytest.raises(NotFound) as nothing:
        await service.create_mailing(services, {"default": "Hi"}, segment="@nobody")
    assert nothing.value.key == "mailing-segment-not-found"
    await service.schedule(services, mailing.id)
    await run_jobs(services)
    assert [r.client_id for r in await mailing_rows(mailing.id)] == [ben.id]


# ---- personalisation -------------------------------------------------------------------------


async def test_each_client_gets_their_language_and_their_own_values(services: Services) -> None:
    marta = await Staff.create(name="Marta", role=Role.MANAGER)
    olena = await make("Olena", "uk", last_name="Shevchenko", manager=marta)
    await Order.create(
        number="T7",
        client=olena,
        destination="Egypt",
        country="EG",
        price=5000000,
        paid=1000000,
        currency="UAH",
        status=OrderStatus.BOOKED,
        departure_date=date(2026, 12, 10),
        due_date=date(2026, 12, 1),
    )
    john = await make("John", "en", last_name="Smith", bonus_points=250)
    ivan = await make("Ivan", "ru")
    mailing = await service.create_mailing(
        services,
        {
            "default": "Hi {first_name}!",
            "uk": "Привіт, {first_name}! {destination} {next_trip}: сплатіть {due_amount} до "
            "{due_date}. Ваш менеджер — {manager}.",
            "en": "Hello {name}, you have {bonus} points and {balance}. Manager: {manager}.",
        },
        picture_url="https://example.com/sea.jpg",
        links=[("Offers", "https://example.com/offers")],
    )
    await service.schedule(services, mailing.id)
    await run_jobs(services)
    rows = {r.client_id: r for r in await mailing_rows(mailing.id)}
    assert set(rows) == {olena.id, john.id, ivan.id}
    uk, en, ru = (services.translator(x) for x in ("uk", "en", "ru"))
    olena_reply = reply_from_json(rows[olena.id].body)
    assert olena_reply.text == (
        f"Привіт, Olena! Egypt {uk.date(date(2026, 12, 10))}: сплатіть "
        f"{uk.money(4000000, 'UAH')} до {uk.date(date(2026, 12, 1))}. Ваш менеджер — Marta."
    )
    john_reply = reply_from_json(rows[john.id].body)
    agency = services.rules.agency.name
    assert john_reply.text == (
        f"Hello John Smith, you have 250 points and {en.money(0, 'UAH')}. Manager: {agency}."
    )
    assert reply_from_json(rows[ivan.id].body).text == "Hi Ivan!"  # no Russian text: --text
    for client_id, t in ((olena.id, uk), (john.id, en), (ivan.id, ru)):
        reply = reply_from_json(rows[client_id].body)
        buttons = reply.all_buttons()
        assert buttons[0] == LinkButton("Offers", "https://example.com/offers")
        assert isinstance(buttons[-1], Button) and buttons[-1].label == t("mailing-unsubscribe")
        assert reply.media is not None and reply.media.file_ref == "https://example.com/sea.jpg"
    assert {t("mailing-unsubscribe") for t in (uk, en, ru)} == {
        "🔕 Відписатися",
        "🔕 Unsubscribe",
        "🔕 Отписаться",
    }
    # delivered, then the mailing closes itself with a report
    courier = Courier()
    assert await courier.deliver(services) == 3
    assert "Hello John Smith" in courier.printed
    assert isinstance(services.clock, ManualClock)
    services.clock.advance(timedelta(seconds=31))
    await run_jobs(services)
    report = await service.report(mailing.id)
    assert report.mailing.status is MailingStatus.DONE
    assert (report.total, report.outcomes["sent"]) == (3, 3)


async def test_test_send_goes_to_the_author_only_in_their_language(services: Services) -> None:
    await make("Olena", "uk")
    staff = await Staff.create(name="Marta", role=Role.ADMIN, locale="uk")
    account = await MessengerAccount.create(channel="console", external_id="marta", staff=staff)
    mailing = await service.create_mailing(
        services, {"default": "Hi {first_name}", "uk": "Привіт, {first_name}!"}
    )
    row = await service.send_test(services, mailing.id, account)
    assert row.external_id == "marta" and row.kind == "mailing.test"
    reply = reply_from_json(row.body)
    assert reply.text == "Привіт, Marta!"
    assert reply.all_buttons()[-1].label == "🔕 Відписатися"
    assert (await Mailing.get(id=mailing.id)).status is MailingStatus.DRAFT
    assert await OutboxMessage.filter(kind="mailing").count() == 0


async def test_a_staff_test_reads_as_for_a_client_without_trips(services: Services) -> None:
    """No made-up dates: a staff member has no trips or debt, so those read as a client
    without them reads them (a dash), not as 'next trip today, due 0.00 by today'."""
    staff = await Staff.create(name="Marta", role=Role.ADMIN, locale="en")
    account = await MessengerAccount.create(channel="console", external_id="marta", staff=staff)
    mailing = await service.create_mailing(
        services, {"default": "{name}: next {next_trip} to {destination}, due {due_date}"}
    )
    reply = reply_from_json((await service.send_test(services, mailing.id, account)).body)
    assert reply.text == "Marta: next — to —, due —"


# ---- exactly once: snapshot and queue under re-runs and crashes --------------------------------


async def test_a_crash_and_a_rerun_never_queue_a_client_twice(services: Services) -> None:
    clients = [await make(f"C{i}") for i in range(7)]
    mailing = await service.create_mailing(services, {"default": "Hi {first_name}"})
    await service.schedule(services, mailing.id)
    await Mailing.filter(id=mailing.id).update(status=MailingStatus.SENDING)
    m = await Mailing.get(id=mailing.id)
    assert await service.snapshot(services, m, batch=3) == 7
    assert await service.queue_recipients(services, m, batch=3, rounds=1) is True
    assert len(await mailing_rows(mailing.id)) == 3
    # the process died after the outbox rows were written but before anything else was saved:
    # neither the recipients' links nor the snapshot cursor made it to the database
    await MailingRecipient.filter(mailing_id=mailing.id).update(outbox_id=None)
    await Mailing.filter(id=mailing.id).update(snapshot_cursor=0, snapshot_done=False)
    # its job is run again, twice at once (two processes)
    await asyncio.gather(
        service.feed(services, mailing.id, batch=2), service.feed(services, mailing.id, batch=3)
    )
    await run_jobs(services)
    rows = await mailing_rows(mailing.id)
    assert sorted(r.client_id for r in rows) == sorted(c.id for c in clients)
    recipients = await MailingRecipient.filter(mailing_id=mailing.id)
    assert len(recipients) == 7
    by_outbox = {r.id: r.client_id for r in rows}
    assert all(by_outbox[r.outbox_id] == r.client_id for r in recipients if r.outbox_id)
    assert all(r.outbox_id for r in recipients)
    courier = Courier()
    assert await courier.deliver(services) == 7
    assert courier.printed.count("[message for c3]") == 1


async def test_audience_is_snapshotted_when_sending_starts(services: Services) -> None:
    await make("Early")
    mailing = await service.create_mailing(services, {"default": "Hi"})
    await service.schedule(services, mailing.id, services.clock.now() + timedelta(hours=1))
    late = await make("Late")  # joins before the start: included
    assert isinstance(services.clock, ManualClock)
    services.clock.advance(timedelta(hours=1))
    await run_jobs(services)
    await make("After")  # joins after the start: not included
    await run_jobs(services)
    clients = {r.client_id for r in await mailing_rows(mailing.id)}
    assert late.id in clients and len(clients) == 2


# ---- pause, resume, cancel, schedule -----------------------------------------------------------


async def test_pause_holds_queued_messages_and_resume_sends_them(services: Services) -> None:
    for name in ("A", "B", "C"):
        await make(name)
    mailing = await service.create_mailing(services, {"default": "Hi"}, rate=1)
    await service.schedule(services, mailing.id)
    await run_jobs(services)
    rows = await mailing_rows(mailing.id)
    assert [r.not_before - rows[0].not_before for r in rows] == [
        timedelta(0),
        timedelta(seconds=1),
        timedelta(seconds=2),
    ]
    paused = await service.pause(services, mailing.id)
    assert paused.status is MailingStatus.PAUSED
    assert isinstance(services.clock, ManualClock)
    services.clock.advance(timedelta(minutes=5))
    courier = Courier()
    assert await courier.deliver(services) == 0
    with pytest.raises(Conflict) as caught:
        await service.pause(services, mailing.id)
    assert caught.value.key == "mailing-bad-state"
    resumed = await service.resume(services, mailing.id)
    assert resumed.status is MailingStatus.SENDING
    assert await courier.deliver(services) == 3
    services.clock.advance(timedelta(seconds=31))
    await run_jobs(services)
    assert (await Mailing.get(id=mailing.id)).status is MailingStatus.DONE


async def test_cancel_stops_everything_that_has_not_left(services: Services) -> None:
    for name in ("A", "B"):
        await make(name)
    mailing = await service.create_mailing(services, {"default": "Hi"})
    await service.schedule(services, mailing.id)
    await run_jobs(services)
    cancelled = await service.cancel(services, mailing.id)
    assert cancelled.status is MailingStatus.CANCELLED
    assert await Courier().deliver(services) == 0
    report = await service.report(mailing.id)
    assert report.outcomes["cancelled"] == 2
    for action in (service.cancel, service.resume, service.pause):
        with pytest.raises(Conflict):
            await action(services, mailing.id)
    with pytest.raises(Conflict) as caught:
        await service.schedule(services, mailing.id)
    assert caught.value.key == "mailing-bad-state"
    with pytest.raises(NotFound) as missing:
        await service.pause(services, 9999)
    assert missing.value.key == "mailing-not-found"


async def test_a_start_inside_quiet_hours_waits_for_their_end(services: Services) -> None:
    await make("A")
    tz = services.rules.agency.tz
    day = date(2026, 11, 23)
    mailing = await service.create_mailing(services, {"default": "Hi"})
    scheduled = await service.schedule(services, mailing.id, local_at(day, time(23, 0), tz))
    assert scheduled.run_at == local_at(day + timedelta(days=1), time(9, 0), tz)
    other = await service.create_mailing(services, {"default": "Hi"})
    with pytest.raises(InvalidInput) as caught:
        await service.schedule(services, other.id, datetime(2026, 11, 22, tzinfo=UTC))
    assert caught.value.key == "mailing-past-time"


# ---- the Unsubscribe button ------------------------------------------------------------------


async def test_unsubscribe_withdraws_consent_at_once_and_confirms(
    services: Services, router: Router
) -> None:
    olena = await make("Olena", "uk")
    await make("Petro", "en")
    first = await service.create_mailing(services, {"default": "Hi"})
    second = await service.create_mailing(services, {"default": "More"})
    for mailing in (first, second):
        await service.schedule(services, mailing.id)
    await run_jobs(services)
    await Courier().deliver(services)
    received = next(r for r in await mailing_rows(first.id) if r.client_id == olena.id)
    unsubscribe = reply_from_json(received.body).all_buttons()[-1]
    assert isinstance(unsubscribe, Button)
    # the second mailing was queued again (e.g. resumed) but has not left yet
    await OutboxMessage.filter(
        client_id=olena.id, dedupe_key__startswith=f"mail:{second.id}:"
    ).update(status=OutboxStatus.PENDING)
    chat = RecordingChat(services, router, user_id="olena", channel=Channel.CONSOLE, language="uk")
    await chat.press_payload(unsubscribe.payload)
    confirmation = services.translator("uk")("mailing-unsubscribed")
    assert chat.text == confirmation
    assert (await Client.get(id=olena.id)).marketing_consent is False
    recipient = await MailingRecipient.get(mailing_id=first.id, client_id=olena.id)
    assert recipient.outcome is RecipientOutcome.UNSUBSCRIBED
    pending = await OutboxMessage.get(
        client_id=olena.id, dedupe_key__startswith=f"mail:{second.id}:"
    )
    assert pending.status is OutboxStatus.CANCELLED
    await chat.press_payload(unsubscribe.payload)  # pressed again: same answer, no error
    assert chat.text == confirmation
    assert (await Client.get(id=olena.id)).marketing_consent is False
    third = await service.create_mailing(services, {"default": "Again"})
    await service.schedule(services, third.id)
    await run_jobs(services)
    assert [r.external_id for r in await mailing_rows(third.id)] == ["petro"]
