"""The client's Pay and Balance screens, driven like a user through the recording chat."""

from __future__ import annotations

import pytest

from core.contract import Button, LinkButton
from core.ledger import balance, credit
from core.payloads import encode
from core.services import Services
from core.settings import Settings
from storage.models import (
    AuditEntry,
    EntryKind,
    IntentPurpose,
    LedgerEntry,
    Order,
    OrderStatus,
    PaymentIntent,
)
from tests.support.chat import RecordingChat
from tests.support.factories import make_client, make_order
from tests.support.payments import configure, offline


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return configure(settings)


@pytest.fixture
def services(services: Services) -> Services:
    return offline(services)


def links(chat: RecordingChat) -> list[LinkButton]:
    return [b for b in chat.buttons() if isinstance(b, LinkButton)]


async def test_pay_screen_offers_the_rest_the_prepayment_and_the_balance(
    chat: RecordingChat,
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=1_000_000)
    await credit(client.id, 1_000_000, "UAH", EntryKind.PAYMENT, "seed")
    await chat.press_payload(encode("pay", order.id))
    assert "T-0001" in chat.text and "Left to pay: UAH\xa010,000.00" in chat.text
    assert chat.labels() == [
        "💳 Pay the rest — UAH\xa010,000.00",
        "💳 Prepay 30% — UAH\xa03,000.00",
        "👛 Pay from balance (UAH\xa010,000.00)",
        "◀️ Back",
    ]
    await chat.press("Prepay 30%")
    assert "valid until" in chat.text
    link = links(chat)[0]
    intent = await PaymentIntent.get()
    assert (intent.amount, intent.is_prepayment, intent.purpose) == (
        300_000,
        True,
        IntentPurpose.ORDER,
    )
    assert link.url == f"https://tourdesk.example/pay/{intent.token}"
    assert "UAH\xa03,000.00" in link.label


async def test_pressing_pay_twice_gives_the_same_link(chat: RecordingChat) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client)
    await chat.press_payload(encode("payo", order.id, "full"))
    first = links(chat)[0].url
    await chat.press_payload(encode("payo", order.id, "full"))
    assert links(chat)[0].url == first
    assert await PaymentIntent.all().count() == 1


async def test_balance_option_hidden_when_it_does_not_cover_and_no_prepay_once_paid(
    chat: RecordingChat,
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=1_000_000, paid=300_000, status=OrderStatus.CONFIRMED)
    await credit(client.id, 100, "UAH", EntryKind.PAYMENT, "seed")
    await chat.press_payload(encode("pay", order.id))
    assert chat.labels() == ["💳 Pay the rest — UAH\xa07,000.00", "◀️ Back"]


@pytest.mark.parametrize("payload", ["other", "nan", "99999"])
async def test_forged_or_foreign_order_is_refused(chat: RecordingChat, payload: str) -> None:
    await make_client(user_id="u1")
    stranger = await make_client("+380501112233", user_id="someone-else")
    theirs = await make_order(stranger, number="T-0099")
    order_id = theirs.id if payload == "other" else payload
    for action in ("pay", "payo", "paybal"):
        await chat.press_payload(encode(action, order_id, "full"))
        assert "was not found among your trips" in chat.text
        assert "T-0099" not in chat.text
    assert await PaymentIntent.all().count() == 0


async def test_unidentified_user_is_asked_for_a_phone(chat: RecordingChat) -> None:
    await chat.press_payload(encode("balance"))
    assert chat.last[-1].request_phone
    await chat.press_payload(encode("pay", 1))
    assert chat.last[-1].request_phone


async def test_pay_from_balance_asks_first_and_never_charges_twice(chat: RecordingChat) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=200_000)
    await credit(client.id, 250_000, "UAH", EntryKind.PAYMENT, "seed")
    await chat.press_payload(encode("pay", order.id))
    await chat.press("Pay from balance")
    assert "Pay UAH\xa02,000.00 for order T-0001 from your balance" in chat.text
    confirm = next(b for b in chat.buttons() if isinstance(b, Button) and "Yes" in b.label)
    await chat.press("Yes")
    assert "Paid UAH\xa02,000.00 for order T-0001 from your balance" in chat.text
    assert "fully paid" in chat.text
    await chat.press_payload(confirm.payload)  # the same confirmation pressed again
    assert "Nothing is left to pay" in chat.text
    assert await balance(client.id, "UAH") == 50_000
    order = await Order.get(id=order.id)
    assert (order.paid, order.status) == (200_000, OrderStatus.PAID)
    assert await AuditEntry.filter(action="order-paid-from-balance").count() == 1


async def test_balance_screen_shows_money_points_card_and_history(chat: RecordingChat) -> None:
    client = await make_client(user_id="u1")
    client.bonus_points = 120
    await client.save()
    order = await make_order(client, price=500_000)
    for i in range(7):
        await credit(client.id, 100_000 * (i + 1), "UAH", EntryKind.PAYMENT, f"p{i}")
    await credit(client.id, 500, "USD", EntryKind.BONUS, "usd")
    await chat.press_payload(encode("balance"))
    text = chat.text
    assert "UAH\xa028,000.00" in text and "$5.00" in text
    assert "Bonus points: 120" in text
    assert "Virtual card: 9804 0000 0000 " in text
    assert len([line for line in text.splitlines() if " · " in line]) == 5  # the last five
    assert "+UAH\xa07,000.00" in text
    assert chat.labels() == [
        "➕ Top up",
        "⭐ Bonus points",
        "🧳 Pay an order from balance",
        "◀️ Back",
    ]
    await chat.press("Pay an order")
    await chat.press("T-0001")
    await chat.press("Yes")
    assert (await Order.get(id=order.id)).paid == 500_000
    assert await balance(client.id, "UAH") == 2_300_000


async def test_top_up_with_a_preset_or_a_typed_amount_within_bounds(
    chat: RecordingChat, services: Services
) -> None:
    client = await make_client(user_id="u1")
    await chat.press_payload(encode("balance"))
    await chat.press("Top up")
    assert chat.labels()[:3] == ["UAH\xa0500.00", "UAH\xa01,000.00", "UAH\xa02,000.00"]
    await chat.press("UAH\xa01,000.00")
    intent = await PaymentIntent.get()
    assert (intent.purpose, intent.amount) == (IntentPurpose.TOPUP, 100_000)
    assert not await PaymentIntent.filter(id=intent.id, order_id__isnull=False).exists()
    await chat.press_payload(encode("topup", "other"))
    await chat.say("5")
    assert "The amount must be from UAH\xa010.00 to UAH\xa0100,000.00" in chat.text
    await chat.say("twenty")
    assert "Please enter an amount" in chat.text
    await chat.say("1 234,50")
    assert "UAH\xa01,234.50" in links(chat)[0].label
    assert await PaymentIntent.filter(amount=123_450, client_id=client.id).exists()
    await chat.press_payload(encode("topup", 7))  # a forged preset: back to the choices
    assert "How much would you like to add" in chat.text
    assert await PaymentIntent.all().count() == 2


async def test_without_a_configured_provider_payment_is_declined_politely(
    chat: RecordingChat, settings: Settings, services: Services
) -> None:
    services.payments = None
    settings.liqpay.public_key = None
    settings.wayforpay.merchant = None
    settings.payments.sandbox = False
    client = await make_client(user_id="u1")
    order = await make_order(client)
    await chat.press_payload(encode("payo", order.id, "full"))
    assert "Online payment is not available right now" in chat.text
    assert await LedgerEntry.all().count() == 0
