"""Notifications to staff: the assigned manager, else all managers and admins, plus the staff
group chat; and the admins' alert about too many client lookups within an hour."""

from __future__ import annotations

from datetime import timedelta

from core.clock import ManualClock
from core.contract import Reply
from core.delivery import reply_from_json
from core.i18n import T
from core.notify import notify_client_staff, notify_order_staff
from core.rules import Delivery, Rules, StaffRules
from core.services import Services
from handlers.router import Router
from storage.models import AuditEntry, MessengerAccount, OutboxMessage, Role, Staff
from tests.support.chat import chat_for
from tests.support.factories import make_client, make_order, make_staff


def paid(t: T) -> Reply:
    return Reply(t("st-status-paid"))


async def recipients(kind: str) -> list[str]:
    return sorted(
        await OutboxMessage.filter(kind=kind).values_list("external_id", flat=True)  # type: ignore[arg-type]
    )


async def test_the_assigned_manager_alone_is_told(services: Services, router: Router) -> None:
    marta, _ = await make_staff(Role.MANAGER, "marta")
    await make_staff(Role.MANAGER, "oksana")
    await make_staff(Role.ADMIN, "boss")
    await make_staff(Role.ACCOUNTANT, "acc")
    client = await make_client("+380671234567", "Olena", manager=marta)
    order = await make_order(client, "T-0001")
    assert await notify_order_staff(services, order, paid, kind="t1", dedupe_key="t1") == 1
    assert await recipients("t1") == ["marta"]
    assert await notify_client_staff(services, client, paid, kind="t2", dedupe_key="t2") == 1
    assert await notify_order_staff(services, order, paid, kind="t1", dedupe_key="t1") == 0

    # the message carries buttons the staff desk understands: they open the cards
    [row] = await OutboxMessage.filter(kind="t1")
    body = reply_from_json(row.body)
    assert [b.label for b in body.all_buttons()] == ["🧾 Open order", "👤 Client card"]
    chat = chat_for(services, router, "marta")
    await chat.press_payload(body.all_buttons()[0].payload)  # type: ignore[union-attr]
    assert "Order T-0001" in chat.text
    await chat.press_payload(body.all_buttons()[1].payload)  # type: ignore[union-attr]
    assert "👤 Olena" in chat.text
    # a client who got hold of the button gets nothing of it
    olena_chat = chat_for(services, router, "olena")
    await olena_chat.press_payload(body.all_buttons()[0].payload)  # type: ignore[union-attr]
    assert "Order T-0001" not in olena_chat.text and "out of date" in olena_chat.text


async def test_order_manager_first_then_client_manager_then_everybody(
    services: Services,
) -> None:
    marta, _ = await make_staff(Role.MANAGER, "marta")
    oksana, oksana_account = await make_staff(Role.MANAGER, "oksana")
    await make_staff(Role.ADMIN, "boss")
    await make_staff(Role.ACCOUNTANT, "acc")
    await make_staff(Role.MANAGER, "gone", active=False)
    client = await make_client("+380671234567", "Olena", manager=marta)
    order = await make_order(client, "T-0001", manager=oksana)
    await notify_order_staff(services, order, paid, kind="a", dedupe_key="a")
    assert await recipients("a") == ["oksana"]

    oksana_account.blocked = True  # cannot be reached: the client's manager instead
    await oksana_account.save()
    await notify_order_staff(services, order, paid, kind="b", dedupe_key="b")
    assert await recipients("b") == ["marta"]

    await Staff.filter(id=marta.id).update(active=False)  # revoked: everybody who sells
    await notify_order_staff(services, order, paid, kind="c", dedupe_key="c")
    assert await recipients("c") == ["boss"]  # oksana is blocked, gone is revoked
    other = await make_client("+380501112233", "Oleh")
    await notify_client_staff(services, other, paid, kind="d", dedupe_key="d")
    assert await recipients("d") == ["boss"]
    assert await AuditEntry.exists(action="d", subject=f"client:{other.id}")


async def test_a_staff_group_chat_gets_a_copy(services: Services) -> None:
    services.rules = Rules(delivery=Delivery(staff_chat="telegram:-100200300"))
    marta, _ = await make_staff(Role.MANAGER, "marta")
    client = await make_client("+380671234567", "Olena", manager=marta)
    sent = await notify_client_staff(services, client, paid, kind="g", dedupe_key="g")
    assert sent == 2
    group = await OutboxMessage.get(kind="g", channel="telegram")
    assert group.external_id == "-100200300"
    assert reply_from_json(group.body).text == "оплачено"  # the agency's default language
    account = await MessengerAccount.get(channel="telegram", external_id="-100200300")
    assert account.staff_id is None and account.client_id is None


async def test_too_many_lookups_alert_the_admins_once_per_window(
    services: Services, router: Router, clock: ManualClock
) -> None:
    services.rules = Rules(staff=StaffRules(lookup_alert_threshold=3))
    await make_staff(Role.ADMIN, "boss")
    await make_staff(Role.ADMIN, "deputy")
    await make_staff(Role.MANAGER, "snoop", name="Snoop")
    clients = [await make_client(f"+38067123450{i}", f"C{i}") for i in range(9)]
    chat = chat_for(services, router, "snoop")

    async def look(index: int) -> None:
        await chat.press_payload(f"1|scc|{clients[index].id}")
        assert f"👤 C{index}" in chat.text
        clock.advance(timedelta(minutes=5))

    for i in (0, 1, 2, 0, 1, 2):  # three clients, again and again: not more than the threshold
        await look(i)
    assert await recipients("staff-lookup-alert") == []
    await look(3)  # the fourth within the hour
    alerts = await OutboxMessage.filter(kind="staff-lookup-alert")
    assert sorted(a.external_id for a in alerts) == ["boss", "deputy"]
    assert "Snoop (manager) opened 4 different clients" in reply_from_json(alerts[0].body).text
    await look(4)
    await look(5)
    assert await OutboxMessage.filter(kind="staff-lookup-alert").count() == 2  # once per window
    clock.advance(timedelta(minutes=61))
    for i in (6, 7, 8):
        await look(i)
    assert await OutboxMessage.filter(kind="staff-lookup-alert").count() == 2
    await look(0)  # four distinct within the last hour again, over an hour after the alert
    assert await OutboxMessage.filter(kind="staff-lookup-alert").count() == 4
    assert await AuditEntry.filter(action="staff.lookup-alert").count() == 2


async def test_admins_read_the_audit_log_in_chat(services: Services, router: Router) -> None:
    await make_staff(Role.ADMIN, "boss")
    await make_staff(Role.MANAGER, "mgr", name="Marta")
    client = await make_client("+380671234567", "Olena")
    await chat_for(services, router, "mgr").press_payload(f"1|scc|{client.id}")
    chat = chat_for(services, router, "boss")
    await chat.say("/audit")
    line = "November 23, 2026, 12:00\u202fPM · Marta opened client Olena"
    assert line in chat.text
