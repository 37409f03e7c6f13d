"""Staff actions end to end through the recording chat: new orders, statuses, payment links,
follow-ups, balance adjustments — and what the client is told."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.clock import ManualClock
from core.contract import LinkButton
from core.delivery import reply_from_json
from core.jobs import JobRunner
from core.services import Services
from handlers.router import Router
from storage.models import (
    AuditEntry,
    Client,
    FollowUp,
    Job,
    LedgerEntry,
    Order,
    OrderStatus,
    OutboxMessage,
    PaymentIntent,
    Role,
)
from tests.support.channels import Channel
from tests.support.chat import chat_for
from tests.support.factories import make_client, make_order, make_staff


async def client_messages(client: Client) -> list[OutboxMessage]:
    return list(await OutboxMessage.filter(client_id=client.id, direction="out").order_by("id"))


async def test_create_order_wizard_tells_the_client(services: Services, router: Router) -> None:
    manager, _ = await make_staff(Role.MANAGER, "mgr", name="Marta")
    client = await make_client(
        "+380671234567",
        "Olena",
        "Petrenko",
        user_id="vb-olena",
        channel=Channel.VIBER,
        locale="uk",
    )
    chat = chat_for(services, router, "mgr")
    await chat.press_payload("1|sno|start")
    assert "client's phone" in chat.text
    await chat.say("12345")
    assert "does not look like a phone number" in chat.text
    await chat.say("067 123 45 67")
    assert "Olena Petrenko, +380671234567" in chat.text
    assert "Where to?" in chat.text
    await chat.say("Turkey, Antalya")
    await chat.say("01.01.2026")
    assert "in the past" in chat.text
    await chat.say("12.06.2027 - 05.06.2027")
    assert "before the departure" in chat.text
    await chat.say("12.06.2027 - 19.06.2027")
    await chat.say("twelve hundred")
    assert "1200 EUR" in chat.text  # the hint, and the same question again
    await chat.press("Back")
    assert "Dates:" in chat.text
    await chat.say("12.06.27-19.06.27")
    await chat.say("1 200 EUR")
    await chat.say("20.06.2027")
    assert "must not be after the departure" in chat.text
    await chat.say("01.06.2027")
    await chat.press("50%")
    assert "Turkey, Antalya" in chat.text and "€1,200.00" in chat.text
    await chat.press("Create the order")
    assert "is created and the client has been told" in chat.text

    order = await Order.get(client_id=client.id)
    assert (order.price, order.currency, order.prepayment_percent) == (120000, "EUR", 50)
    assert (order.departure_date, order.return_date) == (date(2027, 6, 12), date(2027, 6, 19))
    assert order.due_date == date(2027, 6, 1)
    assert order.status is OrderStatus.BOOKED and order.manager_id == manager.id
    assert (await Client.get(id=client.id)).manager_id == manager.id
    [told] = await client_messages(client)
    assert told.channel == "viber" and told.external_id == "vb-olena"
    body = reply_from_json(told.body)
    assert order.number in body.text and "Для вас заброньовано подорож" in body.text
    assert "Менеджер: " in body.text and "забронював" not in body.text
    assert any(b.label.startswith("🧳") for b in body.all_buttons())
    assert await AuditEntry.exists(
        staff_id=manager.id, action="staff.order.create", subject=f"order:{order.number}"
    )
    await chat.press_payload("1|sno|create")  # the old button again: nothing more
    assert "out of date" in chat.text
    assert await Order.filter(client_id=client.id).count() == 1


async def test_an_order_for_a_new_phone_creates_the_client(
    services: Services, router: Router
) -> None:
    await make_staff(Role.ADMIN, "adm")
    chat = chat_for(services, router, "adm")
    await chat.say("/neworder")
    await chat.say("+48 601 234 567")
    assert "new client record" in chat.text
    for answer in ("Spain", "10.07.2027", "30000"):
        await chat.say(answer)
    await chat.press("No due date")
    await chat.press("30%")
    await chat.press("Create the order")
    assert "has no messenger we can write to yet" in chat.text
    client = await Client.get(phone="+48601234567")
    order = await Order.get(client_id=client.id)
    assert order.due_date is None and order.price == 3_000_000 and order.currency == "UAH"
    assert await OutboxMessage.filter(client_id=client.id).count() == 0


async def test_status_changes_tell_the_client_where_it_matters(
    services: Services, router: Router
) -> None:
    await make_staff(Role.MANAGER, "mgr")
    client = await make_client("+380671234567", "Olena", user_id="olena")
    order = await make_order(client, "T-0007")
    chat = chat_for(services, router, "mgr")
    await chat.say("/order t7")
    assert "Order T-0007" in chat.text
    await chat.press("Change status")
    assert chat.labels() == ["confirmed", "cancelled", "◀️ Back to the order"]
    await chat.press("confirmed")
    assert "The client has been told" in chat.text
    await chat.press("Change status")
    await chat.press("cancelled")
    assert "Nothing has been paid for it" in chat.text  # a confirmation first
    await chat.press("Yes, cancel the order")
    await chat.press("Change status")
    await chat.press("booked")  # reopening is not announced
    assert "The client has been told" not in chat.text
    assert (await Order.get(id=order.id)).status is OrderStatus.BOOKED
    texts = [reply_from_json(m.body).text for m in await client_messages(client)]
    assert len(texts) == 2
    assert "is confirmed" in texts[0] and "has been cancelled" in texts[1]
    moves = await AuditEntry.filter(action="staff.order.status").order_by("id")
    assert [(e.details["from"], e.details["to"]) for e in moves] == [
        ("booked", "confirmed"),
        ("confirmed", "cancelled"),
        ("cancelled", "booked"),
    ]
    await chat.press_payload(f"1|sst|{order.id}|completed")  # not allowed from booked
    assert "cannot be moved" in chat.text


async def test_payment_links_for_the_rest_the_prepayment_and_an_amount(
    services: Services, router: Router
) -> None:
    services.settings.payments.sandbox = True
    await make_staff(Role.ACCOUNTANT, "acc")
    client = await make_client("+380671234567", "Olena", user_id="olena")
    order = await make_order(client, "T-0001", price=1_000_000, paid=100_000)
    chat = chat_for(services, router, "acc")
    await chat.press_payload(f"1|soc|{order.id}")
    assert "Prepayment: 30%" in chat.text
    await chat.press("Link for the prepayment")
    assert "has been sent to the client" in chat.text
    await chat.press_payload(f"1|soc|{order.id}")
    await chat.press("Link for the rest")
    await chat.press_payload(f"1|soc|{order.id}")
    await chat.press("Link for the rest")
    assert "already has this link" in chat.text
    await chat.press_payload(f"1|soc|{order.id}")
    await chat.press("another amount")
    await chat.say("20000")
    assert "more than is left" in chat.text
    await chat.say("1500,50")
    amounts = (
        await PaymentIntent.filter(order_id=order.id)
        .order_by("id")
        .values_list("amount", flat=True)
    )
    assert amounts == [200_000, 900_000, 150_050]
    sent = await client_messages(client)
    assert len(sent) == 3
    links = [b for m in sent for b in reply_from_json(m.body).all_buttons()]
    tokens = (
        await PaymentIntent.filter(order_id=order.id).order_by("id").values_list("token", flat=True)
    )
    assert [b.url for b in links if isinstance(b, LinkButton)] == [
        f"http://127.0.0.1:8080/pay/{t}" for t in tokens
    ]
    assert await AuditEntry.filter(action="staff.order.pay-link").count() == 4


async def test_a_link_for_an_unreachable_client_is_shown_to_staff(
    services: Services, router: Router
) -> None:
    services.settings.payments.sandbox = True
    await make_staff(Role.MANAGER, "mgr")
    client = await make_client("+380671234567", "Olena")  # no messenger account
    order = await make_order(client, "T-0001")
    chat = chat_for(services, router, "mgr")
    await chat.press_payload(f"1|spl|{order.id}|rest")
    intent = await PaymentIntent.get(order_id=order.id)
    assert "cannot be reached" in chat.text and intent.token in chat.text


async def test_a_follow_up_reminds_its_planner_at_the_agency_time(
    services: Services, router: Router, clock: ManualClock
) -> None:
    manager, account = await make_staff(Role.MANAGER, "mgr")
    client = await make_client("+380671234567", "Olena", "Petrenko")
    chat = chat_for(services, router, "mgr")
    await chat.press_payload(f"1|scc|{client.id}")
    await chat.press("Plan a follow-up")
    await chat.say("23.11.2026 11:00")  # Kyiv time: 09:00 UTC, already past
    assert "already passed" in chat.text
    await chat.say("24.11.2026 15:00")
    await chat.say("call about summer in Greece")
    assert "Follow-up planned for November 24, 2026, 3:00\u202fPM" in chat.text
    follow_up = await FollowUp.get(client_id=client.id)
    assert follow_up.due_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    assert follow_up.staff_id == manager.id
    job = await Job.get(dedupe_key=f"follow-up:{follow_up.id}")
    assert job.kind == "staff.follow_up" and job.payload == {"follow_up_id": follow_up.id}

    runner = JobRunner(services.jobs, "test")
    assert await runner.run_once() == 0  # not due yet
    clock.set(datetime(2026, 11, 24, 13, 0, 30, tzinfo=UTC))
    await runner.run_once()
    [reminder] = await OutboxMessage.filter(account_id=account.id, kind="follow-up")
    body = reply_from_json(reminder.body)
    assert "call about summer in Greece" in body.text and "Olena Petrenko" in body.text
    assert [b.label for b in body.all_buttons()] == ["✅ Done", "👤 Client card"]
    done = next(b for b in body.all_buttons() if b.label == "✅ Done")
    await chat.press_payload(done.payload)  # type: ignore[union-attr]
    assert "marked as done" in chat.text
    assert (await FollowUp.get(id=follow_up.id)).done_at is not None


async def test_a_follow_up_done_before_it_is_due_is_not_sent(
    services: Services, clock: ManualClock
) -> None:
    from core.staff import followups

    manager, _ = await make_staff(Role.MANAGER, "mgr")
    client = await make_client("+380671234567", "Olena")
    due = clock.now() + timedelta(hours=1)
    follow_up = await followups.plan(services, manager, client.id, due, "ring")
    await FollowUp.filter(id=follow_up.id).update(done_at=clock.now())  # done some other way
    clock.advance(timedelta(hours=2))
    await JobRunner(services.jobs, "test").run_once()
    assert not await OutboxMessage.filter(kind="follow-up").exists()


async def test_an_accountant_adjusts_a_balance_with_a_reason(
    services: Services, router: Router
) -> None:
    accountant, _ = await make_staff(Role.ACCOUNTANT, "acc")
    client = await make_client("+380671234567", "Olena")
    chat = chat_for(services, router, "acc")
    await chat.say("/find +380 67 123 4567")
    await chat.press("Adjust balance")
    await chat.say("abc")
    assert "price like" in chat.text
    await chat.say("+500")
    await chat.say("cash paid at the office")
    assert "Adjust the balance by UAH\xa0500.00?" in chat.text
    await chat.press("Confirm")
    assert "Balance adjusted by UAH\xa0500.00" in chat.text
    assert "Balance: UAH\xa0500.00" in chat.text
    await chat.press("Adjust balance")
    await chat.say("-600")
    await chat.say("mistake")
    await chat.press("Confirm")
    assert "below zero" in chat.text
    [entry] = await LedgerEntry.filter(client_id=client.id)
    assert (entry.amount, entry.staff_id, entry.reason) == (
        50_000,
        accountant.id,
        "cash paid at the office",
    )
    assert await AuditEntry.exists(staff_id=accountant.id, action="balance-adjust")


@pytest.mark.parametrize(
    ("role", "steps", "action"),
    [
        (Role.MANAGER, ["/orders"], "staff.orders.list"),
        (Role.MANAGER, ["/order T-0001"], "staff.order.view"),
        (Role.MANAGER, ["/order T-9999"], "staff.order.search"),
        (Role.MANAGER, ["/find Olena"], "staff.find"),
        (Role.MANAGER, ["/find Olena"], "staff.client.view"),
        (Role.MANAGER, ["/debtors"], "staff.debtors"),
        (Role.MANAGER, ["/today"], "staff.today"),
        (Role.MANAGER, ["/requests"], "staff.requests"),
        (Role.MANAGER, ["/myrequests"], "staff.requests"),
        (Role.MANAGER, ["press:sst|{order}|confirmed"], "staff.order.status"),
        (Role.MANAGER, ["press:spl|{order}|rest"], "staff.order.pay-link"),
        (Role.MANAGER, ["press:sfu|{client}", "01.12.2026 10:00", "x"], "staff.follow-up.plan"),
        (Role.ADMIN, ["/team"], "staff.team"),
        (Role.ADMIN, ["/audit"], "staff.audit.view"),
        (Role.ADMIN, ["/invite accountant Ira"], "staff.invite"),
        (Role.ADMIN, ["press:srv|{other}|yes"], "staff.revoke"),
        (
            Role.ACCOUNTANT,
            ["press:sba|{client}", "100", "fix", "press:sba|{client}|yes"],
            "balance-adjust",
        ),
        (Role.ACCOUNTANT, ["/team"], "staff.denied"),
    ],
)
async def test_every_staff_action_and_lookup_is_audited(
    services: Services, router: Router, role: Role, steps: list[str], action: str
) -> None:
    services.settings.payments.sandbox = True
    staff, _ = await make_staff(role, "me")
    other, _ = await make_staff(Role.MANAGER, "other")
    client = await make_client("+380671234567", "Olena", user_id="olena")
    order = await make_order(client, "T-0001")
    chat = chat_for(services, router, "me")
    for step in steps:
        step = step.format(order=order.id, client=client.id, other=other.id)
        if step.startswith("press:"):
            await chat.press_payload("1|" + step.removeprefix("press:"))
        else:
            await chat.say(step)
    entry = await AuditEntry.filter(staff_id=staff.id, action=action).first()
    assert entry is not None, chat.text
    assert entry.actor == f"staff:{staff.id}"
    if action.startswith("staff."):  # the desk stamps its entries with the services' clock
        assert entry.created_at == services.clock.now()
