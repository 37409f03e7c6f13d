"""The e-mail channel against a local SMTP server (aiosmtpd): multipart content from one reply,
escaping, what the server's answers mean (5xx blocked, 4xx retried), the unsubscribe link end
to end, and the delivery fallback from a blocked messenger to e-mail (and to a test-only
channel reaching clients by phone)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import aiohttp
import pytest
from pydantic import SecretStr, ValidationError

from bots.app import CHANNELS, build_services, channel_directory, check_channels
from bots.channel import ChannelSpec
from bots.mail.channel import MailChannel
from bots.mail.sender import MailSender
from bots.mail.settings import SmtpTarget, mail_settings
from core import fallback
from core.channels import Capabilities
from core.clock import ManualClock
from core.contract import Address, Button, ChannelName, LinkButton, Reply, rows
from core.errors import ConfigError
from core.payments import notices
from core.payments.intents import pay_link
from core.rules import Delivery, Reminders, Rules
from core.sending import Outcome, Sender, SendResult
from core.services import Services
from core.settings import Settings
from storage.models import (
    Client,
    MessengerAccount,
    OrderStatus,
    OutboxMessage,
    OutboxStatus,
    PaymentIntent,
)
from tests.fakes.smtp import FakeSmtp, free_port
from tests.fakes.telegram_api import FakeTelegram
from tests.support import smtp as local_smtp
from tests.support.e2e import open_desk
from tests.support.factories import make_client, make_order
from tests.support.reminders import World, kyiv
from tests.support.smtp import SENDER, mail_worker, worker

# The local SMTP server's fixtures: pytest takes a fixture by its name in this module.
smtp, settings, rules, web = local_smtp.smtp, local_smtp.settings, local_smtp.rules, local_smtp.web


async def mail_client(email: str, *, consent: bool | None = None, **kw: object) -> Client:
    client = await make_client(consent=consent, **kw)  # type: ignore[arg-type]
    client.email = email
    await client.save()
    return client


async def mail_account(services: Services, client: Client) -> MessengerAccount:
    account = await fallback.account_on(services, client, "mail")
    assert account is not None
    return account


# --- the e-mail itself ---------------------------------------------------------------------------


async def test_one_reply_becomes_a_multipart_email_with_everything_escaped(
    services: Services, smtp: FakeSmtp
) -> None:
    client = await mail_client("Olena@Example.com")
    account = await mail_account(services, client)
    assert (account.channel, account.external_id) == ("mail", "olena@example.com")
    reply = Reply(
        'Tom & Jerry <b>paid</b> "in full"\nsecond line',
        rows(
            [LinkButton("Pay <now>", "https://pay.test/p?a=1&b=2")],
            [Button("Menu & more", "menu")],
        ),
    )
    await services.outbox.enqueue(account, reply, kind="payment-receipt", dedupe_key="r1")
    assert await mail_worker(services).drain() == 1

    [got] = smtp.inbox.received
    assert got.recipients == ["olena@example.com"] and got.sender == "desk@agency.test"
    t = services.translator("en")
    assert got.message["Subject"] == t("mail-subject-receipt", agency=services.rules.agency.name)
    assert got.message["List-Unsubscribe"] is None  # not a mailing
    assert got.message.get_content_type() == "multipart/alternative"
    text, page = got.part("plain"), got.part("html")
    assert 'Tom & Jerry <b>paid</b> "in full"\nsecond line' in text
    assert "Pay <now>: https://pay.test/p?a=1&b=2" in text and "Menu & more" in text
    assert "Tom &amp; Jerry &lt;b&gt;paid&lt;/b&gt; &quot;in full&quot;<br>" in page
    assert '<a href="https://pay.test/p?a=1&amp;b=2" style="display:inline-block;' in page
    assert ">Pay &lt;now&gt;</a>" in page
    assert "<b>" not in page and "Menu &amp; more" in page
    row = await OutboxMessage.get(dedupe_key="r1")
    assert row.status == OutboxStatus.SENT and row.parts_sent == 1


async def test_the_subject_is_in_the_clients_language_by_kind(
    services: Services, smtp: FakeSmtp
) -> None:
    client = await mail_client("o@example.com", locale="uk")
    account = await mail_account(services, client)
    await services.outbox.enqueue(account, Reply("x"), kind="reminder.payment_due")
    await services.outbox.enqueue(account, Reply("y"), kind="order-created")
    await mail_worker(services).drain()
    t = services.translator("uk")
    agency = services.rules.agency.name
    subjects = sorted(r.message["Subject"] for r in smtp.inbox.received)
    expected = [t("mail-subject-reminder", agency=agency), t("mail-subject-generic", agency=agency)]
    assert subjects == sorted(expected)
    assert "нагадування" in t("mail-subject-reminder", agency=agency)


async def test_a_permanent_refusal_of_the_recipient_blocks_the_account(
    services: Services, smtp: FakeSmtp
) -> None:
    smtp.inbox.refuse["gone@example.com"] = "550 5.1.1 No such user"
    account = await mail_account(services, await mail_client("gone@example.com"))
    row = await services.outbox.enqueue(account, Reply("hello"), kind="payment-receipt")
    assert row is not None
    await mail_worker(services).drain()
    await row.refresh_from_db()
    await account.refresh_from_db()
    assert row.status == OutboxStatus.BLOCKED and "550" in (row.error or "")
    assert account.blocked
    assert smtp.inbox.received == []
    # a blocked address is not reached again by the fallback
    assert await fallback.first_reachable(services, await Client.get(id=account.client_id)) is None


async def test_a_temporary_refusal_is_retried_with_backoff_and_then_delivered(
    services: Services, smtp: FakeSmtp, clock: ManualClock
) -> None:
    smtp.inbox.refuse["busy@example.com"] = "451 4.3.0 Try again later"
    account = await mail_account(services, await mail_client("busy@example.com"))
    row = await services.outbox.enqueue(account, Reply("hello"), kind="payment-receipt")
    assert row is not None
    mail = mail_worker(services)
    await mail.drain()
    await row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.not_before > clock.now() and "451" in (row.error or "")
    assert await mail.drain() == 0  # not due yet

    del smtp.inbox.refuse["busy@example.com"]
    clock.advance(timedelta(hours=1))
    await mail.drain()
    await row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert len(smtp.inbox.to("busy@example.com")) == 1


async def test_a_server_that_is_down_is_retried(services: Services) -> None:
    account = await mail_account(services, await mail_client("o@example.com"))
    row = await services.outbox.enqueue(account, Reply("hello"), kind="payment-receipt")
    assert row is not None
    nobody = SmtpTarget("127.0.0.1", free_port(), None, None, use_tls=False, start_tls=False)
    await worker(services, {"mail": MailSender(services, "mail", nobody, SENDER)}).drain()
    await row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert "connect" in (row.error or "").lower()


# --- configuration -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://mail.test", "smtp://", "smtp+starttls://u:p@mail.test:99999", "smtp://h/x"]
)
async def test_a_bad_smtp_url_is_one_line_naming_the_variable(
    settings: Settings, rules: Rules, url: str
) -> None:
    mail_settings(settings).smtp_url = SecretStr(url)
    with pytest.raises(ConfigError, match=r"^SMTP_URL: ") as err:
        check_channels(settings, rules)
    assert "\n" not in str(err.value) and "p@" not in str(err.value)


async def test_a_bad_sender_is_refused(settings: Settings, rules: Rules) -> None:
    mail_settings(settings).mail_from = "not an address"
    with pytest.raises(ConfigError, match=r"^MAIL_FROM: "):
        check_channels(settings, rules)


async def test_the_fallback_order_names_address_channels_only(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="is a messenger"):
        channel_directory(settings, Rules(delivery=Delivery(fallback=("telegram",))))
    with pytest.raises(ConfigError, match="no such channel"):
        channel_directory(settings, Rules(delivery=Delivery(fallback=("fax",))))
    with pytest.raises(ValidationError):
        Delivery(fallback=("mail", "mail"))
    assert Delivery().fallback == ()


# --- unsubscribe ---------------------------------------------------------------------------------


async def test_the_unsubscribe_link_of_a_mailing_withdraws_consent_at_once(
    services: Services, smtp: FakeSmtp, web: str
) -> None:
    client = await mail_client("fan@example.com", consent=True)
    account = await mail_account(services, client)
    await services.outbox.enqueue(account, Reply("Hot deals"), kind="mailing", dedupe_key="m1")
    await mail_worker(services).drain()
    [got] = smtp.inbox.received
    header = str(got.message["List-Unsubscribe"]).strip()
    assert header.startswith(f"<{web}/mail/unsubscribe/{account.id}.") and header.endswith(">")
    assert got.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = header[1:-1]
    assert link in got.part("plain") and f'href="{link}"' in got.part("html")

    async with aiohttp.ClientSession() as http:
        async with http.get(link) as resp:
            page = await resp.text()
            assert resp.status == 200
        assert services.translator("en")("mail-unsubscribed") in page
        await client.refresh_from_db()
        assert client.marketing_consent is False

        t = services.translator(services.rules.agency.default_locale)
        forged = f"{web}/mail/unsubscribe/{account.id}.{'0' * 32}"
        other = f"{web}/mail/unsubscribe/{account.id + 1}.{link.rsplit('.', 1)[1]}"
        for url in (forged, other, f"{web}/mail/unsubscribe/nonsense"):
            async with http.get(url) as resp:
                assert resp.status == 400
                assert t("mail-unsubscribe-bad-link") in await resp.text()


async def test_a_forged_token_changes_nothing(services: Services, web: str) -> None:
    client = await mail_client("fan@example.com", consent=True)
    account = await mail_account(services, client)
    forged = f"{web}/mail/unsubscribe/{account.id}.{'a' * 32}"
    async with aiohttp.ClientSession() as http, http.post(forged) as resp:
        assert resp.status == 400
    await client.refresh_from_db()
    assert client.marketing_consent is True


# --- the fallback --------------------------------------------------------------------------------


async def test_a_reminder_blocked_on_telegram_arrives_by_email_exactly_once(
    services: Services, smtp: FakeSmtp
) -> None:
    fake = await FakeTelegram().start()
    desk = await open_desk(services, telegram=fake)
    try:
        client = await mail_client("olena@example.com", user_id="501", channel="telegram")
        tg = await MessengerAccount.get(channel="telegram", external_id="501")
        fake.block(501)
        reply = Reply("Payment due in 3 days", rows([LinkButton("Pay", "https://pay.test/1")]))
        row = await services.outbox.enqueue(
            tg, reply, kind="reminder.payment_due", dedupe_key="rem:1"
        )
        assert row is not None
        await desk.deliver()

        await row.refresh_from_db()
        await tg.refresh_from_db()
        assert row.status == OutboxStatus.BLOCKED and tg.blocked
        [got] = smtp.inbox.to("olena@example.com")
        t = services.translator("en")
        assert got.message["Subject"] == t("mail-subject-reminder", agency="Tourdesk Travel")
        assert "Payment due in 3 days" in got.part("plain")
        assert '<a href="https://pay.test/1" style="display:inline-block;' in got.part("html")
        assert "Pay: https://pay.test/1" in got.part("plain")
        copy = await OutboxMessage.get(channel="mail")
        assert copy.status == OutboxStatus.SENT and copy.client_id == client.id
        assert copy.meta["fallback_of"] == row.id and copy.kind == row.kind

        # the worker runs again (twice at once, even), and the fallback is asked again
        second = worker(services, dict(desk.runtime.senders))
        await asyncio.gather(second.drain(), desk.deliver())
        assert await fallback.fall_back(services, row) is None
        assert len(smtp.inbox.to("olena@example.com")) == 1
        assert await OutboxMessage.filter(channel="mail").count() == 1
    finally:
        await desk.close()
        await fake.close()


async def test_without_a_fallback_rule_a_blocked_message_stays_blocked(
    settings: Settings, smtp: FakeSmtp, clock: ManualClock
) -> None:
    services = await build_services(settings, Rules(), clock=clock)
    client = await mail_client("o@example.com", user_id="c1")
    account = await MessengerAccount.get(external_id="c1")
    row = await services.outbox.enqueue(account, Reply("x"), kind="payment-receipt")
    assert row is not None
    await fallback.fall_back(services, row)
    assert await fallback.first_reachable(services, client) is None
    assert await OutboxMessage.filter(channel="mail").count() == 0


class Refusing:
    """A messenger whose every user has blocked the bot."""

    channel = "console"

    async def send(self, address: Address, reply: Reply) -> SendResult:
        return SendResult(Outcome.BLOCKED, error="blocked by the user")


class Recorder:
    """A test-only channel that reaches clients by phone (as an SMS gateway would)."""

    def __init__(self) -> None:
        self.channel = "pigeon"
        self.sent: list[tuple[str, str]] = []

    async def send(self, address: Address, reply: Reply) -> SendResult:
        self.sent.append((address.user_id, reply.text))
        return SendResult(Outcome.SENT)


PIGEON = ChannelSpec(name="pigeon", title="Pigeon", capabilities=Capabilities(address="phone"))


async def test_the_first_channel_that_reaches_the_client_in_the_configured_order(
    settings: Settings, smtp: FakeSmtp, clock: ManualClock
) -> None:
    rules = Rules(delivery=Delivery(fallback=("pigeon", "mail")))
    services = await build_services(settings, rules, clock=clock, channels=(*CHANNELS, PIGEON))
    by_phone = await mail_client("a@example.com", user_id="c1", phone="+380671110001")
    no_phone = await mail_client("b@example.com", user_id="c2")
    no_phone.phone = None
    await no_phone.save()
    opted_out = await mail_client("c@example.com", user_id="c3", phone="+380671110003")
    await MessengerAccount.create(
        channel="pigeon", external_id="+380671110003", client=opted_out, subscribed=False
    )
    nothing = await make_client(user_id="c4")  # a phone only, and the pigeon... is blocked
    await MessengerAccount.create(
        channel="pigeon", external_id=nothing.phone, client=nothing, blocked=True
    )
    for client in (by_phone, no_phone, opted_out, nothing):
        account = await MessengerAccount.get(client_id=client.id, channel="console")
        await services.outbox.enqueue(account, Reply(f"hi {client.id}"), kind="payment-receipt")
    pigeon = Recorder()
    senders: dict[ChannelName, Sender] = {
        "console": Refusing(),
        "pigeon": pigeon,
        "mail": MailChannel(services, "mail").sender,
    }
    await worker(services, senders).drain()

    assert pigeon.sent == [("+380671110001", f"hi {by_phone.id}")]
    got = sorted(r.recipients[0] for r in smtp.inbox.received)
    assert got == ["b@example.com", "c@example.com"]
    nothing_rows = await OutboxMessage.filter(client_id=nothing.id).values_list("status", flat=True)
    assert nothing_rows == [OutboxStatus.BLOCKED]


async def test_a_blocked_pigeon_message_goes_on_to_the_next_channel(
    settings: Settings, smtp: FakeSmtp, clock: ManualClock
) -> None:
    rules = Rules(delivery=Delivery(fallback=("pigeon", "mail")))
    services = await build_services(settings, rules, clock=clock, channels=(*CHANNELS, PIGEON))
    client = await mail_client("a@example.com", phone="+380671110001")
    pigeon = await fallback.account_on(services, client, "pigeon")
    assert pigeon is not None
    await services.outbox.enqueue(pigeon, Reply("hi"), kind="reminder.payment_due")

    class Stopped(Recorder):
        async def send(self, address: Address, reply: Reply) -> SendResult:
            return SendResult(Outcome.BLOCKED, error="number in stop list")

    senders = {"pigeon": Stopped(), "mail": MailChannel(services, "mail").sender}
    await worker(services, senders).drain()
    assert [r.recipients for r in smtp.inbox.received] == [["a@example.com"]]


async def test_mailings_fall_back_only_with_marketing_consent(
    services: Services, smtp: FakeSmtp
) -> None:
    asked = await mail_client("yes@example.com", user_id="c1", consent=True)
    silent = await mail_client("no@example.com", user_id="c2", consent=None)
    for client in (asked, silent):
        account = await MessengerAccount.get(client_id=client.id)
        row = await services.outbox.enqueue(account, Reply("Deals"), kind="mailing")
        assert row is not None
        await fallback.fall_back(services, row)
    copies = await OutboxMessage.filter(channel="mail").values_list("external_id", flat=True)
    assert copies == ["yes@example.com"]


async def test_payment_messages_reach_a_client_with_no_messenger_by_email(
    services: Services, smtp: FakeSmtp
) -> None:
    client = await mail_client("nomessenger@example.com")
    told = await notices.tell_client(
        services, client, lambda t: Reply("Paid, thanks"), kind="payment-receipt", dedupe_key="p1"
    )
    assert told
    await mail_worker(services).drain()
    [got] = smtp.inbox.received
    assert got.recipients == ["nomessenger@example.com"] and "Paid, thanks" in got.part("plain")
    # other messages are not rerouted to a client's e-mail
    no_mail = await make_client()
    assert not await notices.tell_client(
        services, no_mail, lambda t: Reply("x"), kind="payment-receipt", dedupe_key="p2"
    )


async def test_a_payment_due_reminder_reaches_a_client_with_no_messenger_by_email(
    services: Services, smtp: FakeSmtp, clock: ManualClock
) -> None:
    services.rules = Rules(
        delivery=Delivery(fallback=("mail",)), reminders=Reminders(planner_minutes=180)
    )
    services.settings.payments.sandbox = True
    world = World(services, clock)
    world.delivery.senders["mail"] = MailChannel(services, "mail").sender
    await world.start()
    client = await mail_client("owes@example.com")
    await make_order(
        client,
        created_at=clock.now(),
        price=3_000_000,
        paid=1_000_000,
        due=date(2026, 12, 1),
        status=OrderStatus.CONFIRMED,
    )
    nobody = await make_client()  # no messenger and no e-mail: nothing is planned for them
    await make_order(nobody, created_at=clock.now(), due=date(2026, 12, 1), price=3_000_000)
    await world.run_until(kyiv(2026, 11, 29))
    [got] = smtp.inbox.to("owes@example.com")
    assert "20,000.00" in got.part("plain")
    t = services.translator("en")
    assert got.message["Subject"] == t("mail-subject-reminder", agency="Tourdesk Travel")
    # the Pay button is a link paying what is left: a button in HTML, "Pay …: <url>" in text
    [intent] = await PaymentIntent.filter(client_id=client.id)
    assert intent.amount == 2_000_000 and not intent.is_prepayment
    url = pay_link(services.settings, intent)
    label = t("reminder-pay-button", amount=t.money(2_000_000, "UAH"))
    assert f"{label}: {url}" in got.part("plain")
    assert f"- {label}" not in got.part("plain")
    page = got.part("html")
    assert f'<a href="{url}" style="display:inline-block;' in page and f">{label}</a>" in page
    assert await OutboxMessage.filter(client_id=nobody.id).count() == 0
    await world.run_until(kyiv(2026, 12, 2))
    assert len(smtp.inbox.to("owes@example.com")) == 3  # 3 days before, the day before, the day


async def test_a_channel_that_is_not_configured_is_no_fallback(
    settings: Settings, smtp: FakeSmtp, rules: Rules, clock: ManualClock
) -> None:
    mail_settings(settings).smtp_url = None  # e-mail off in this deployment
    services = await build_services(settings, rules, clock=clock)
    assert fallback.order(services) == ()
    client = await mail_client("o@example.com", user_id="c1")
    account = await MessengerAccount.get(external_id="c1")
    row = await services.outbox.enqueue(account, Reply("x"), kind="payment-receipt")
    assert row is not None
    assert await fallback.fall_back(services, row) is None
    assert not fallback.could_reach(services, client)
    assert await MessengerAccount.filter(channel="mail").count() == 0
