"""The SMS channel against a local fake TurboSMS speaking its wire format: one reply as one
plain-text SMS through the outbox exactly once (a lost answer included), what TurboSMS's answer
codes mean, delivery statuses, parts and cost, STOP and the stop list, the delivery fallback
from a blocked Telegram chat to SMS, and one-time codes sent by SMS to a claimed number."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from functools import partial

import aiohttp
import pytest
from pydantic import SecretStr

from bots.app import Runtime, build_services, check_channels
from bots.sms.channel import SmsChannel
from bots.sms.inbound import HEADER, PATH, sign
from bots.sms.parts import count_parts
from bots.sms.settings import sms_settings
from bots.sms.statuses import check_statuses
from core import fallback, identity
from core.clock import ManualClock
from core.contract import Button, LinkButton, Reply, rows
from core.delivery import DeliveryWorker
from core.errors import ConfigError
from core.identity import CodeCheck
from core.mailings.audience import audience_query
from core.mailings.segments import parse
from core.mailings.service import scope_of
from core.payloads import encode
from core.payments.intents import pay_link
from core.rules import Rules
from core.services import Services
from core.settings import Settings
from handlers.router import Router
from storage.models import (
    ClaimStatus,
    Client,
    MessengerAccount,
    OrderStatus,
    OutboxMessage,
    OutboxStatus,
    PaymentIntent,
    PhoneClaim,
)
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.turbosms import SENDER, TOKEN, FakeTurboSms
from tests.support.chat import RecordingChat
from tests.support.e2e import open_desk
from tests.support.factories import make_client, make_order
from tests.support.reminders import World, kyiv

PHONE = "+380671234567"
SECRET = "inbound-secret-for-tests"


@pytest.fixture
async def turbo() -> AsyncIterator[FakeTurboSms]:
    fake = await FakeTurboSms().start()
    yield fake
    await fake.close()


@pytest.fixture
def settings(settings: Settings, turbo: FakeTurboSms) -> Settings:
    sms = sms_settings(settings)
    sms.turbosms_token = SecretStr(TOKEN)
    sms.turbosms_sender = SENDER
    sms.turbosms_api_url = turbo.url
    sms.sms_inbound_secret = SecretStr(SECRET)
    return settings


@pytest.fixture
def rules() -> Rules:
    return Rules.model_validate(
        {
            "delivery": {"fallback": ["sms"], "flood_messages": 1000},
            "channels": {
                "sms": {"rate": 100, "part_price": 95, "currency": "UAH", "hold_seconds": 0.3}
            },
        }
    )


@pytest.fixture
async def channel(services: Services) -> AsyncIterator[SmsChannel]:
    sms = SmsChannel(services, "sms")
    yield sms
    await sms.stop()


def worker(services: Services, channel: SmsChannel) -> DeliveryWorker:
    return DeliveryWorker(
        services.clock,
        {"sms": channel.sender},
        "test",
        pacing=services.channels.pacing(),
        limiter=services.limiter,
        on_blocked=partial(fallback.fall_back, services),
    )


async def sms_account(services: Services, client: Client) -> MessengerAccount:
    account = await fallback.account_on(services, client, "sms")
    assert account is not None
    return account


# --- parts and cost ------------------------------------------------------------------------------


def test_gsm7_and_ucs2_parts() -> None:
    assert count_parts("").count == 0
    assert (count_parts("a" * 160).encoding, count_parts("a" * 160).count) == ("gsm7", 1)
    assert count_parts("a" * 161).count == 2
    assert count_parts("a" * 306).count == 2 and count_parts("a" * 307).count == 3
    # the extension table takes two septets: 80 euro signs fill one SMS, one more splits it
    assert count_parts("€" * 80).count == 1 and count_parts("€" * 80 + "a").count == 2
    # an escaped pair is never split: 152 septets then "€" starts the second part
    assert count_parts("a" * 152 + "€" + "a" * 152).count == 3
    # one Cyrillic letter makes the whole text UCS-2
    assert (count_parts("Привіт").encoding, count_parts("a" * 69 + "ї").count) == ("ucs2", 1)
    assert count_parts("я" * 71).count == 2
    assert count_parts("я" * 134).count == 2 and count_parts("я" * 135).count == 3
    assert count_parts("😀" * 35).count == 1 and count_parts("😀" * 36).count == 2  # 2 units each


async def test_a_mailing_costs_parts_times_recipients_times_the_price(services: Services) -> None:
    info = services.channels.get("sms")
    assert info is not None and info.text_cost is not None
    cost = info.text_cost(1000, "Гарячі тури до Єгипту від 15 000 грн! " * 3)  # 117 letters
    assert cost is not None
    assert (cost.parts, cost.messages, cost.part_price, cost.currency) == (2, 1000, 95, "UAH")
    assert cost.total == 190_000  # 1,900.00 UAH
    t = services.translator("uk")
    assert "частини" in t("mchat-preview-sms-cost", parts=2, count=1000, price="0,95", total="x")


# --- sending -------------------------------------------------------------------------------------


async def test_a_reply_leaves_as_one_plain_sms_exactly_once(
    services: Services, turbo: FakeTurboSms, channel: SmsChannel
) -> None:
    client = await make_client(PHONE)
    account = await sms_account(services, client)
    assert (account.channel, account.external_id) == ("sms", PHONE)
    reply = Reply(
        "Payment received: 2,000.00 UAH.",
        rows([LinkButton("Pay the rest", "https://desk.test/pay/abc")], [Button("Menu", "menu")]),
    )
    row = await services.outbox.enqueue(account, reply, kind="payment-receipt", dedupe_key="r1")
    assert row is not None
    assert (
        await services.outbox.enqueue(account, reply, kind="payment-receipt", dedupe_key="r1")
        is None
    )
    await asyncio.gather(worker(services, channel).drain(), worker(services, channel).drain())
    await worker(services, channel).drain()

    [sms] = turbo.sent
    assert (sms.phone, sms.sender) == ("380671234567", SENDER)
    assert sms.text == "Payment received: 2,000.00 UAH.\n\nPay the rest: https://desk.test/pay/abc"
    assert "Menu" not in sms.text  # a button that needs a chat is left out
    await row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.platform_message_id == sms.message_id
    assert turbo.requests == 1


async def test_a_lost_answer_is_retried_quickly_and_never_sent_twice(
    services: Services, turbo: FakeTurboSms, channel: SmsChannel, clock: ManualClock
) -> None:
    account = await sms_account(services, await make_client(PHONE))
    row = await services.outbox.enqueue(account, Reply("Your trip starts tomorrow"), kind="memo")
    assert row is not None
    turbo.fail_next.append("drop")  # TurboSMS took it, the answer was lost
    sms = worker(services, channel)
    await sms.drain()
    await row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert row.not_before <= clock.now() + timedelta(seconds=5)  # inside the 90 s guard
    clock.advance(timedelta(seconds=6))
    await sms.drain()
    await row.refresh_from_db()
    assert row.status == OutboxStatus.SENT  # TurboSMS answered 427 duplicate: it had left
    assert len(turbo.sent) == 1 and turbo.requests == 2


@pytest.mark.parametrize(
    ("setup", "status", "attempts", "error"),
    [
        ("token", OutboxStatus.PENDING, 0, "105"),  # wrong token: the channel waits
        ("balance", OutboxStatus.PENDING, 0, "203"),  # no money: the channel waits
        ("sender", OutboxStatus.PENDING, 0, "302"),
        ("fatal", OutboxStatus.PENDING, 1, "999"),  # retried with backoff
        ("http500", OutboxStatus.PENDING, 1, "HTTP 500"),
        ("long", OutboxStatus.FAILED, 1, "413"),  # never retried
        ("number", OutboxStatus.BLOCKED, 1, "305"),
    ],
)
async def test_what_turbosms_answers_decides_what_happens_to_the_message(
    services: Services,
    turbo: FakeTurboSms,
    channel: SmsChannel,
    setup: str,
    status: OutboxStatus,
    attempts: int,
    error: str,
) -> None:
    phone = "+380501112233" if setup == "number" else PHONE
    account = await sms_account(services, await make_client(phone))
    text = "x" * 1200 if setup == "long" else "Hello"
    if setup == "number":  # a number TurboSMS cannot deliver to
        account.external_id = "+1555"
        await account.save()
    turbo.token = "rotated" if setup == "token" else TOKEN
    turbo.balance = 0 if setup == "balance" else 1000
    turbo.senders = {"Other"} if setup == "sender" else {SENDER}
    turbo.fail_next = [999] if setup == "fatal" else [500] if setup == "http500" else []
    row = await services.outbox.enqueue(account, Reply(text), kind="payment-receipt")
    assert row is not None
    await worker(services, channel).run_once()
    await row.refresh_from_db()
    assert (row.status, row.attempts) == (status, attempts)
    assert error in (row.error or "") and turbo.sent == []
    if setup == "number":
        await account.refresh_from_db()
        assert account.blocked
    if status is OutboxStatus.PENDING and attempts == 0:  # fixed (money topped up): it leaves
        assert row.paced_until is not None  # the whole channel waits, no attempt spent
        turbo.token, turbo.balance, turbo.senders = TOKEN, 1000, {SENDER}
        await worker(services, channel).drain()
        await row.refresh_from_db()
        assert row.status == OutboxStatus.SENT and len(turbo.sent) == 1


async def test_delivery_statuses_are_asked_for_and_recorded(
    services: Services, turbo: FakeTurboSms, channel: SmsChannel
) -> None:
    first = await sms_account(services, await make_client(PHONE))
    second = await sms_account(services, await make_client("+380671234568"))
    for account in (first, second):
        await services.outbox.enqueue(account, Reply("Your voucher is ready"), kind="notice")
    await worker(services, channel).drain()
    a, b = turbo.sent
    assert await check_statuses(services, "sms", channel.gateway) == 0  # both still on the way
    turbo.statuses[a.message_id] = "Delivered"
    turbo.statuses[b.message_id] = "Rejected"
    assert await check_statuses(services, "sms", channel.gateway) == 2
    delivered = await OutboxMessage.get(platform_message_id=a.message_id)
    rejected = await OutboxMessage.get(platform_message_id=b.message_id)
    assert delivered.status == OutboxStatus.SENT and delivered.delivered_at is not None
    assert rejected.status == OutboxStatus.FAILED and "UNDELIVERABLE" in (rejected.error or "")
    assert await check_statuses(services, "sms", channel.gateway) == 0  # nothing left to ask


# --- opting out ----------------------------------------------------------------------------------


@pytest.fixture
async def web(services: Services) -> AsyncIterator[str]:
    runtime = Runtime(services)  # the real composition: the SMS channel adds its route
    await runtime.start_web("127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{runtime.bound_port}{PATH}"
    finally:
        await runtime.stop()


async def post_signed(url: str, payload: dict[str, str], secret: str = SECRET) -> int:
    body = json.dumps(payload).encode()
    headers = {HEADER: sign(secret, body), "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as resp:
        return resp.status


async def test_stop_withdraws_marketing_consent_and_service_messages_still_go(
    services: Services, turbo: FakeTurboSms, channel: SmsChannel, web: str
) -> None:
    client = await make_client(PHONE, consent=True, locale="uk")
    account = await sms_account(services, client)
    pending = await services.outbox.enqueue(account, Reply("Знижки!"), kind="mailing")
    assert pending is not None
    query = audience_query(parse(""), scope_of(services))
    assert await query.filter(id=client.id).exists()

    assert await post_signed(web, {"phone": "380671234567", "text": "СТОП"}, "forged") == 401
    await client.refresh_from_db()
    assert client.marketing_consent is True  # a forged message changes nothing

    assert await post_signed(web, {"phone": "380671234567", "text": " Стоп! "}) == 200
    await client.refresh_from_db()
    assert client.marketing_consent is False
    assert not await query.filter(id=client.id).exists()  # mailings skip the client
    await pending.refresh_from_db()
    assert pending.status == OutboxStatus.CANCELLED
    assert await post_signed(web, {"phone": PHONE, "text": "STOP"}) == 200  # once more: no-op

    await services.outbox.enqueue(account, Reply("Оплату отримано"), kind="payment-receipt")
    await worker(services, channel).drain()
    texts = [s.text for s in turbo.to(PHONE)]
    assert texts == [services.translator("uk")("sms-stopped"), "Оплату отримано"]
    inbound = await OutboxMessage.filter(account_id=account.id, direction="in").count()
    assert inbound == 2


async def test_a_number_in_the_stop_list_withdraws_consent_and_falls_back(
    services: Services, turbo: FakeTurboSms, channel: SmsChannel
) -> None:
    client = await make_client(PHONE, consent=True)
    account = await sms_account(services, client)
    turbo.stop_list.add("380671234567")
    row = await services.outbox.enqueue(account, Reply("Hot deals"), kind="mailing")
    assert row is not None
    await worker(services, channel).drain()
    await row.refresh_from_db()
    await client.refresh_from_db()
    assert row.status == OutboxStatus.BLOCKED and "404" in (row.error or "")
    assert client.marketing_consent is False and turbo.sent == []


async def test_mailings_say_how_to_stop(
    services: Services, turbo: FakeTurboSms, channel: SmsChannel
) -> None:
    account = await sms_account(services, await make_client(PHONE, consent=True, locale="ru"))
    await services.outbox.enqueue(account, Reply("Горящие туры"), kind="mailing")
    await services.outbox.enqueue(account, Reply("Оплата получена"), kind="payment-receipt")
    await worker(services, channel).drain()
    stop = services.translator("ru")("sms-mailing-stop")
    assert sorted(s.text for s in turbo.sent) == sorted(
        [f"Горящие туры\n\n{stop}", "Оплата получена"]
    )


# --- the fallback --------------------------------------------------------------------------------


async def test_a_reminder_blocked_on_telegram_arrives_by_sms_exactly_once(
    services: Services, turbo: FakeTurboSms
) -> None:
    fake = await FakeTelegram().start()
    desk = await open_desk(services, telegram=fake)
    try:
        client = await make_client(PHONE, user_id="501", channel="telegram")
        tg = await MessengerAccount.get(channel="telegram", external_id="501")
        fake.block(501)
        reply = Reply("Payment due in 3 days", rows([LinkButton("Pay", "https://pay.test/1")]))
        row = await services.outbox.enqueue(
            tg, reply, kind="reminder.payment_due", dedupe_key="rem:1"
        )
        assert row is not None
        await desk.deliver()
        await desk.deliver()

        await row.refresh_from_db()
        assert row.status == OutboxStatus.BLOCKED
        [sms] = turbo.to(PHONE)
        assert sms.text == "Payment due in 3 days\n\nPay: https://pay.test/1"
        copy = await OutboxMessage.get(channel="sms")
        assert copy.status == OutboxStatus.SENT and copy.client_id == client.id
        assert copy.meta["fallback_of"] == row.id and copy.platform_message_id == sms.message_id
        assert await fallback.fall_back(services, row) is None  # asked again: nothing more
        await desk.deliver()
        assert len(turbo.sent) == 1
    finally:
        await desk.close()
        await fake.close()


async def test_a_payment_due_reminder_reaches_a_client_with_only_a_phone_with_a_pay_link(
    services: Services, turbo: FakeTurboSms, channel: SmsChannel, clock: ManualClock
) -> None:
    services.rules = Rules.model_validate(
        {
            "delivery": {"fallback": ["sms"], "flood_messages": 1000},
            "reminders": {"planner_minutes": 180},
            "channels": {"sms": {"rate": 100, "part_price": 95, "currency": "UAH"}},
        }
    )
    services.settings.payments.sandbox = True
    world = World(services, clock)
    world.delivery.senders["sms"] = channel.sender
    await world.start()
    client = await Client.create(phone=PHONE, first_name="Olena", locale="en")
    await make_order(
        client,
        created_at=clock.now(),
        price=3_000_000,
        paid=1_000_000,
        due=date(2026, 12, 1),
        status=OrderStatus.CONFIRMED,
    )
    await world.run_until(kyiv(2026, 11, 29))
    [sms] = turbo.to(PHONE)
    # the chat's Pay button became a link paying what is left, written out in the text
    [intent] = await PaymentIntent.filter(client_id=client.id)
    assert intent.amount == 2_000_000 and not intent.is_prepayment
    t = services.translator("en")
    label = t("reminder-pay-button", amount=t.money(2_000_000, "UAH"))
    assert f"{label}: {pay_link(services.settings, intent)}" in sms.text
    assert await OutboxMessage.filter(client_id=client.id, status=OutboxStatus.SENT).count() == 1


async def test_a_chat_pay_button_falls_back_to_sms_as_a_link_paying_what_is_left(
    services: Services, turbo: FakeTurboSms
) -> None:
    services.settings.payments.sandbox = True
    fake = await FakeTelegram().start()
    desk = await open_desk(services, telegram=fake)
    try:
        client = await make_client(PHONE, user_id="502", channel="telegram")
        order = await make_order(client, price=3_000_000, paid=1_000_000)
        tg = await MessengerAccount.get(channel="telegram", external_id="502")
        fake.block(502)
        reply = Reply("Payment due today", rows([Button("Pay now", encode("pay", order.id))]))
        await services.outbox.enqueue(tg, reply, kind="reminder.payment_due", dedupe_key="rem:2")
        await desk.deliver()
        await desk.deliver()

        [sms] = turbo.to(PHONE)
        [intent] = await PaymentIntent.filter(order_id=order.id)
        assert intent.amount == 2_000_000
        assert sms.text == f"Payment due today\n\nPay now: {pay_link(services.settings, intent)}"
    finally:
        await desk.close()
        await fake.close()


# --- one-time codes ------------------------------------------------------------------------------


async def claim(services: Services, router: Router, user_id: str) -> RecordingChat:
    stranger = RecordingChat(services, router, user_id=user_id)
    await stranger.start()
    await stranger.press("English")
    await stranger.press("Share my phone")
    await stranger.say("067 123 45 67")
    return stranger


def code_in(text: str) -> str:
    found = re.search(r"Code: (\d{6})", text)
    assert found is not None, text
    return found.group(1)


async def test_a_claimed_number_gets_its_code_by_sms_and_the_code_works_once(
    services: Services, router: Router, turbo: FakeTurboSms, channel: SmsChannel
) -> None:
    owner = await make_client(PHONE)  # imported: a phone, no messenger at all
    chat = await claim(services, router, "u-claim")
    assert "sent by SMS to that number" in chat.text
    await worker(services, channel).drain()
    [sms] = turbo.to(PHONE)
    code = code_in(sms.text)

    wrong = "000000" if code != "000000" else "111111"
    await chat.say(wrong)
    assert "That code is not right. 4 tries left." in chat.text
    await chat.say(code)
    assert "linked to your profile" in chat.text
    account = await MessengerAccount.get(external_id="u-claim")
    assert account.client_id == owner.id
    # the code is used up in the database: the same code again proves nothing
    [done] = await PhoneClaim.filter(account_id=account.id)
    assert done.status == ClaimStatus.PROVEN and done.code_hash is None
    again = await identity.check_code(services, done.id, account, code)
    assert again.check is CodeCheck.CLOSED


async def test_an_sms_code_expires_and_codes_are_limited_per_number_and_account(
    services: Services,
    router: Router,
    turbo: FakeTurboSms,
    channel: SmsChannel,
    clock: ManualClock,
) -> None:
    await make_client(PHONE, locale="uk")
    chat = await claim(services, router, "u-slow")
    account = await MessengerAccount.get(external_id="u-slow")
    [pending] = await PhoneClaim.filter(account_id=account.id)
    await worker(services, channel).drain()
    code = re.search(r"\b(\d{6})\b", turbo.to(PHONE)[0].text)
    assert code is not None
    clock.advance(identity.CODE_TTL + timedelta(seconds=1))
    await chat.say(code.group(1))
    assert chat.text == services.translator("en")("identity-code-expired")

    await chat.press("Send a new code")  # the 2nd code
    assert "A new code has been sent by SMS" in chat.text
    sent = await identity.send_code(services, pending)  # the 3rd
    assert sent.channels == ["SMS"] and sent.by_phone
    assert (await identity.send_code(services, pending)).limited  # the 4th: not in this hour
    # another account asking for the same number within the hour: limited by the number
    other = await claim(services, router, "u-other")
    assert "Too many codes have been requested for this number" in other.text
    assert "sent by SMS" not in other.text
    await worker(services, channel).drain()
    assert len(turbo.to(PHONE)) == 3
    clock.advance(timedelta(hours=1, minutes=1))
    assert (await identity.send_code(services, pending)).channels == ["SMS"]


# --- configuration -------------------------------------------------------------------------------


async def test_a_bad_sender_is_one_line_naming_the_variable(
    settings: Settings, rules: Rules
) -> None:
    sms_settings(settings).turbosms_sender = "Far too long a sender name"
    with pytest.raises(ConfigError, match=r"^TURBOSMS_SENDER: ") as err:
        check_channels(settings, rules)
    assert "\n" not in str(err.value) and TOKEN not in str(err.value)


async def test_without_a_token_sms_is_off_and_no_fallback(
    settings: Settings, rules: Rules, clock: ManualClock
) -> None:
    sms_settings(settings).turbosms_token = None
    services = await build_services(settings, rules, clock=clock)
    assert fallback.order(services) == ()
    client = await make_client(PHONE, user_id="c1")
    assert not fallback.could_reach(services, client)


# --- the mailing preview -------------------------------------------------------------------------


async def test_the_mailing_preview_shows_parts_recipients_and_price_for_sms(
    services: Services, router: Router
) -> None:
    from tests.test_mailchat import admin_chat, to_ready

    for i in range(3):  # imported clients: a phone and consent, no messenger
        client = await make_client(f"+38067765432{i}", consent=True)
        await sms_account(services, client)
    chat = await to_ready(await admin_chat(services, router), segment="", text="Знижка " * 15)
    t = services.translator("en")
    price, total = t.money(95, "UAH"), t.money(570, "UAH")
    assert "· sms: 3" in chat.text  # 105 Cyrillic characters: two UCS-2 parts each
    assert f"SMS: 2 parts × 3 × {price} = ≈ {total}" in chat.text


async def test_the_startup_line_names_the_gateway_and_never_the_token(
    settings: Settings, turbo: FakeTurboSms
) -> None:
    from bots.sms.spec import SMS

    fields = SMS.startup_fields(settings)
    assert fields == {
        "state": "on",
        "mode": "turbosms",
        "api": turbo.url,
        "sender": SENDER,
        "inbound": "on",
    }
    sms_settings(settings).turbosms_token = None
    assert SMS.startup_fields(settings) == {"state": "off", "reason": "TURBOSMS_TOKEN is not set"}
