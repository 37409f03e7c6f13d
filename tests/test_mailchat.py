"""Mailings from the admin's chat (recording adapter): the whole wizard with every refusal, the
test send, sending now or at a local time, progress milestones and the final report, Pause /
Resume / Cancel from the card, the cost estimate, a manager refused, the client card's history."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest

from bots.telegram.settings import telegram_settings
from core.clock import ManualClock
from core.contract import LinkButton
from core.delivery import reply_from_json
from core.errors import DomainError
from core.jobs import JobRunner
from core.mailings import service
from core.mailings.cost import paid_broadcast_stars
from core.mailings.segments import parse
from core.payloads import encode
from core.reminders.timing import local_at
from core.services import Services
from core.staff import routes
from handlers.router import Router
from storage.models import (
    Client,
    Mailing,
    MailingStatus,
    MessengerAccount,
    OutboxMessage,
    Role,
    Segment,
)
from tests.support.channels import Channel
from tests.support.chat import RecordingChat, chat_for
from tests.support.factories import make_staff
from tests.support.journeys import Courier


async def make(name: str, locale: str = "en", channel: str = "console", **fields: Any) -> Client:
    fields.setdefault("marketing_consent", True)
    client = await Client.create(first_name=name, locale=locale, **fields)
    await MessengerAccount.create(channel=channel, external_id=name.lower(), client=client)
    return client


async def run_jobs(services: Services) -> None:
    await JobRunner(services.jobs, "test").drain()


def en(services: Services, key: str, **args: Any) -> str:
    return services.translator("en")(key, **args)


async def admin_chat(
    services: Services, router: Router, channel: Channel = Channel.CONSOLE
) -> RecordingChat:
    await make_staff(Role.ADMIN, "p-admin", name="Marta", channel=channel)
    return chat_for(services, router, "p-admin", channel=channel)


def refusal(services: Services, error: DomainError) -> str:
    return en(services, error.key, **error.args_)


async def progress_texts(account_external_id: str = "p-admin") -> list[str]:
    """The progress messages posted as new messages (milestones, final reports)."""
    rows = await OutboxMessage.filter(
        kind="mailing.progress", external_id=account_external_id, replace_key__isnull=True
    )
    return [reply_from_json(r.body).text for r in sorted(rows, key=lambda r: r.id)]


async def live_updates(account_external_id: str = "p-admin") -> list[OutboxMessage]:
    """The updates of the one live progress message that really left, oldest first."""
    return await OutboxMessage.filter(
        kind="mailing.progress",
        external_id=account_external_id,
        replace_key__isnull=False,
        status="sent",
    ).order_by("id")


async def to_ready(chat: RecordingChat, segment: str = "lang=en", text: str = "Hi {first_name}!"):
    """Walk the wizard to the "ready" screen with the least input."""
    await chat.say("/mailings")
    await chat.press("New mailing")
    if segment:
        await chat.say(segment)
    else:
        await chat.press("Everyone with consent")
    await chat.press("Continue")
    await chat.say(text)
    await chat.press("Continue")  # no other languages
    await chat.press("Skip")  # no picture
    await chat.press("Continue")  # no links
    return chat


async def test_the_whole_wizard_refuses_bad_input_and_sends_with_progress(
    services: Services, router: Router
) -> None:
    ann = await make("Ann")
    await make("Ben")
    await make("Olena", "uk")
    await make("Nick", marketing_consent=False)
    chat = await admin_chat(services, router)
    await chat.say("/staff")
    assert "📣 Mailings" in chat.labels()
    await chat.press("Mailings")
    assert en(services, "mchat-list-empty") in chat.text
    await chat.press("New mailing")
    ask_segment = en(services, "mchat-ask-segment")
    assert ask_segment in chat.text
    assert "👥 Everyone with consent" in chat.labels()

    # a parse error: the parser's own message, and the same question again
    with pytest.raises(DomainError) as bad:
        parse("age>20")
    await chat.say("age>20")
    assert chat.text == f"{refusal(services, bad.value)}\n{ask_segment}"
    # nobody in it: refused, asked again
    await chat.say("country=ZZ")
    assert chat.text == f"{en(services, 'mchat-zero-audience')}\n{ask_segment}"
    # a saved name that does not exist
    await chat.say("@nobody")
    assert "There is no saved segment called “nobody”." in chat.text

    await chat.say("lang=en")
    assert "Recipients: 2" in chat.text
    assert "· console: 2" in chat.text
    assert "For example: Ann, Ben" in chat.text
    assert "Stars" not in chat.text  # no paid broadcast: no cost
    await chat.press("Save the segment")
    await chat.say("two words")
    assert en(services, "mailing-bad-segment-name") in chat.text
    await chat.say("english")
    assert "Segment “english” is saved." in chat.text
    assert (await Segment.get(name="english")).expression == "lang=en"
    await chat.press("Continue")

    # texts: an unknown variable is refused with its name
    ask_text = en(services, "mchat-ask-text")
    await chat.say("Hi {frist_name}!")
    assert chat.text.startswith("The text uses an unknown variable {frist_name}. Available ones:")
    assert chat.text.endswith(ask_text)
    await chat.say("Hi {first_name}!")
    assert "Main text: Hi {first_name}!" in chat.text
    await chat.press("Ukrainian")
    await chat.say("Привіт, {ім'я}!")
    assert "unknown variable {ім'я}" in chat.text
    await chat.say("Привіт, {first_name}!")
    assert "🇺🇦 Ukrainian: Привіт, {first_name}!" in chat.text
    await chat.press("Continue")

    # picture and link buttons
    await chat.say("ftp://example.com/sea.jpg")
    assert en(services, "mailing-bad-picture", url="ftp://example.com/sea.jpg") in chat.text
    await chat.say("https://example.com/sea.jpg")
    await chat.say("Offers https://example.com/offers")
    assert en(services, "mchat-bad-link-line") in chat.text
    await chat.say("Offers - javascript:alert(1)")
    assert en(services, "mailing-bad-link", url="javascript:alert(1)") in chat.text
    for line in (
        "Offers - https://example.com/offers",
        "B=https://b.example",  # the CLI's LABEL=URL is understood too
        "C - https://c.ex",
    ):
        await chat.say(line)
    assert "Link: Offers — https://example.com/offers" in chat.text
    assert en(services, "mchat-links-full") in chat.text  # no more asked for
    await chat.say("D - https://d.example")
    assert en(services, "mailing-too-many-links", limit=3) in chat.text
    assert await Mailing.all().count() == 0  # nothing written until the content is complete
    await chat.press("Continue")
    draft = await Mailing.get()
    assert f"Mailing #{draft.id} is ready." in chat.text
    assert draft.status is MailingStatus.DRAFT and draft.segment == "lang=en"

    # the test send: to this chat only, as an English-speaking client would see it
    await chat.press("Send me a test")
    assert en(services, "mchat-test-sent") in chat.text
    [test] = await OutboxMessage.filter(kind="mailing.test")
    assert test.external_id == "p-admin"
    reply = reply_from_json(test.body)
    assert reply.text == "Hi Marta!"
    assert reply.media is not None and reply.media.file_ref == "https://example.com/sea.jpg"
    buttons = reply.all_buttons()
    assert buttons[0] == LinkButton("Offers", "https://example.com/offers")
    assert buttons[-1].label == "🔕 Unsubscribe"
    assert await OutboxMessage.filter(kind="mailing").count() == 0

    # Back from the last step drops the draft; Continue makes a new one
    await chat.press("Back")
    assert (await Mailing.get(id=draft.id)).status is MailingStatus.CANCELLED
    await chat.press("Continue")
    mailing = await Mailing.get(status=MailingStatus.DRAFT)
    await chat.press("Send now")
    assert f"🚀 Mailing #{mailing.id} is being sent." in chat.text
    assert "scheduled" in chat.text and "⏸ Pause" not in chat.labels()
    assert en(services, "mchat-card-uncounted") in chat.text and " of 0" not in chat.text

    # it leaves; the admin's chat gets one progress message edited in place, then the final
    # report as a new message
    await run_jobs(services)
    await chat.press("Refresh")
    assert "sending" in chat.text and "Queued: 2" in chat.text and "⏸ Pause" in chat.labels()
    courier = Courier()
    await courier.deliver(services)
    assert "Hi Ann!" in courier.printed and "Nick" not in courier.printed
    assert isinstance(services.clock, ManualClock)
    for _ in range(8):
        services.clock.advance(timedelta(seconds=5))
        await run_jobs(services)
        await courier.deliver(services)
    assert (await Mailing.get(id=mailing.id)).status is MailingStatus.DONE
    live = await live_updates()
    assert len(live) >= 2
    assert {r.platform_message_id for r in live} == {live[0].platform_message_id}
    first, last = (reply_from_json(r.body).text for r in (live[0], live[-1]))
    assert first.startswith(f"📣 Mailing #{mailing.id}: sending") and "Queued: 2" in first
    assert last.startswith(f"📣 Mailing #{mailing.id}: done") and "(100%)" in last
    assert f"[update of {live[0].platform_message_id} for p-admin]" in courier.printed
    texts = await progress_texts()
    assert len(texts) == 1
    assert texts[0].startswith(f"✅ Mailing #{mailing.id} is finished. Final report:")
    assert "Progress: 2 of 2 (100%)" in texts[0]
    assert "sent: 2 · failed: 0 · blocked: 0 · unsubscribed: 0" in texts[0]
    assert "Took 0 min " in texts[0]
    assert "[message for p-admin]" in courier.printed  # the reports really left

    # the list shows it done; the client card lists the mailing Ann received
    await chat.say("/mailings")
    assert f"#{mailing.id} · done · 100% of 2" in chat.text
    await chat.press_payload(encode(routes.CLIENT, ann.id))
    assert "Mailings received:" in chat.text
    assert f"#{mailing.id} · " in chat.text and "· sent" in chat.text


async def test_everyone_and_saved_segments_are_buttons(services: Services, router: Router) -> None:
    await make("Ann")
    await make("Olena", "uk")
    await service.save_segment(services, "ukrainians", "lang=uk")
    chat = await admin_chat(services, router)
    await chat.say("/mailings")
    await chat.press("New mailing")
    await chat.press("📁 ukrainians")
    assert "Recipients: 1" in chat.text and "For example: Olena" in chat.text
    await chat.press("Back")
    await chat.press("Everyone with consent")
    assert "Recipients: 2" in chat.text and "everyone with consent" in chat.text
    await chat.press("Cancel")
    assert en(services, "st-cancelled") in chat.text
    await chat.say("hello")  # the wizard is over: not taken as a segment
    assert "Recipients" not in chat.text


async def test_schedule_at_a_local_time_respects_quiet_hours(
    services: Services, router: Router
) -> None:
    await make("Ann")
    chat = await to_ready(await admin_chat(services, router))
    await chat.press("Schedule")
    ask_when = en(services, "mchat-ask-when", tz="Europe/Kyiv")
    assert chat.text == ask_when
    await chat.say("25:99")
    assert chat.text == f"{en(services, 'mchat-bad-time')}\n{ask_when}"
    await chat.say("31.02 10:00")
    assert chat.text == f"{en(services, 'mchat-bad-time')}\n{ask_when}"
    await chat.say("22.11 10:00")  # yesterday: a slip, not a date next year
    assert chat.text == f"{en(services, 'mailing-past-time')}\n{ask_when}"
    await chat.say("2026-11-22 10:00")  # the CLI's form: understood, and refused as passed
    assert chat.text == f"{en(services, 'mailing-past-time')}\n{ask_when}"
    await chat.say("2026-02-30 10:00")
    assert chat.text == f"{en(services, 'mchat-bad-time')}\n{ask_when}"
    assert await Mailing.filter(status=MailingStatus.SCHEDULED).count() == 0
    tz = services.rules.agency.tz
    await chat.say("23:30")  # inside quiet hours (21:00-09:00): starts when they end
    mailing = await Mailing.get()
    assert mailing.status is MailingStatus.SCHEDULED
    assert mailing.run_at == local_at(date(2026, 11, 24), time(9, 0), tz)
    assert f"🕒 Mailing #{mailing.id} will start" in chat.text and "9:00\u202fAM" in chat.text
    # nothing leaves before then, and no progress is reported
    await run_jobs(services)
    assert await OutboxMessage.filter(kind="mailing").count() == 0

    second = await to_ready(chat, text="Later")
    await second.press("Schedule")
    await second.say("2026-11-24 15:30")
    later = await Mailing.filter(status=MailingStatus.SCHEDULED).order_by("-id").first()
    assert later is not None
    assert later.run_at == local_at(date(2026, 11, 24), time(15, 30), tz)

    third = await to_ready(chat, text="New year")
    await third.press("Schedule")
    await third.say("05.01 10:00")  # typed in November: next January
    newest = await Mailing.filter(status=MailingStatus.SCHEDULED).order_by("-id").first()
    assert newest is not None and newest.id != later.id
    assert newest.run_at == local_at(date(2027, 1, 5), time(10, 0), tz)


async def test_send_now_inside_quiet_hours_starts_when_they_end(
    services: Services, router: Router
) -> None:
    await make("Ann")
    assert isinstance(services.clock, ManualClock)
    services.clock.advance(timedelta(hours=10))  # 22:00 in Kyiv
    chat = await to_ready(await admin_chat(services, router))
    await chat.press("Send now")
    mailing = await Mailing.get()
    assert mailing.run_at == local_at(date(2026, 11, 24), time(9, 0), services.rules.agency.tz)
    assert f"🕒 Mailing #{mailing.id} will start" in chat.text and "9:00\u202fAM" in chat.text
    await run_jobs(services)
    assert await OutboxMessage.filter(kind="mailing").count() == 0


async def test_pause_resume_and_cancel_from_the_card(services: Services, router: Router) -> None:
    for name in ("A", "B", "C"):
        await make(name)
    chat = await admin_chat(services, router)
    await to_ready(chat, segment="", text="Hi")
    await chat.press("Send now")
    mailing = await Mailing.get()
    await run_jobs(services)
    await chat.press("Refresh")
    await chat.press("Pause")
    assert f"Mailing #{mailing.id} is paused." in chat.text
    assert "⏸ Paused: nothing leaves until it is resumed." in chat.text
    assert "▶️ Resume" in chat.labels() and "⏸ Pause" not in chat.labels()
    await Courier().deliver(services)  # the live progress message may leave, nothing else
    assert not await OutboxMessage.filter(kind="mailing", status="sent").exists()
    await chat.press("Refresh")
    assert "⏸ Paused" in chat.text
    await chat.press_payload(encode(routes.MAILING, mailing.id, "pause"))  # an old button
    assert "cannot be done with mailing" in chat.text and "paused" in chat.text
    await chat.press("Resume")
    assert f"Mailing #{mailing.id} is sending again." in chat.text
    await chat.press("Cancel the mailing")
    assert "Messages that have not left yet will not be sent." in chat.text
    await chat.press("No, keep sending")
    assert (await Mailing.get(id=mailing.id)).status is MailingStatus.SENDING
    await chat.press("Cancel the mailing")
    await chat.press("Yes, cancel it")
    assert f"Mailing #{mailing.id} is cancelled." in chat.text
    assert "cancelled: 3" in chat.text
    assert "Cancel the mailing" not in chat.labels()
    await Courier().deliver(services)
    assert not await OutboxMessage.filter(kind="mailing", status="sent").exists()
    assert isinstance(services.clock, ManualClock)
    services.clock.advance(timedelta(seconds=5))
    await run_jobs(services)
    courier = Courier()
    await courier.deliver(services)
    assert "was cancelled. Final report:" in courier.printed  # the admin's final report left
    [report] = await progress_texts()
    assert report.startswith(f"⏹ Mailing #{mailing.id} was cancelled. Final report:")


async def test_a_draft_left_at_the_last_step_is_picked_up_from_its_card(
    services: Services, router: Router
) -> None:
    await make("Ann")
    chat = await admin_chat(services, router)
    await to_ready(chat, segment="lang=en", text="Hi {first_name}!")
    draft = await Mailing.get()
    await chat.say("/mailings")  # walked away from the wizard: the draft stays
    await chat.press(f"Open #{draft.id}")
    assert "draft" in chat.text
    await chat.press("Continue the draft")
    assert f"Mailing #{draft.id} is ready." in chat.text
    assert "Main text: Hi {first_name}!" in chat.text and "Recipients: 1" in chat.text
    await chat.press("Send me a test")
    assert en(services, "mchat-test-sent") in chat.text
    await chat.press("Send now")
    assert f"🚀 Mailing #{draft.id} is being sent." in chat.text
    assert (await Mailing.get(id=draft.id)).status is MailingStatus.SCHEDULED
    assert await Mailing.all().count() == 1
    # an old card's button, once the mailing is no longer a draft, changes nothing
    await chat.press_payload(encode(routes.MAILING, draft.id, "draft"))
    assert en(services, "st-stale") in chat.text
    assert (await Mailing.get(id=draft.id)).status is MailingStatus.SCHEDULED


async def test_a_mailing_over_before_its_first_look_gets_the_report_alone(
    services: Services, router: Router
) -> None:
    """No progress card is posted for a mailing that has already ended: it would arrive beside
    the final report (or after it, out of order) instead of being edited up to it."""
    await make("Ann")
    chat = await admin_chat(services, router)
    await to_ready(chat, segment="", text="Hi")
    await chat.press("Send now")
    mailing = await Mailing.get()
    await service.cancel(services, mailing.id)
    await run_jobs(services)
    assert not await OutboxMessage.filter(replace_key__isnull=False).exists()
    [report] = await progress_texts()
    assert report.startswith(f"⏹ Mailing #{mailing.id} was cancelled. Final report:")
    # cancelled before its audience was taken: nothing sent, not "0 of 0 (100%)"
    assert en(services, "mchat-card-none-sent") in report and "(100%)" not in report


async def test_without_edits_milestones_are_posted_once_each(
    services: Services, router: Router
) -> None:
    """Viber cannot edit a message: a new one at 25, 50, 75, 100%, no live message."""
    for i in range(8):
        await make(f"C{i}")
    chat = await admin_chat(services, router, Channel.VIBER)
    await to_ready(chat, segment="", text="Hi")
    await chat.press("Send now")
    mailing = await Mailing.get()
    await run_jobs(services)
    rows = await OutboxMessage.filter(kind="mailing").order_by("id")
    assert isinstance(services.clock, ManualClock)
    for upto in (2, 4, 5, 8):  # 25%, 50%, still 50% (62%), 100%
        await OutboxMessage.filter(id__in=[r.id for r in rows[:upto]]).update(status="sent")
        services.clock.advance(timedelta(seconds=5))
        await run_jobs(services)
    texts = await progress_texts()
    heads = [t.splitlines()[0] for t in texts]
    assert heads == [
        f"📣 Mailing #{mailing.id} is 25% through.",
        f"📣 Mailing #{mailing.id} is 50% through.",
        f"📣 Mailing #{mailing.id} is 100% through.",
    ]
    assert "Queued: 0 · sent: 8" in texts[-1]
    assert "Speed: 0.4 a second · about 1 min left" in texts[0]  # 2 in 5 s, 6 to go
    assert not await OutboxMessage.filter(replace_key__isnull=False).exists()


async def test_cost_estimate_only_with_paid_broadcast(services: Services, router: Router) -> None:
    for i in range(3):
        await make(f"T{i}", channel=Channel.TELEGRAM.value)
    await make("V", channel=Channel.VIBER.value)
    chat = await admin_chat(services, router)
    await chat.say("/mailings")
    await chat.press("New mailing")
    await chat.press("Everyone with consent")
    assert "· telegram: 3" in chat.text and "· viber: 1" in chat.text
    assert "Stars" not in chat.text
    telegram_settings(services.settings).paid_broadcast = True
    await chat.press("Back")
    await chat.press("Everyone with consent")
    assert "Cost of Telegram paid broadcast: ≈ 0 Stars" in chat.text  # within the free 30/s
    for i in range(40):
        await make(f"M{i}", channel=Channel.TELEGRAM.value)
    await chat.press("Back")
    await chat.press("Everyone with consent")
    assert "· telegram: 43" in chat.text
    assert "Cost of Telegram paid broadcast: ≈ 2 Stars" in chat.text  # 13 paid x 0.1, rounded up


def test_paid_broadcast_stars() -> None:
    assert paid_broadcast_stars(0) == 0
    assert paid_broadcast_stars(30) == 0  # one second's free share
    assert paid_broadcast_stars(31) == 1  # one paid message: 0.1 Star, rounded up
    assert paid_broadcast_stars(20_000) == 1940  # 600 free, 19,400 x 0.1 Star
    assert paid_broadcast_stars(20_000, rate=30) == 0  # at the free rate nothing is charged


async def test_a_manager_is_refused(services: Services, router: Router) -> None:
    await make("Ann")
    await make_staff(Role.MANAGER, "p-manager")
    chat = chat_for(services, router, "p-manager")
    forbidden = en(services, "st-forbidden-role")
    await chat.say("/staff")
    assert "📣 Mailings" not in chat.labels()
    await chat.say("/mailings")
    assert chat.text == forbidden
    await chat.press_payload(encode(routes.MAIL_NEW, "start"))
    assert chat.text == forbidden
    await chat.say("lang=en")
    assert "Recipients" not in chat.text
    assert await Mailing.all().count() == 0


async def test_client_card_lists_the_last_five_mailings(services: Services, router: Router) -> None:
    ann = await make("Ann")
    ids = []
    for i in range(6):
        mailing = await service.create_mailing(services, {"default": f"News {i}"})
        await service.schedule(services, mailing.id)
        await run_jobs(services)
        ids.append(mailing.id)
    assert isinstance(services.clock, ManualClock)
    for _ in range(6):  # one message a second to the same chat
        await Courier().deliver(services)
        services.clock.advance(timedelta(seconds=2))
    await service.cancel(services, ids[-1])  # already sent: stays sent
    chat = await admin_chat(services, router)
    await chat.press_payload(encode(routes.CLIENT, ann.id))
    part = chat.text.split("Mailings received:", 1)[1]
    shown = [line.split(" · ")[0] for line in part.strip().splitlines()]
    assert shown == [f"#{i}" for i in reversed(ids[1:])]
    assert all(line.endswith("· sent") for line in part.strip().splitlines()), part
    await make("Ben")
    ben = await Client.get(first_name="Ben")
    await chat.press_payload(encode(routes.CLIENT, ben.id))
    assert "Agreed to mailings: yes\nMailings received:\nnone yet" in chat.text
    await service.unsubscribe(services, ben, None)
    await chat.press_payload(encode(routes.CLIENT, ben.id))
    assert "Agreed to mailings: no (gets none)\nMailings received:" in chat.text
