"""Erasure as the books and a privacy auditor see it: after erasing a client who used Telegram
and Viber, paid through LiqPay and WayForPay, talked to a manager, left a review and a tour
request, no text, JSON or date column of ANY table (nor a Redis key) holds their name, phone,
e-mail or birthday, while the ledger and the orders add up exactly as before."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections import defaultdict
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

import pytest
from tortoise import Tortoise, fields
from tortoise.functions import Sum

from core import erasure
from core.audit import audit
from core.contract import Address
from core.errors import Forbidden, InvalidInput
from core.payments.intents import create_order_intent, create_topup_intent
from core.payments.processing import receive_callback
from core.relay import Message, relay_to_staff
from core.services import Services
from core.settings import Settings
from core.state import State
from storage.models import (
    AuditEntry,
    Client,
    FollowUp,
    IntentStatus,
    LedgerEntry,
    MessengerAccount,
    Order,
    OrderStatus,
    OutboxMessage,
    OutboxStatus,
    PaymentIntent,
    PhoneClaim,
    Role,
    Staff,
    TourRequest,
)
from tests.support.channels import Channel
from tests.support.factories import make_staff
from tests.support.payments import configure, liqpay_body, liqpay_payload, offline, wfp_body

PHONE = "+380979876543"
EMAIL = "zoryana.kv@example.com"
BIRTHDAY = date(1988, 4, 17)
# What must not survive anywhere (compared case-insensitively).
PERSONAL = (
    "Zoryana",
    "Kvitkovska",
    "979876543",  # the phone in any spelling that keeps its digits together
    "097 987 65 43",
    EMAIL,
    "1988-04-17",
    "17.04.1988",
)
OTHER = ("Taras", "Shevchuk", "501112233")  # another client's data: must stay


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return configure(settings)


@pytest.fixture
def services(services: Services) -> Services:
    return offline(services)


# ---- the scan -------------------------------------------------------------------------------


def readable(value: Any) -> str:
    """A stored value as text a person could read, with LiqPay's base64 ``data`` opened."""
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    extra = []
    if isinstance(value, str) and "data=" in value:
        for key, part in parse_qsl(value):
            if key == "data":
                with contextlib.suppress(ValueError):
                    extra.append(base64.b64decode(part).decode("utf-8", "replace"))
    return " ".join([text, *extra])


SCANNED = (fields.CharField, fields.TextField, fields.JSONField, fields.DateField)


async def scan(services: Services, needles: tuple[str, ...]) -> dict[str, set[str]]:
    """Every char/text/JSON/date column of every model, and every Redis key of this test:
    which of ``needles`` each holds."""
    found: dict[str, set[str]] = defaultdict(set)
    for model in Tortoise.apps["models"].values():
        columns = [
            name
            for name, field in model._meta.fields_map.items()
            if isinstance(field, SCANNED) and not field.pk
        ]
        if not columns:
            continue
        for row in await model.all().values(*columns):
            for column, value in row.items():
                if value is None:
                    continue
                text = readable(value).lower()
                for needle in needles:
                    if needle.lower() in text:
                        found[f"{model._meta.db_table}.{column}"].add(needle)
    if services.redis is not None:
        prefix = services.settings.redis.redis_prefix
        async for key in services.redis.scan_iter(match=f"{prefix}*"):
            raw = await services.redis.get(key)
            text = (raw.decode() if isinstance(raw, bytes) else str(raw or "")).lower()
            for needle in needles:
                if needle.lower() in text:
                    found[f"redis:{key!r}"].add(needle)
    return dict(found)


async def books() -> tuple[dict[tuple[int, str], int], list[tuple[str, int, int, int, str]]]:
    rows = (
        await LedgerEntry.all()
        .annotate(total=Sum("amount"))
        .group_by("client_id", "currency")
        .values("client_id", "currency", "total")
    )
    sums = {(int(r["client_id"]), str(r["currency"])): int(r["total"] or 0) for r in rows}
    orders = [
        (o.number, o.client_id, o.price, o.paid, o.currency)
        for o in await Order.all().order_by("id")
    ]
    return sums, orders


# ---- the world ------------------------------------------------------------------------------


