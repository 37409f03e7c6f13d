"""Loyalty and commissions through the real flows: chat screens (recording adapter), payments
by signed sandbox callbacks to our web app, refunds through the staff's cancellation, jobs run
by the job runner on a controlled clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from core import commissions, ledger
from core.clock import ManualClock
from core.errors import ConfigError
from core.jobs import JobRunner
from core.loyalty import hooks, points, referrals
from core.payloads import encode
from core.payments.intents import create_order_intent
from core.payments.registry import payment_providers
from core.rules import Commissions, Delivery, Loyalty, LoyaltyTier, Rules, load_rules
from core.services import Services
from core.settings import Settings
from core.staff.orders import change_status
from handlers.router import Router
from storage.models import (
    AuditEntry,
    Client,
    CommissionEntry,
    EntryKind,
    IntentStatus,
    Job,
    LedgerEntry,
    Order,
    OrderStatus,
    PaymentIntent,
    PointsEntry,
    PointsKind,
    Referral,
    Role,
)
from tests.support.chat import RecordingChat, chat_for
from tests.support.factories import make_client, make_order, make_staff
from tests.support.journeys import register
from tests.support.payments import PUBLIC_URL, callback_status, sandbox_body, texts, web_app

LOYALTY = Loyalty(
    accrual_percent=5, referral_bonus=100, spend_cap_percent=30, point_value=100, expiry_months=12
)


@pytest.fixture
def rules() -> Rules:
    return Rules(
        loyalty=LOYALTY,
        commissions=Commissions(paid_percent=2, margin_percent=10),
        delivery=Delivery(flood_messages=1000),
    )


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.payments.sandbox = True  # the only provider: links and refunds go through it
    settings.web.public_url = PUBLIC_URL
    return settings


@pytest.fixture
async def web(services: Services) -> AsyncIterator[TestClient]:
    async with web_app(services) as client:
        yield client


def sandbox_payload(intent: PaymentIntent, amount: str, status: str = "success") -> dict[str, str]:
    return {
        "payment_id": f"sbx-{intent.reference}",
        "reference": intent.reference,
        "status": status,
        "amount": amount,
        "currency": intent.currency,
    }


async def pay(
    services: Services, web: TestClient, intent: PaymentIntent, *, twice: bool = False
) -> None:
    """The sandbox bank takes the money and calls us back (``twice``: the callback repeated)."""
    sandbox = payment_providers(services).sandbox
    assert sandbox is not None
    await sandbox.ready()
    sandbox.record(intent.reference, intent.amount, intent.currency, "pay")
    major = f"{intent.amount / 100:.2f}"
    body = sandbox_body(sandbox.secret, sandbox_payload(intent, major))
    assert await callback_status(web, "sandbox", body) == 200
    if twice:
        assert await callback_status(web, "sandbox", body) == 200


async def paid_order(
    services: Services, web: TestClient, client_id: int, price: int, **kw: object
) -> Order:
    client = await Client.get(id=client_id)
    order = await make_order(client, price=price, **kw)  # type: ignore[arg-type]
    intent = await create_order_intent(services, order, provider="sandbox")
    await pay(services, web, intent)
    return await Order.get(id=order.id)


async def test_a_paid_order_earns_points_and_points_pay_part_of_the_next(
    services: Services, web: TestClient, chat: RecordingChat
) -> None:
    client = await register(chat)
    first = await paid_order(services, web, client.id, 300_000)
    assert first.status is OrderStatus.PAID
    entry = await PointsEntry.get(reference=f"accrue:order:{first.id}")
    assert entry.points == 150  # 5 % of UAH 3,000.00, a point is worth UAH 1.00
    assert entry.expires_at is not None
    receipts = [t for t in await texts(client_id=client.id) if "Payment received" in t]
    assert len(receipts) == 1 and "This order earned you 150 bonus points." in receipts[0]

    await chat.press_payload(encode("balance"))
    assert "Bonus points: 150" in chat.text
    await chat.press("Bonus points")
    assert "Balance: 150 points (worth UAH\xa0150.00)" in chat.text
    assert "earned (T-0001)" in chat.text and "Will expire:" in chat.text

    second = await make_order(client, price=100_000)  # UAH 1,000.00: points may pay 30 %
    await chat.press_payload(encode("pay", second.id))
    await chat.press("with 150 points")
    assert "150 points = UAH\xa0150.00" in chat.text and "UAH\xa0850.00" in chat.text
    assert await PointsEntry.filter(kind=PointsKind.SPEND).count() == 0  # asked first
    await chat.press("Yes, use the points")
    assert "150 points (UAH\xa0150.00) set aside for order T-0002" in chat.text
    assert any("Pay UAH\xa0850.00" in label for label in chat.labels())
    intent = await PaymentIntent.get(order_id=second.id)
    assert intent.amount == 85_000
    assert (await Order.get(id=second.id)).paid == 0  # reserved, not yet spent

    await pay(services, web, intent)
    second = await Order.get(id=second.id)
    assert (second.paid, second.status) == (100_000, OrderStatus.PAID)
    converted = await LedgerEntry.get(reference=f"points:intent:{intent.id}")
    assert (converted.kind, converted.amount) == (EntryKind.BONUS, 15_000)
    # the second order earns on its money only (UAH 850.00), at the base rate
    assert (await PointsEntry.get(reference=f"accrue:order:{second.id}")).points == 42
    assert await points.balance(client.id) == 42


async def test_a_link_that_expires_unpaid_gives_the_points_back(
    services: Services, web: TestClient, chat: RecordingChat, clock: ManualClock
) -> None:
    client = await register(chat)
    await paid_order(services, web, client.id, 300_000)
    order = await make_order(client, price=100_000)
    await chat.press_payload(encode("payp", order.id, 150))
    intent = await PaymentIntent.get(order_id=order.id)
    assert await points.balance(client.id) == 0
    clock.advance(timedelta(hours=services.rules.payments.link_lifetime_hours, minutes=10))
    await JobRunner(services.jobs, "t").drain()
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.EXPIRED
    back = await PointsEntry.get(kind=PointsKind.RETURN)
    assert back.points == 150
    assert await points.balance(client.id) == 150
    await JobRunner(services.jobs, "t").drain()  # the release job, again: nothing more
    assert await points.balance(client.id) == 150


async def test_points_given_back_keep_the_expiry_of_the_lots_they_came_from(
    services: Services, web: TestClient, chat: RecordingChat, clock: ManualClock
) -> None:
    client = await register(chat)
    await paid_order(services, web, client.id, 300_000)  # 150 points, a lot of their own
    clock.advance(timedelta(days=40))
    await paid_order(services, web, client.id, 200_000)  # 100 points, expiring 40 days later
    first, second = await points.lots(client.id)
    assert (first.left, second.left) == (150, 100)
    assert first.expires_at is not None and second.expires_at is not None
    assert second.expires_at - first.expires_at >= timedelta(days=39)

    order = await make_order(client, price=1_000_000)  # points may pay up to UAH 3,000.00
    await chat.press_payload(encode("payp", order.id, 250))
    assert await points.balance(client.id) == 0
    clock.advance(timedelta(hours=services.rules.payments.link_lifetime_hours, minutes=10))
    await JobRunner(services.jobs, "t").drain()
    returned = await PointsEntry.filter(kind=PointsKind.RETURN).order_by("expires_at")
    # back as they were spent: 150 expiring with the first lot, 100 with the second
    assert [(e.points, e.expires_at) for e in returned] == [
        (150, first.expires_at),
        (100, second.expires_at),
    ]
    assert [(lot.left, lot.expires_at) for lot in await points.lots(client.id)] == [
        (150, first.expires_at),
        (100, second.expires_at),
    ]
    await JobRunner(services.jobs, "t").drain()  # the release again: nothing more
    assert await points.balance(client.id) == 250

    # when the first lot's date comes, only its part lapses
    clock.set(first.expires_at + timedelta(minutes=1))
    await JobRunner(services.jobs, "t").drain()
    assert await points.balance(client.id) == 100


async def test_a_refund_takes_back_money_points_and_the_commission(
    services: Services, web: TestClient, chat: RecordingChat, router: Router
) -> None:
    manager, _ = await make_staff(Role.MANAGER, "mgr")
    client = await register(chat)
    order = await paid_order(services, web, client.id, 300_000, manager=manager)
    assert await CommissionEntry.filter(staff_id=manager.id).count() == 1
    assert (await CommissionEntry.get(staff_id=manager.id)).amount == 6_000  # 2 % of 3,000.00
    desk = chat_for(services, router, "mgr")
    await desk.say(f"/order {order.number}")
    await desk.press("Change status")
    await desk.press("cancelled")
    await desk.press("Cancel, refund")
    order = await Order.get(id=order.id)
    assert order.status is OrderStatus.CANCELLED

    assert await ledger.balance(client.id, "UAH") == 0  # the money went back to the card
    assert await points.balance(client.id) == 0
    taken = await PointsEntry.filter(kind=PointsKind.REVERSE).values_list("points", flat=True)
    assert sum(taken) == -150
    commissions = await CommissionEntry.filter(staff_id=manager.id).values_list("amount", flat=True)
    assert sorted(commissions) == [-6_000, 6_000]


async def test_a_cancellation_keeping_the_money_on_the_balance_takes_back_the_commission(
    services: Services, web: TestClient, chat: RecordingChat, router: Router
) -> None:
    manager, _ = await make_staff(Role.MANAGER, "mgr")
    client = await register(chat)
    order = await paid_order(services, web, client.id, 300_000, manager=manager)
    assert (await CommissionEntry.get(staff_id=manager.id)).amount == 6_000
    desk = chat_for(services, router, "mgr")
    await desk.say(f"/order {order.number}")
    await desk.press("Change status")
    await desk.press("cancelled")
    await desk.press("Cancel, keep")
    order = await Order.get(id=order.id)
    assert order.status is OrderStatus.CANCELLED and order.paid == 0
    assert await ledger.balance(client.id, "UAH") == 300_000  # the client's, not the agency's
    # the agency kept nothing of the order's money: nothing of its commission stays, once
    back = await CommissionEntry.get(reference=f"commission:cancel:order:{order.id}")
    assert back.amount == -6_000 and back.staff_id == manager.id
    assert await commissions.total(manager.id, "UAH") == 0
    assert await commissions.on_cancel(services, order, 300_000) is None  # run again: nothing
    lines = await commissions.report(services, commissions.month_of(services, services.clock.now()))
    assert [(line.accrued, line.reversed, line.net) for line in lines] == [(6_000, -6_000, 0)]


async def test_a_cancellation_fee_the_agency_keeps_keeps_its_share_of_the_commission(
    services: Services, web: TestClient
) -> None:
    manager, _ = await make_staff(Role.MANAGER, "mgr")
    client = await make_client()
    order = await paid_order(services, web, client.id, 300_000, manager=manager)
    # UAH 600.00 of the UAH 3,000.00 stays on the order as the agency's fee, the rest left it
    order.paid = 60_000
    back = await commissions.on_cancel(services, order, 240_000)
    assert back is not None and back.amount == -4_800  # 6,000 x 2,400 / 3,000
    assert await commissions.total(manager.id, "UAH") == 1_200
    assert await commissions.on_cancel(services, order, 240_000) is None


async def test_points_spent_on_a_cancelled_order_come_back_as_points_not_money(
    services: Services, web: TestClient, chat: RecordingChat, router: Router
) -> None:
    await make_staff(Role.MANAGER, "mgr")
    client = await register(chat)
    await paid_order(services, web, client.id, 300_000)
    order = await make_order(client, price=100_000)
    await chat.press_payload(encode("payp", order.id, 150))
    await pay(services, web, await PaymentIntent.get(order_id=order.id))
    desk = chat_for(services, router, "mgr")
    await desk.say(f"/order {order.number}")
    await desk.press("Change status")
    await desk.press("cancelled")
    await desk.press("Cancel, keep")

    assert await ledger.balance(client.id, "UAH") == 85_000  # the card money only
    assert await points.balance(client.id) == 150  # the points, back as points


async def test_a_duplicated_callback_accrues_the_commission_once_on_the_margin(
    services: Services, web: TestClient, router: Router
) -> None:
    manager, _ = await make_staff(Role.MANAGER, "mgr")
    client = await make_client(user_id="u9")
    order = await make_order(client, price=200_000, manager=manager)
    await make_staff(Role.ADMIN, "boss")
    desk = chat_for(services, router, "boss")
    await desk.say(f"/netprice {order.number} 1500")
    assert "Net price of T-0001: UAH\xa01,500.00" in desk.text
    await desk.say(f"/order {order.number}")
    assert "Operator's net price: UAH\xa01,500.00" in desk.text
    await desk.say(f"/netprice {order.number} 2500")
    assert "not above its price" in desk.text
    intent = await create_order_intent(services, order, provider="sandbox")
    await pay(services, web, intent, twice=True)
    [entry] = await CommissionEntry.filter(staff_id=manager.id)
    # 10 % of the margin the payment brought: (2,000.00 - 1,500.00) = 500.00 -> 50.00
    assert (entry.amount, entry.basis, entry.base) == (5_000, "margin", 50_000)
    assert await PointsEntry.filter(reference=f"accrue:order:{order.id}").count() == 1

    mine = chat_for(services, router, "mgr")
    await mine.say("/commission")
    assert "Commission for 2026-11" in mine.text and "+UAH\xa050.00" in mine.text
    assert "Total: UAH\xa050.00" in mine.text
    await desk.say("/commission")
    assert f"• {manager.name}: UAH\xa050.00" in desk.text


async def test_a_referral_pays_both_once_and_cannot_be_self_or_relinked(
    services: Services, web: TestClient, chat: RecordingChat, router: Router
) -> None:
    inviter = await register(chat)
    code = await referrals.code_of(inviter)
    await chat.start(f"r_{code}")
    assert "This is your own invite link" in chat.text

    friend_chat = RecordingChat(services, router, user_id="friend")
    await friend_chat.start(f"r_{code}")  # before the friend is known: remembered
    friend = await register(friend_chat, "+380501112233")
    await friend_chat.say("/menu")
    referral = await Referral.get(friend_id=friend.id)
    assert referral.inviter_id == inviter.id

    other = await make_client(user_id="other")
    other_code = await referrals.code_of(other)
    await friend_chat.start(f"r_{other_code}")
    assert "already recorded" in friend_chat.text
    assert (await Referral.get(friend_id=friend.id)).inviter_id == inviter.id

    await paid_order(services, web, friend.id, 100_000)
    await paid_order(services, web, friend.id, 100_000)
    bonuses = await PointsEntry.filter(kind=PointsKind.REFERRAL).order_by("id")
    assert [(b.client_id, b.points) for b in bonuses] == [(friend.id, 100), (inviter.id, 100)]


async def test_expiry_reminder_is_sent_once_thirty_days_before(
    services: Services, web: TestClient, chat: RecordingChat, clock: ManualClock
) -> None:
    client = await register(chat)
    await paid_order(services, web, client.id, 300_000)
    lot = await PointsEntry.get(kind=PointsKind.ACCRUE)
    assert lot.expires_at is not None
    clock.set(lot.expires_at - timedelta(days=29))
    await JobRunner(services.jobs, "t").drain()
    await JobRunner(services.jobs, "t").drain()
    reminders = [t for t in await texts(client_id=client.id) if "expire soon" in t]
    assert len(reminders) == 1 and "Your bonus points expire soon: 150 points on" in reminders[0]
    clock.set(lot.expires_at + timedelta(minutes=1))
    await JobRunner(services.jobs, "t").drain()
    assert await points.balance(client.id) == 0
    assert (await PointsEntry.get(kind=PointsKind.EXPIRE)).points == -150


async def test_tiers_raise_the_rate_from_a_total_spent(
    services: Services, web: TestClient, chat: RecordingChat
) -> None:
    services.rules = services.rules.model_copy(
        update={
            "loyalty": LOYALTY.model_copy(
                update={"tiers": (LoyaltyTier(spent=200_000, percent=10),)}
            )
        }
    )
    client = await register(chat)
    first = await paid_order(services, web, client.id, 300_000)
    second = await paid_order(services, web, client.id, 100_000)
    assert (await PointsEntry.get(reference=f"accrue:order:{first.id}")).points == 150  # 5 %
    assert (await PointsEntry.get(reference=f"accrue:order:{second.id}")).points == 100  # 10 %


async def test_staff_adjust_points_with_a_reason_and_it_is_audited(
    services: Services, router: Router
) -> None:
    client = await make_client(user_id="u5")
    await make_staff(Role.MANAGER, "mgr")
    desk = chat_for(services, router, "mgr")
    await desk.press_payload(encode("scc", client.id))
    await desk.press("Bonus points")
    await desk.say("abc")
    assert "whole number of points" in desk.text
    await desk.say("-5")
    await desk.say("too many")
    assert "Change the client's points by -5?" in desk.text
    await desk.press("Confirm")
    assert "does not have that many points" in desk.text
    await desk.press_payload(encode("spa", client.id))
    await desk.say("200")
    await desk.say("apology for the delay")
    await desk.press("Confirm")
    assert "Points changed by 200" in desk.text and "bonus points: 200" in desk.text
    audit = await AuditEntry.get(action="points-adjust")
    assert audit.details["reason"] == "apology for the delay"


async def test_an_admin_sets_a_managers_rule(services: Services, router: Router) -> None:
    manager, _ = await make_staff(Role.MANAGER, "mgr", name="Ivan")
    await make_staff(Role.ADMIN, "boss")
    desk = chat_for(services, router, "boss")
    await desk.say(f"/commissionrule {manager.id} 3.5")
    assert f"Rule for #{manager.id}: 3.5% of payments, 0% of margin" in desk.text
    await desk.say(f"/commissionrule {manager.id} 300")
    assert "from 0 to 100" in desk.text
    await desk.say("/commissionrule 99999 3")
    assert "no manager or admin with that number" in desk.text


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ('[loyalty]\naccrue_on = "later"', "loyalty.accrue_on: String should match pattern"),
        ("[loyalty]\nspend_cap_percent = 120", "loyalty.spend_cap_percent:"),
        ("[loyalty]\npoint_value = 0", "loyalty.point_value:"),
        (
            "[loyalty]\ntiers = [{ spent = 500, percent = 5 }, { spent = 100, percent = 3 }]",
            "loyalty.tiers: tiers must have distinct thresholds in ascending order",
        ),
        ("[loyalty]\nbonus = 5", "loyalty.bonus: Extra inputs are not permitted"),
        ("[commissions]\npaid_percent = -1", "commissions.paid_percent:"),
    ],
)
def test_bad_rules_stop_start_up_with_one_line(tmp_path: Path, toml: str, problem: str) -> None:
    path = tmp_path / "tourdesk.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert problem in message and "\n" not in message


async def test_admins_get_the_monthly_report_on_the_first(
    services: Services, web: TestClient, clock: ManualClock, router: Router
) -> None:
    manager, _ = await make_staff(Role.MANAGER, "mgr", name="Ivan")
    admin, _ = await make_staff(Role.ADMIN, "boss", name="Boss")
    client = await make_client(user_id="u7")
    await paid_order(services, web, client.id, 300_000, manager=manager)
    await paid_order(services, web, client.id, 100_000, manager=manager)
    job = await Job.get(dedupe_key="commissions:report:2026-11")
    assert job.run_at == datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # 09:00 in Kyiv
    clock.set(job.run_at + timedelta(minutes=1))
    await JobRunner(services.jobs, "t").drain()
    [report] = await texts(staff_id=admin.id)
    assert "Commissions per manager, 2026-11" in report
    assert (
        "• Ivan: UAH\xa080.00 (accrued UAH\xa080.00, refunded UAH\xa00.00, payments: 2)" in report
    )
    assert all("Commissions per manager" not in t for t in await texts(staff_id=manager.id))
    assert await Job.exists(dedupe_key="commissions:report:2026-12")  # the next one, planned


async def test_the_same_callback_many_times_at_once_counts_once(
    services: Services, web: TestClient
) -> None:
    """Five copies of one success callback race (on PostgreSQL: truly in parallel): one
    payment, one accrual, one commission, one referral bonus."""
    manager, _ = await make_staff(Role.MANAGER, "mgr")
    inviter = await make_client(user_id="inv")
    friend = await make_client(user_id="fr")
    await referrals.attach(services, friend, await referrals.code_of(inviter))
    order = await make_order(friend, price=200_000, manager=manager)
    intent = await create_order_intent(services, order, provider="sandbox")
    sandbox = payment_providers(services).sandbox
    assert sandbox is not None
    await sandbox.ready()
    sandbox.record(intent.reference, intent.amount, intent.currency, "pay")
    body = sandbox_body(sandbox.secret, sandbox_payload(intent, "2000.00"))
    statuses = await asyncio.gather(*(callback_status(web, "sandbox", body) for _ in range(5)))
    assert set(statuses) == {200}
    assert (await Order.get(id=order.id)).paid == 200_000
    await JobRunner(services.jobs, "test").drain()  # grouped (PostgreSQL): follow-ups by job
    assert await CommissionEntry.filter(order_id=order.id).count() == 1
    assert await points.balance(friend.id) == 100 + 100  # 5 % of 2,000.00 and the bonus
    assert await points.balance(inviter.id) == 100


async def test_points_can_accrue_when_the_order_is_completed(
    services: Services, web: TestClient
) -> None:
    services.rules = services.rules.model_copy(
        update={"loyalty": LOYALTY.model_copy(update={"accrue_on": "completed"})}
    )
    admin, _ = await make_staff(Role.ADMIN, "boss")
    client = await make_client(user_id="u3")
    order = await paid_order(services, web, client.id, 300_000)
    assert await points.balance(client.id) == 0  # paid, not yet travelled
    await change_status(services, admin, order.id, OrderStatus.COMPLETED)
    await hooks.on_completed(services, order.id)  # a second call (a retry) earns nothing more
    assert await points.balance(client.id) == 150
    assert await PointsEntry.filter(reference=f"accrue:order:{order.id}").count() == 1
