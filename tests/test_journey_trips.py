"""My trips: the client's own orders, newest first, five per page, and one order's card."""

from __future__ import annotations

from datetime import date

from core.contract import Button
from core.payloads import decode, encode
from core.services import Services
from handlers.router import Router
from storage.models import Client, Order, OrderStatus
from tests.support.channels import Channel
from tests.support.chat import RecordingChat
from tests.support.factories import make_order
from tests.support.journeys import register


async def order(
    client: Client,
    number: str,
    *,
    destination: str = "Turkey",
    price: int = 5_000_000,
    paid: int = 0,
    status: OrderStatus = OrderStatus.BOOKED,
) -> Order:
    """A trip of 1-10 June 2027 to be paid by 1 May 2027 (the dates the screens show)."""
    return await make_order(
        client,
        number,
        destination=destination,
        price=price,
        paid=paid,
        status=status,
        departure=date(2027, 6, 1),
        back=date(2027, 6, 10),
        due=date(2027, 5, 1),
    )


def payloads(chat: RecordingChat) -> list[str]:
    return [b.payload for b in chat.buttons() if isinstance(b, Button)]


async def test_no_orders_offers_the_wizard(chat: RecordingChat) -> None:
    await register(chat)
    await chat.press("My trips")
    assert "no trips with us yet" in chat.text
    await chat.press("Find a tour")
    assert "Step 1 of 6" in chat.text


async def test_trips_list_newest_first_with_money_and_dates(chat: RecordingChat) -> None:
    client = await register(chat)
    await order(
        client,
        "T-0001",
        destination="Egypt",
        price=3_000_000,
        paid=3_000_000,
        status=OrderStatus.PAID,
    )
    await order(client, "T-0002", destination="Spain", price=5_000_000, paid=1_500_000)
    await chat.press("My trips")
    text = chat.text
    assert "Your trips (2)" in text
    assert text.index("T-0002") < text.index("T-0001")
    assert "T-0002 · Spain — booked, waiting for payment" in text
    assert "June 1, 2027 – June 10, 2027" in text
    assert "Price UAH\xa050,000.00 · paid UAH\xa015,000.00" in text
    assert "Left to pay UAH\xa035,000.00 by May 1, 2027" in text
    assert "T-0001 · Egypt — paid" in text
    assert text.count("Left to pay") == 1  # nothing left on the paid one
    assert chat.labels()[:2] == ["T-0002 · Spain", "T-0001 · Egypt"]


async def test_pagination_five_per_page(chat: RecordingChat) -> None:
    client = await register(chat)
    for i in range(1, 8):
        await order(client, f"T-{i:04d}", destination=f"Place {i}")
    await chat.press("My trips")
    assert "Your trips (7)" in chat.text and "Page 1 of 2" in chat.text
    shown = [lbl for lbl in chat.labels() if lbl.startswith("T-")]
    assert shown == [f"T-{i:04d} · Place {i}" for i in (7, 6, 5, 4, 3)]
    assert "Newer" not in " ".join(chat.labels())
    await chat.press("Older")
    assert "Page 2 of 2" in chat.text
    shown = [lbl for lbl in chat.labels() if lbl.startswith("T-")]
    assert shown == ["T-0002 · Place 2", "T-0001 · Place 1"]
    assert "Older" not in " ".join(chat.labels())
    await chat.press("Newer")
    assert "Page 1 of 2" in chat.text
    await chat.press_payload(encode("trips", 99))  # an out-of-range page shows the last one
    assert "Page 2 of 2" in chat.text


async def test_order_card_with_pay_button_only_when_payable(chat: RecordingChat) -> None:
    client = await register(chat)
    booked = await order(client, "T-0001", price=5_000_000, paid=1_000_000)
    confirmed = await order(client, "T-0002", status=OrderStatus.CONFIRMED, paid=4_999_999)
    paid = await order(client, "T-0003", paid=5_000_000, status=OrderStatus.PAID)
    cancelled = await order(client, "T-0004", status=OrderStatus.CANCELLED)
    await chat.press("My trips")
    await chat.press("T-0001")
    assert "Trip T-0001: Turkey" in chat.text
    assert "Status: booked, waiting for payment" in chat.text
    assert "Left to pay UAH\xa040,000.00 by May 1, 2027" in chat.text
    assert encode("pay", booked.id) in payloads(chat)
    assert chat.labels()[0] == "💳 Pay"

    await chat.press_payload(encode("trip", confirmed.id))
    assert "Status: confirmed" in chat.text and encode("pay", confirmed.id) in payloads(chat)
    for no_pay in (paid, cancelled):
        await chat.press_payload(encode("trip", no_pay.id))
        assert "💳 Pay" not in chat.labels()
        assert not [p for p in payloads(chat) if decode(p).action == "pay"]
    assert "Status: cancelled" in chat.text
    await chat.press("All trips")
    assert "Your trips (4)" in chat.text
    await chat.press("T-0003")
    await chat.press("Menu")
    assert "Main menu" in chat.text


async def test_another_clients_order_is_refused(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    mine = await register(chat)
    other_chat = RecordingChat(services, router, user_id="u2", name="Taras")
    other = await register(other_chat, phone="+380509998877")
    secret = await order(other, "T-0009", destination="Maldives", price=99_000_000)
    await order(mine, "T-0001")
    await chat.press_payload(encode("trip", secret.id))
    assert "could not find this trip among yours" in chat.text
    assert "Maldives" not in chat.text and "T-0009" not in chat.text
    await chat.press_payload(encode("trip", "not-a-number"))
    assert "could not find this trip" in chat.text
    await chat.press_payload(encode("trips"))
    assert "T-0009" not in chat.text and "T-0001" in chat.text


async def test_trips_ask_for_the_phone_first(chat: RecordingChat) -> None:
    await chat.start()
    await chat.press("English")
    await chat.press("My trips")
    assert "we need your phone number" in chat.text and chat.last[-1].request_phone
    await chat.press_payload(encode("trip", 1))
    assert "we need your phone number" in chat.text
    client = await Client.create(phone="+380671234567", marketing_consent=True)
    await order(client, "T-0001", destination="Crete")
    await chat.share_phone("380671234567", own=True)  # the messenger vouches it is theirs
    assert "We found your profile" in chat.text and "T-0001 · Crete" in chat.text


async def test_trip_statuses_and_dates_in_every_language(
    services: Services, router: Router
) -> None:
    for lang, label, phone, expected in (
        (
            "uk",
            "Українська",
            "+380670000011",
            ["Мої поїздки", "заброньовано, очікує оплати", "1 червня 2027"],
        ),
        (
            "ru",
            "Русский",
            "+380670000022",
            ["Мои поездки", "забронировано, ожидает оплаты", "1 июня 2027"],
        ),
    ):
        chat = RecordingChat(services, router, user_id=f"u-{lang}", channel=Channel.VIBER)
        client = await register(chat, phone=phone, language=label)
        await order(client, f"T-{lang}", price=1_234_500)
        await chat.press(expected[0])
        for part in expected[1:]:
            assert part in chat.text, (lang, part, chat.text)
        assert "12\xa0345,00" in chat.text