async def seed(services: Services) -> tuple[Client, Client, Staff, Staff]:
    admin, _ = await make_staff(Role.ADMIN, "admin-1", name="Anna Admin")
    manager, _ = await make_staff(Role.MANAGER, "manager-1", name="Ivan Manager")
    client = await Client.create(
        phone=PHONE,
        first_name="Zoryana",
        last_name="Kvitkovska",
        birthday=BIRTHDAY,
        gender="f",
        locale="uk",
        marketing_consent=True,
        card_number="TD-0000-4242",
        lead_source="instagram",
        manager=manager,
    )
    telegram = await MessengerAccount.create(
        channel="telegram", external_id="tg-777", name="Zoryana K", client=client, language="uk"
    )
    viber = await MessengerAccount.create(
        channel="viber", external_id="vb-Zk0==", name="Zoryana Kvitkovska", client=client
    )
    other = await Client.create(phone="+380501112233", first_name="Taras", last_name="Shevchuk")
    taras = await MessengerAccount.create(channel="telegram", external_id="tg-taras", client=other)
    # someone (here: Taras's account) once claimed her number: the claim holds the phone
    await PhoneClaim.create(account=taras, claimant=other, target=client, phone=PHONE)

    # two orders paid in full through the providers, with the payer's identity in the payloads
    crete = await Order.create(
        number="T-0001", client=client, manager=manager, destination="Crete",
        price=1_500_00, currency="UAH", review_rating=5,
        review_comment="Great trip, thanks! Zoryana Kvitkovska, 097 987 65 43",
    )  # fmt: skip
    paris = await Order.create(
        number="T-0002", client=client, destination="Paris", price=800_00, currency="EUR"
    )
    intent = await create_order_intent(services, crete, provider="liqpay")
    payload = liqpay_payload(intent.reference, "1500") | {
        "sender_first_name": "Zoryana",
        "sender_last_name": "Kvitkovska",
        "sender_phone": PHONE.lstrip("+"),
    }
    assert (await receive_callback(services, "liqpay", liqpay_body(payload), {})).status == 200
    intent = await create_order_intent(services, paris, provider="wayforpay")
    body = wfp_body(intent.reference, "800", currency="EUR").replace(
        b"client@example.com", EMAIL.encode()
    )
    body = body.replace(b"380501234567", PHONE.lstrip("+").encode())
    assert (await receive_callback(services, "wayforpay", body, {})).status == 200
    assert (await Order.get(id=crete.id)).status is OrderStatus.PAID
    assert (await Order.get(id=paris.id)).status is OrderStatus.PAID

    # the other client's money and words
    other_order = await Order.create(
        number="T-0003", client=other, destination="Lviv", price=300_00, currency="UAH",
        review_comment="Taras liked it",
    )  # fmt: skip
    intent = await create_order_intent(services, other_order, provider="liqpay")
    body = liqpay_body(liqpay_payload(intent.reference, "300", payment_id=2000002))
    assert (await receive_callback(services, "liqpay", body, {})).status == 200

    # messages: relayed both ways, a request, a follow-up, state, audit
    await relay_to_staff(
        services, client, telegram, Message(f"Hello, it is Zoryana, call me on {PHONE}")
    )
    await services.outbox.record_inbound(viber, f"My e-mail is {EMAIL}")
    await TourRequest.create(
        number="R-0001", client=client, destination="Egypt", children_ages=[7],
        wishes=f"Sea view. Birthday trip (17.04.1988), write to {EMAIL}",
    )  # fmt: skip
    await FollowUp.create(
        staff=manager, client=client, due_at=services.clock.now(), note="Call Zoryana re visa"
    )
    await services.states.save(
        Address(Channel.TELEGRAM, "tg-777"),
        State("tour.wishes", {"wishes": f"ring {PHONE}", "_locale": "uk"}),
    )
    await services.states.save(Address(Channel.VIBER, "vb-Zk0=="), State("settings"))
    await audit(manager, "staff.find", details={"query": "Kvitkovska", "found": 1})
    await audit(manager, "phone-changed", subject=f"client:{client.id}",
                details={"old": "+380971112233", "new": PHONE})  # fmt: skip
    return client, other, admin, manager


# ---- tests ----------------------------------------------------------------------------------


