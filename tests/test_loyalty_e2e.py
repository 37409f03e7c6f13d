"""Loyalty and commissions end to end, in Telegram and in Viber (fake platform servers, the
real runtime): a friend follows a client's invite link, pays their first order through the
sandbox checkout (points accrue, both get the referral bonus once, the manager's commission
accrues once although the bank repeats its callback), pays part of the next order with points,
and a refund of the first order takes back the money, its points and the commission."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from core import ledger
from core.loyalty import points
from core.payments.registry import payment_providers
from core.rules import Commissions, Delivery, Loyalty, Rules
from core.services import Services
from storage.models import (
    Client,
    CommissionEntry,
    Order,
    OrderStatus,
    PaymentIntent,
    PointsEntry,
    PointsKind,
    ProviderEvent,
    Staff,
)
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.viber_api import FakeViberApi
from tests.support.e2e import (
    Desk,
    Person,
    TgPerson,
    VbPerson,
    open_checkout,
    open_desk,
    register,
    submit_checkout,
)
from tests.support.factories import make_order

INVITER_PHONE = "+380671234567"
FRIEND_PHONE = "+380501112233"


@pytest.fixture
def rules() -> Rules:
    return Rules(
        loyalty=Loyalty(accrual_percent=5, referral_bonus=100, spend_cap_percent=30),
        commissions=Commissions(paid_percent=2),
        delivery=Delivery(flood_messages=1000),
        channels={"telegram": {"bot": "tourdesk_bot"}, "viber": {"uri": "tourdesk"}},
    )


@dataclass
class Channel:
    """How a person of one messenger is made and opens the bot (with a deep-link parameter)."""

    person: Callable[[str, str], Any]
    open: Callable[[Any, str | None], Awaitable[object]]
    param_of: Callable[[str], str]  # the start parameter inside an invite link


def telegram(desk: Desk) -> Channel:
    assert desk.telegram is not None
    fake = desk.telegram
    ids = iter(range(700, 800))

    async def start(person: TgPerson, param: str | None) -> object:
        return await person.start(param)

    return Channel(
        lambda uid, name: TgPerson(fake, next(ids), name),
        start,  # type: ignore[arg-type]
        lambda link: link.removeprefix("https://t.me/tourdesk_bot?start="),
    )


def viber(desk: Desk) -> Channel:
    assert desk.viber is not None
    harness = desk.viber

    async def start(person: VbPerson, param: str | None) -> object:
        return await person.open_chat(context=param)

    return Channel(
        lambda uid, name: harness.person(uid, name),
        start,  # type: ignore[arg-type]
        lambda link: link.removeprefix("viber://pa?chatURI=tourdesk&context="),
    )


@pytest.fixture(params=["telegram", "viber"])
async def desk(request: pytest.FixtureRequest, services: Services) -> AsyncIterator[Desk]:
    if request.param == "telegram":
        fake_tg = await FakeTelegram().start()
        desk = await open_desk(services, telegram=fake_tg)
        try:
            yield desk
        finally:
            await desk.close()
            await fake_tg.close()
        return
    fake_vb = FakeViberApi()
    await fake_vb.start()
    desk = await open_desk(services, viber=fake_vb)
    try:
        yield desk
    finally:
        await desk.close()
        await fake_vb.close()


async def newcomer(channel: Channel, uid: str, name: str, phone: str, param: str | None) -> Any:
    person = channel.person(uid, name)
    await channel.open(person, param)
    await person.press("English")
    await register(person, phone.lstrip("+"))
    return person


async def pay_by_link(desk: Desk, person: Person, label: str) -> PaymentIntent:
    """The payer opens the link from the chat and pays on the sandbox checkout page."""
    link = person.link(label)  # type: ignore[attr-defined]
    token = link.rsplit("/", 1)[-1]
    checkout = await open_checkout(desk.http, link)
    status, _, _ = await submit_checkout(desk.http, checkout, "Pay")
    assert status == 200
    return await PaymentIntent.get(token=token)


async def repeat_callback(desk: Desk, intent: PaymentIntent) -> None:
    """The bank sends its callback again, byte for byte."""
    sandbox = payment_providers(desk.services).sandbox
    assert sandbox is not None
    body = sandbox.callback_body(sandbox.store[intent.reference])
    async with desk.http.post(
        f"{desk.base_url}/payments/sandbox/callback",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ) as resp:
        assert resp.status == 200


async def test_points_referral_and_commission_in_a_messenger(desk: Desk) -> None:
    channel = telegram(desk) if desk.telegram is not None else viber(desk)
    ivan = channel.person("ivan-x", "Ivan")
    await channel.open(ivan, None)
    await ivan.say(await desk.invite("Ivan Franko 2"))
    assert "Welcome to the team" in ivan.text

    # The inviter finds their invite link on the points screen.
    olena = await newcomer(channel, "olena-x", "Olena", INVITER_PHONE, None)
    await olena.press("Balance")
    await olena.press("Bonus points")
    assert "Balance: 0 points" in olena.text
    [link] = [w for w in olena.text.split() if w.startswith(("https://t.me/", "viber://"))]
    param = channel.param_of(link)
    assert param.startswith("r_")

    # The friend opens the link, registers, and pays their first order in full.
    taras = await newcomer(channel, "taras-x", "Taras", FRIEND_PHONE, param)
    friend = await Client.get(phone=FRIEND_PHONE)
    inviter = await Client.get(phone=INVITER_PHONE)
    staff_ivan = await Staff.get(name="Ivan Franko 2")
    first = await make_order(friend, price=300_000, manager=staff_ivan)
    await taras.say("/menu")
    await taras.press("My trips")
    await taras.press("T-0001")
    await taras.press("Pay")
    await taras.press("Pay the rest")
    intent = await pay_by_link(desk, taras, "Pay UAH")
    await repeat_callback(desk, intent)
    assert await ProviderEvent.filter(outcome="duplicate").count() == 1
    first = await Order.get(id=first.id)
    assert first.status is OrderStatus.PAID
    assert await points.balance(friend.id) == 150 + 100  # 5 % of 3,000.00 and the bonus
    assert await points.balance(inviter.id) == 100
    [commission] = await CommissionEntry.filter(staff_id=staff_ivan.id)
    assert commission.amount == 6_000  # 2 % of 3,000.00, once
    await repeat_callback(desk, intent)
    assert await points.balance(inviter.id) == 100  # the bonus is paid once

    await ivan.say("/commission")
    assert "+UAH\xa060.00" in ivan.text and "Total: UAH\xa060.00" in ivan.text

    # Points pay part of the next order (up to 30 % of its price).
    second = await make_order(friend, price=100_000)
    await taras.say("/menu")
    await taras.press("My trips")
    await taras.press("T-0002")
    await taras.press("Pay")
    await taras.press("with 250 points")  # UAH 300.00 may be paid with points; they have 250
    assert "250 points = UAH\xa0250.00" in taras.text and "UAH\xa0750.00" in taras.text
    await taras.press("Yes, use the points")
    assert "set aside for order T-0002" in taras.text
    await pay_by_link(desk, taras, "Pay UAH")
    second = await Order.get(id=second.id)
    assert (second.paid, second.status) == (100_000, OrderStatus.PAID)
    assert await points.balance(friend.id) == 37  # 5 % of the UAH 750.00 paid by card

    # A refund of the first order takes back its money, its points and the commission.
    await ivan.say(f"/order {first.number}")
    await ivan.press("Change status")
    await ivan.press("cancelled")
    await ivan.press("Cancel, refund")
    assert (await Order.get(id=first.id)).status is OrderStatus.CANCELLED
    assert await ledger.balance(friend.id, "UAH") == 0
    reversed_points = await PointsEntry.filter(client_id=friend.id, kind=PointsKind.REVERSE)
    assert sum(e.points for e in reversed_points) == -37  # all there was left to take
    amounts = await CommissionEntry.filter(staff_id=staff_ivan.id).values_list("amount", flat=True)
    assert sorted(amounts) == [-6_000, 6_000]
