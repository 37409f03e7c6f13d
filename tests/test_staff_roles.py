"""Who may do what at the staff desk: every staff command and action x every kind of user.

Allowed roles get the answer and its effect; other staff roles get a polite refusal (and it
is audited); revoked staff, clients and strangers get exactly what any unknown input gets,
and nothing happens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from core.payloads import encode
from core.services import Services
from core.staff import routes
from core.staff.roles import ADMINS, EVERYONE, MONEY, SALES
from handlers.router import Router
from handlers.staff.common import ROUTE_ROLES
from storage.models import (
    AuditEntry,
    FollowUp,
    Order,
    OrderStatus,
    PaymentIntent,
    Role,
    Staff,
    StaffInvite,
    TourRequest,
)
from tests.support.chat import RecordingChat, chat_for
from tests.support.factories import make_client, make_order, make_staff


@dataclass
class World:
    order: Order
    client_id: int
    follow_up: FollowUp
    target: Staff
    staff: dict[str, Staff]


Send = Callable[[RecordingChat, World], Awaitable[object]]
Effect = Callable[[World], Awaitable[bool]]


@dataclass(frozen=True)
class Case:
    name: str
    send: Send
    roles: tuple[Role, ...]
    button: bool = False
    effect: Effect | None = None


def say(text: str) -> Send:
    async def send(chat: RecordingChat, world: World) -> object:
        return await chat.say(text.format(order=world.order.number, target=world.target.id))

    return send


def press(action: str, *args: str) -> Send:
    async def send(chat: RecordingChat, world: World) -> object:
        values = {
            "order": world.order.id,
            "client": world.client_id,
            "follow_up": world.follow_up.id,
            "target": world.target.id,
        }
        return await chat.press_payload(encode(action, *(a.format(**values) for a in args)))

    return send


async def invited(world: World) -> bool:
    return await StaffInvite.exists(name="Ivan Franko")


async def revoked(world: World) -> bool:
    return not (await Staff.get(id=world.target.id)).active


async def confirmed(world: World) -> bool:
    return (await Order.get(id=world.order.id)).status is OrderStatus.CONFIRMED


async def link_created(world: World) -> bool:
    return await PaymentIntent.exists(order_id=world.order.id)


async def follow_up_done(world: World) -> bool:
    return (await FollowUp.get(id=world.follow_up.id)).done_at is not None


CASES = [
    Case("/staff", say("/staff"), EVERYONE),
    Case("/orders", say("/orders"), EVERYONE),
    Case("/orders booked", say("/orders booked"), EVERYONE),
    Case("/order N", say("/order {order}"), EVERYONE),
    Case("/find", say("/find Petrenko"), EVERYONE),
    Case("/debtors", say("/debtors"), EVERYONE),
    Case("/today", say("/today"), EVERYONE),
    Case("/requests", say("/requests"), SALES),
    Case("/myrequests", say("/myrequests"), SALES),
    Case("/neworder", say("/neworder"), SALES),
    Case("/team", say("/team"), ADMINS),
    Case("/invite", say("/invite manager Ivan Franko"), ADMINS, effect=invited),
    Case("/revoke", say("/revoke {target}"), ADMINS),
    Case("/audit", say("/audit"), ADMINS),
    Case("menu", press(routes.MENU), EVERYONE, True),
    Case("orders", press(routes.ORDERS, "active", "0"), EVERYONE, True),
    Case("order card", press(routes.ORDER, "{order}"), EVERYONE, True),
    Case("client card", press(routes.CLIENT, "{client}"), EVERYONE, True),
    Case("find", press(routes.FIND), EVERYONE, True),
    Case("debtors", press(routes.DEBTORS, "0"), EVERYONE, True),
    Case("today", press(routes.TODAY), EVERYONE, True),
    Case("requests", press(routes.REQUESTS, "new", "0"), SALES, True),
    Case("new order", press(routes.NEW_ORDER, "start", "{client}"), SALES, True),
    Case("pay link", press(routes.PAY_LINK, "{order}", "rest"), EVERYONE, True, link_created),
    Case("status", press(routes.STATUS, "{order}", "confirmed"), SALES, True, confirmed),
    Case("follow-up", press(routes.FOLLOW_UP, "{client}"), SALES, True),
    Case("follow-up done", press(routes.FOLLOW_DONE, "{follow_up}"), SALES, True, follow_up_done),
    Case("adjust", press(routes.ADJUST, "{client}"), MONEY, True),
    Case("team", press(routes.TEAM, "0"), ADMINS, True),
    Case("revoke", press(routes.REVOKE, "{target}", "yes"), ADMINS, True, revoked),
    Case("invite", press(routes.INVITE, "manager"), ADMINS, True),
    Case("audit", press(routes.AUDIT, "0"), ADMINS, True),
    Case("erase", press(routes.ERASE, "{client}"), ADMINS, True),
    Case("erase decline", press(routes.ERASE_DECLINE, "{client}"), ADMINS, True),
    Case("cancel", press(routes.CANCEL), EVERYONE, True),
]
ROLE_OF = {"admin": Role.ADMIN, "manager": Role.MANAGER, "accountant": Role.ACCOUNTANT}


async def build_world(services: Services) -> World:
    services.settings.payments.sandbox = True
    staff = {
        "admin": (await make_staff(Role.ADMIN, "p-admin"))[0],
        "manager": (await make_staff(Role.MANAGER, "p-manager"))[0],
        "accountant": (await make_staff(Role.ACCOUNTANT, "p-accountant"))[0],
        "revoked": (await make_staff(Role.MANAGER, "p-revoked", active=False))[0],
    }
    target, _ = await make_staff(Role.MANAGER, "target", name="Target")
    client = await make_client(
        "+380671234567", "Olena", "Petrenko", user_id="p-client", manager=staff["manager"]
    )
    order = await make_order(client, "T-0001", due=date(2026, 12, 1), manager=staff["manager"])
    follow_up = await FollowUp.create(
        staff=staff["manager"],
        client=client,
        due_at=datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
        note="call",
    )
    await TourRequest.create(number="R-0001", client=client, destination="Egypt")
    return World(order, client.id, follow_up, target, staff)


def answer(chat: RecordingChat) -> tuple[list[str], list[str]]:
    return [r.text for r in chat.last], chat.labels()


def test_every_staff_route_is_in_the_matrix() -> None:
    covered = {c.name for c in CASES}
    assert len(covered) == len(CASES)
    commands = {name for name in ROUTE_ROLES if name.startswith("/")}
    sent = {c.name.split()[0] for c in CASES if not c.button}
    assert commands <= sent | {"/revoke"}
    actions = {name.removeprefix("button:") for name in ROUTE_ROLES if name.startswith("button:")}
    pressed = {
        a for a in actions if any(c.button and c.roles == ROUTE_ROLES[f"button:{a}"] for c in CASES)
    }
    assert pressed == actions


def test_staff_actions_do_not_collide_with_client_flows(router: Router) -> None:
    from handlers.staff.common import staff_router

    assert not set(staff_router.buttons) & set(router.buttons)
    assert all(action.startswith("s") for action in staff_router.buttons)


async def undo(world: World) -> None:
    """Put the world back after an allowed action, for the next allowed persona."""
    await StaffInvite.all().delete()
    await Staff.filter(id=world.target.id).update(active=True, revoked_at=None)
    await Order.filter(id=world.order.id).update(status=OrderStatus.BOOKED)
    await PaymentIntent.all().delete()
    await FollowUp.filter(id=world.follow_up.id).update(done_at=None)


async def check_staff(
    services: Services, router: Router, world: World, case: Case, persona: str
) -> None:
    chat = chat_for(services, router, f"p-{persona}")
    forbidden = services.translator("en")("st-forbidden-role")
    staff = world.staff[persona]
    await case.send(chat, world)
    got = answer(chat)
    denied = await AuditEntry.exists(staff_id=staff.id, action="staff.denied")
    if ROLE_OF[persona] in case.roles:
        assert forbidden not in got[0], persona
        assert "not understood" not in " ".join(got[0]), persona
        assert not denied, persona
        if case.effect is not None:
            assert await case.effect(world), f"{case.name} did nothing for {persona}"
            await undo(world)
    else:
        assert got == ([forbidden], []), persona
        assert denied, persona
        if case.effect is not None:
            assert not await case.effect(world), persona


async def check_outsider(
    services: Services, router: Router, world: World, case: Case, persona: str
) -> None:
    """Not staff (any more): the same answer as any unknown input, and nothing happens."""
    chat = chat_for(services, router, f"p-{persona}")
    await case.send(chat, world)
    got = answer(chat)
    if case.button:
        await chat.press_payload(encode("zzz", 1))
    else:
        await chat.say("/no-such-command")
    assert got == answer(chat), persona
    assert services.translator("en")("st-forbidden-role") not in got[0]
    if case.effect is not None:
        assert not await case.effect(world), persona
    if persona == "revoked":
        assert not await AuditEntry.exists(staff_id=world.staff["revoked"].id)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_role_matrix(services: Services, router: Router, case: Case) -> None:
    world = await build_world(services)
    for persona in ("revoked", "client", "stranger"):
        await check_outsider(services, router, world, case, persona)
    for persona in ("accountant", "manager", "admin"):
        await check_staff(services, router, world, case, persona)