async def test_nothing_personal_remains_anywhere_and_the_books_are_unchanged(
    services: Services,
) -> None:
    client, _, admin, _ = await seed(services)
    before = await scan(services, PERSONAL)
    # the scan sees the data where a careless erasure would leave it
    for table in (
        "clients.first_name", "clients.phone", "clients.birthday", "messenger_accounts.name",
        "outbox.body", "provider_events.body", "tour_requests.wishes", "orders.review_comment",
        "follow_ups.note", "audit_log.details",
    ):  # fmt: skip
        assert table in before, table
    assert any(k.startswith(("conversation_states", "redis:")) for k in before)
    books_before = await books()
    others_before = await scan(services, OTHER)

    done = await erasure.erase(services, client.id, by=admin)

    assert (done.already, done.forced, done.unlinked, done.told) == (False, False, 2, 2)
    assert await scan(services, PERSONAL) == {}
    assert await books() == books_before  # every ledger sum and order amount as it was
    assert await scan(services, OTHER) == others_before  # nobody else lost anything

    erased = await Client.get(id=client.id)
    assert erased.first_name == f"Erased client #{client.id}" and erased.erased_at is not None
    assert erased.marketing_consent is False and erased.card_number is None
    assert await Order.filter(client_id=client.id).count() == 2  # still there, anonymised
    assert await MessengerAccount.filter(client_id=client.id).count() == 0
    # told, in Ukrainian, on both messengers, before the accounts were unlinked
    farewells = await OutboxMessage.filter(kind="erasure-done").order_by("channel")
    assert [(f.channel, f.external_id) for f in farewells] == [
        ("telegram", "tg-777"),
        ("viber", "vb-Zk0=="),
    ]
    assert all("Ваші персональні дані видалено" in f.body["text"] for f in farewells)
    assert all(f.status is OutboxStatus.PENDING for f in farewells)
    # nothing wiped is still waiting to be sent (an empty message, or the old text)
    waiting = await OutboxMessage.filter(status=OutboxStatus.PENDING).exclude(kind="erasure-done")
    assert all(m.body.get("text") for m in waiting)
    assert {m.status for m in await OutboxMessage.filter(kind="relay")} == {OutboxStatus.CANCELLED}
    state = await services.states.load(Address(Channel.TELEGRAM, "tg-777"))
    assert (state.name, state.data) == (None, {})
    # audited: who and why, without the personal data
    (entry,) = await AuditEntry.filter(action="client.erased")
    assert entry.staff_id == admin.id and entry.subject == f"client:{client.id}"
    assert entry.details["forced"] is False and entry.details["accounts_unlinked"] == 2


async def test_erasing_twice_is_harmless(services: Services) -> None:
    client, _, admin, _ = await seed(services)
    await erasure.erase(services, client.id, by=admin)
    snapshot = await scan(services, (f"Erased client #{client.id}",))
    outbox = await OutboxMessage.all().count()

    again = await erasure.erase(services, client.id, by=None)

    assert again.already
    assert await AuditEntry.filter(action="client.erased").count() == 1
    assert await OutboxMessage.all().count() == outbox  # no second farewell
    assert await scan(services, (f"Erased client #{client.id}",)) == snapshot


async def test_open_money_refuses_until_an_admin_forces_it_with_a_reason(
    services: Services,
) -> None:
    client, _, admin, manager = await seed(services)
    # money in play: a top-up on the balance, an order not paid, a link that can still be paid
    topup = await create_topup_intent(services, client, 200_00, currency="UAH", provider="liqpay")
    body = liqpay_body(liqpay_payload(topup.reference, "200", payment_id=3000003))
    assert (await receive_callback(services, "liqpay", body, {})).status == 200
    unpaid = await Order.create(
        number="T-0009", client=client, destination="Rome", price=900_00, currency="EUR"
    )
    link = await create_order_intent(services, unpaid, provider="liqpay")
    books_before = await books()

    with pytest.raises(erasure.OpenMoney) as refused:
        await erasure.erase(services, client.id, by=admin)
    summary = refused.value.summary
    assert summary.balances == {"UAH": 200_00}
    assert summary.orders == (("T-0009", 900_00, 0, "EUR"),)
    assert summary.pending_payments == 1
    t = services.translator("en")
    assert "• balance" in summary.lines(t)[0] and "200.00" in summary.lines(t)[0]
    assert (await Client.get(id=client.id)).first_name == "Zoryana"  # nothing changed
    assert await MessengerAccount.filter(client_id=client.id).count() == 2
    assert not await AuditEntry.exists(action="client.erased")

    with pytest.raises(InvalidInput):  # forcing needs a reason
        await erasure.erase(services, client.id, by=admin, force=True, reason="  ")
    with pytest.raises(Forbidden):  # only admins erase
        await erasure.erase(services, client.id, by=manager, force=True, reason="asked")

    done = await erasure.erase(
        services, client.id, by=admin, force=True, reason="Court order 12/3; Zoryana Kvitkovska"
    )

    assert done.forced
    assert await scan(services, PERSONAL) == {}
    assert await books() == books_before
    assert (await PaymentIntent.get(id=link.id)).status is IntentStatus.CANCELLED
    (entry,) = await AuditEntry.filter(action="client.erased")
    assert entry.details["forced"] is True
    assert entry.details["reason"] == "Court order 12/3; [erased]"
    assert entry.details["open_money"]["balances"] == {"UAH": 200_00}


async def test_two_admins_erasing_at_once_erase_once(services: Services) -> None:
    client, _, admin, _ = await seed(services)
    other_admin, _ = await make_staff(Role.ADMIN, "admin-2", name="Olha Admin")

    results = await asyncio.gather(
        erasure.erase(services, client.id, by=admin),
        erasure.erase(services, client.id, by=other_admin),
    )

    assert sorted(r.already for r in results) == [False, True]
    assert await AuditEntry.filter(action="client.erased").count() == 1
    assert await OutboxMessage.filter(kind="erasure-done").count() == 2  # one per messenger
    assert await scan(services, PERSONAL) == {}
