"""Clients with no messenger are reached the one way every message picks its account
(core/fallback.py): mailings (audience, preview per channel, the e-mail with its unsubscribe
link instead of a button, exactly once), one-off messages (relay answers, notices, status
changes), against a local SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp

from core import fallback
from core.contract import Button, Reply
from core.delivery import reply_from_json
from core.jobs import JobRunner
from core.mailings import service
from core.mailings.audience import preview
from core.mailings.segments import parse
from core.relay import Message, answer_client, tell_client
from core.services import Services
from storage.models import (
    Client,
    MailingRecipient,
    MessengerAccount,
    OutboxMessage,
    RecipientOutcome,
    Role,
    Staff,
)
from tests.fakes.smtp import FakeSmtp
from tests.support import smtp as local_smtp
from tests.support.smtp import mail_worker

# The local SMTP server's fixtures: pytest takes a fixture by its name in this module.
smtp, settings, rules, web = local_smtp.smtp, local_smtp.settings, local_smtp.rules, local_smtp.web


async def person(
    name: str,
    *,
    email: str | None = None,
    chat: str | None = None,
    consent: bool = True,
    locale: str = "en",
) -> Client:
    client = await Client.create(
        first_name=name, email=email, marketing_consent=consent, locale=locale
    )
    if chat is not None:
        await MessengerAccount.create(
            channel="console",
            external_id=chat,
            client=client,
            last_inbound_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
    return client


async def run_jobs(services: Services) -> None:
    await JobRunner(services.jobs, "test").drain()


async def test_a_mailing_reaches_clients_with_no_messenger_by_email_exactly_once(
    services: Services, smtp: FakeSmtp, web: str
) -> None:
    chatty = await person("Chatty", chat="chatty")
    both = await person("Both", chat="both", email="both@example.com")
    mailer = await person("Mailer", email="Mailer@Example.com", locale="uk")
    await person("Silent", email="silent@example.com", consent=False)
    await person("Nowhere")  # neither a messenger nor an address: not in the audience
    gone = await person("Gone", email="gone@example.com")
    await MessengerAccount.create(  # opted out of e-mail earlier (the unsubscribe link)
        channel="mail", external_id="gone@example.com", client=gone, subscribed=False
    )

    shown = await preview(services, parse(""), service.scope_of(services))
    assert (shown.total, shown.per_channel) == (3, {"console": 2, "mail": 1})
    only_chat = await preview(services, parse("channel=console"), service.scope_of(services))
    assert (only_chat.total, only_chat.per_channel) == (2, {"console": 2})
    only_mail = await preview(services, parse("channel=mail"), service.scope_of(services))
    assert only_mail.per_channel == {"mail": 2}  # who has an address, whatever else they use
    assert await MessengerAccount.filter(channel="mail").count() == 1  # a preview makes none

    mailing = await service.create_mailing(
        services, {"default": "Hi {first_name}!", "uk": "Привіт, {first_name}!"}
    )
    await service.schedule(services, mailing.id)
    await run_jobs(services)
    rows = {r.client_id: r for r in await OutboxMessage.filter(kind="mailing")}
    assert set(rows) == {chatty.id, both.id, mailer.id}
    assert rows[both.id].channel == "console"  # a messenger comes first
    assert (rows[mailer.id].channel, rows[mailer.id].external_id) == ("mail", "mailer@example.com")
    in_chat = reply_from_json(rows[chatty.id].body).all_buttons()
    assert in_chat and isinstance(in_chat[-1], Button)  # Unsubscribe, pressed in the chat
    assert not reply_from_json(rows[mailer.id].body).all_buttons()  # e-mail: the link instead
    recipient = await MailingRecipient.get(mailing_id=mailing.id, client_id=mailer.id)
    assert recipient.account_id == rows[mailer.id].account_id

    assert await mail_worker(services).drain() == 1
    [got] = smtp.inbox.to("mailer@example.com")
    uk = services.translator("uk")
    assert "Привіт, Mailer!" in got.part("plain")
    assert uk("mailing-unsubscribe") not in got.part("plain")
    link = str(got.message["List-Unsubscribe"]).strip()[1:-1]
    assert link.startswith(f"{web}/mail/unsubscribe/") and link in got.part("plain")
    assert f'href="{link}"' in got.part("html")

    # the feed runs again (a crash, a second process): nobody gets it twice
    await service.feed(services, mailing.id)
    await service.snapshot(services, await service.get_mailing(mailing.id))
    await run_jobs(services)
    assert await OutboxMessage.filter(kind="mailing").count() == 3
    assert await mail_worker(services).drain() == 0
    assert len(smtp.inbox.received) == 1
    report = await service.report(mailing.id)
    assert report.total == 3 and report.outcomes[RecipientOutcome.SENT.value] == 1

    async with aiohttp.ClientSession() as http, http.get(link) as resp:
        assert resp.status == 200
    await mailer.refresh_from_db()
    assert mailer.marketing_consent is False
    after = await preview(services, parse(""), service.scope_of(services))
    assert after.per_channel == {"console": 2}


async def test_one_off_messages_reach_a_client_with_no_messenger_by_email(
    services: Services, smtp: FakeSmtp
) -> None:
    staff = await Staff.create(name="Marta", role=Role.MANAGER, locale="en")
    desk = await MessengerAccount.create(channel="console", external_id="marta", staff=staff)
    mailer = await person("Mailer", email="mailer@example.com")
    row = await tell_client(
        services, mailer, lambda t: Reply("Your order was cancelled"), kind="order-cancelled"
    )
    assert row is not None and row.channel == "mail"
    answer = await answer_client(services, staff, desk, mailer, Message("See you in May"))
    assert answer is not None and answer.account_id == row.account_id
    assert await mail_worker(services).drain() == 2
    texts = [r.part("plain") for r in smtp.inbox.to("mailer@example.com")]
    assert any("Your order was cancelled" in t for t in texts)
    assert any("See you in May" in t and "Marta" in t for t in texts)

    # a client with nothing to reach them by: nothing queued, no error
    nowhere = await person("Nowhere")
    assert (
        await tell_client(services, nowhere, lambda t: Reply("x"), kind="order-cancelled") is None
    )


async def test_a_messenger_comes_before_an_email_account_made_earlier(
    services: Services,
) -> None:
    """An e-mail account made by a fallback is newer and never wrote to us: it must not win
    over the client's messenger, only stand in while there is none."""
    client = await person("Olena", email="olena@example.com")
    made = await fallback.account_on(services, client, "mail")
    assert made is not None
    chat = await MessengerAccount.create(channel="console", external_id="olena", client=client)
    assert chat.last_inbound_at is None and chat.id < 10**9
    picked = await fallback.reach(services, client)
    assert picked is not None and picked.id == chat.id
    chat.blocked = True
    await chat.save()
    picked = await fallback.reach(services, client)
    assert picked is not None and picked.id == made.id
    assert await fallback.messenger(services, client) is None  # offers' cards need a chat
