"""Who may do what at the staff desk: every staff command and action x every kind of user.

The roles allowed on each action are written here, literally — not imported from the code under
test, so changing a role in the code fails this test. Allowed roles see the action's screen (a
marker of it is asserted) and get its effect; other staff roles get a polite refusal (and it is
audited); revoked staff, clients and strangers get exactly what any unknown input gets, and
nothing happens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from core.payloads import encode
from core.services import Services
from handlers.router import Router
from storage.models import (
    AuditEntry,
    ClaimStatus,
    Client,
    FollowUp,
    Mailing,
    MailingStatus,
    MessengerAccount,
    Order,
    OrderStatus,
    OutboxMessage,
    PaymentIntent,
    PhoneClaim,
    RequestStatus,
    Role,
    Staff,
    StaffInvite,
    TourRequest,
)
from tests.support.chat import RecordingChat, chat_for
from tests.support.factories import make_client, make_order, make_staff

FORBIDDEN = "This is not available for your role."
ASKED_TO_FORGET = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ANY = ("admin", "manager", "accountant")


@dataclass
class World:
    order: Order
    client_id: int
    follow_up: FollowUp
    target: Staff
    staff: dict[str, Staff]
    request_id: int
    claim_id: int
    mailing_id: int


Send = Callable[[RecordingChat, World], Awaitable[object]]
Effect = Callable[[World], Awaitable[bool]]


@dataclass(frozen=True)
class Case:
    name: str
    route: str  # "/orders" or "button:<action>": what the case exercises in the router
    send: Send
    roles: tuple[str, ...]  # the personas allowed, literally
    marker: str  # a part of the screen an allowed persona sees
    effect: Effect | None = None
    refusal: str = FORBIDDEN

    @property
    def button(self) -> bool:
        return self.route.startswith("button:")


def cmd(text: str, roles: tuple[str, ...], marker: str, effect: Effect | None = None) -> Case:
    return Case(text, "/" + text.split()[0].lstrip("/"), say(text), roles, marker, effect)


def btn(
    name: str,
    action: str,
    args: tuple[str, ...],
    roles: tuple[str, ...],
    marker: str,
    effect: Effect | None = None,
    refusal: str = FORBIDDEN,
) -> Case:
    return Case(name, f"button:{action}", press(action, *args), roles, marker, effect, refusal)


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
            "request": world.request_id,
            "claim": world.claim_id,
            "mailing": world.mailing_id,
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


async def cancelled(world: World) -> bool:
    return (await Order.get(id=world.order.id)).status is OrderStatus.CANCELLED


async def rejected(world: World) -> bool:
    return (await PhoneClaim.get(id=world.claim_id)).status is ClaimStatus.REJECTED


async def erasure_declined(world: World) -> bool:
    return (await Client.get(id=world.client_id)).forget_requested_at is None


async def mailing_paused(world: World) -> bool:
    return (await Mailing.get(id=world.mailing_id)).status is MailingStatus.PAUSED


async def mailing_cancelled(world: World) -> bool:
    return (await Mailing.get(id=world.mailing_id)).status is MailingStatus.CANCELLED


async def report_chart_queued(world: World) -> bool:
    return await OutboxMessage.exists(kind="report-chart")


async def net_price_set(world: World) -> bool:
    return (await Order.get(id=world.order.id)).net_price == 50_000


async def taken(world: World) -> bool:
    return (await TourRequest.get(number="R-0001")).status is RequestStatus.TAKEN


CASES = [
    cmd("/staff", ANY, "Staff desk"),
    cmd("/orders", ANY, "Orders:"),
    cmd("/orders booked", ANY, "Orders:"),
    cmd("/order {order}", ANY, "Order T-0001"),
    cmd("/find Petrenko", ANY, "Petrenko"),
    cmd("/debtors", ANY, "Debtors"),
    cmd("/today", ANY, "Today,"),
    cmd("/requests", ("admin", "manager"), "New requests"),
    cmd("/myrequests", ("admin", "manager"), "My requests"),
    cmd("/neworder", ("admin", "manager"), "Type the client's phone number"),
    cmd("/team", ("admin",), "Team ("),
    cmd("/invite manager Ivan Franko", ("admin",), "Invite for Ivan Franko", invited),
    cmd("/revoke {target}", ("admin",), "Revoke Target"),
    cmd("/audit", ("admin",), "Audit log"),
    btn("menu", "sm", (), ANY, "Staff desk"),
    btn("orders", "sol", ("active", "0"), ANY, "Orders:"),
    btn("order card", "soc", ("{order}",), ANY, "Order T-0001"),
    btn("client card", "scc", ("{client}",), ANY, "Phone:"),
    btn("find", "sfc", (), ANY, "Send a phone number, a name or an order number"),
    btn("debtors", "sdb", ("0",), ANY, "Debtors"),
    btn("today", "std", (), ANY, "Today,"),
    btn("requests", "srq", ("new", "0"), ("admin", "manager"), "New requests"),
    btn("new order", "sno", ("start", "{client}"), ("admin", "manager"), "Where to?"),
    btn("pay link", "spl", ("{order}", "rest"), ANY, "payment link", link_created),
    btn("status", "sst", ("{order}", "confirmed"), ("admin", "manager"), "is now", confirmed),
    btn("follow-up", "sfu", ("{client}",), ("admin", "manager"), "When?"),
    btn(
        "follow-up done",
        "sfd",
        ("{follow_up}",),
        ("admin", "manager"),
        "marked as done",
        follow_up_done,
    ),
    btn("adjust", "sba", ("{client}",), ("admin", "accountant"), "Amount to add"),
    btn("team", "stm", ("0",), ("admin",), "Team ("),
    btn("revoke", "srv", ("{target}", "yes"), ("admin",), "no longer has staff access", revoked),
    btn("invite", "sin", ("manager",), ("admin",), "Type the invited person's name"),
    btn("audit", "sau", ("0",), ("admin",), "Audit log"),
    btn("erase", "ser", ("{client}",), ("admin",), "Money is still open for this client"),
    btn("erase decline", "sed", ("{client}",), ("admin",), "is declined", erasure_declined),
    btn("cancel", "sxx", (), ANY, "Cancelled."),
    btn("cancel order", "sco", ("{order}", "none", "0"), ("admin", "manager"), "is now", cancelled),
    btn("phone claim", "sic", ("{claim}", "no"), ("admin", "manager"), "Rejected", rejected),
    btn("merge", "smg", ("{client}",), ("admin", "manager"), "should be merged into"),
    btn(
        "take request",
        "take",
        ("{request}",),
        ("admin", "manager"),
        "is yours",
        taken,
        "Only managers and admins can take requests.",
    ),
    btn("reply to client", "reply", ("{client}",), ("admin", "manager"), "Write your answer to"),
    cmd("/request R-0001", ("admin", "manager"), "Request R-0001 · Olena"),
    btn("request card", "srk", ("{request}",), ("admin", "manager"), "Request R-0001 · Olena"),
    btn("offer builder", "sof", ("{request}", "new"), ("admin", "manager"), "Options for request"),
    btn("offer wizard", "sow", ("cancel",), ("admin", "manager"), "list of options is closed"),
    cmd("/mailings", ("admin",), "Recent mailings"),
    btn("mailings", "sml", (), ("admin",), "Recent mailings"),
    btn("new mailing", "smn", ("start",), ("admin",), "who gets it?"),
    btn("mailing card", "smc", ("{mailing}",), ("admin",), "Mailing #"),
    btn("mailing pause", "smc", ("{mailing}", "pause"), ("admin",), "is paused", mailing_paused),
    btn(
        "mailing cancel", "smc", ("{mailing}", "yes"), ("admin",), "is cancelled", mailing_cancelled
    ),
    btn("reports", "srp", (), ("admin", "accountant"), "Which report?"),
    btn("report period", "srp", ("debtors",), ("admin", "accountant"), "for which period?"),
    btn(
        "report",
        "srp",
        ("debtors", "this_month"),
        ("admin", "accountant"),
        "Debtors · November 1, 2026",
        report_chart_queued,
    ),
    btn("points adjust", "spa", ("{client}",), ("admin", "manager"), "How many points to add?"),
    cmd("/commission", ("admin", "manager"), "Commission for"),
    btn("commission", "scm", (), ("admin", "manager"), "Commission for"),
    cmd("/commissionrule", ("admin",), "Commission rules"),
    cmd("/netprice {order} 500", ("admin", "manager"), "Net price of T-0001", net_price_set),
]
# The client's own escapes open the staff menu for staff (and the client's answers otherwise).
ESCAPES = [cmd(text, ANY, "Staff desk") for text in ("/start", "/menu", "/cancel")] + [
    btn("client menu button", "menu", (), ANY, "Staff desk")
]


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
    request = await TourRequest.create(number="R-0001", client=client, destination="Egypt")
    await Client.filter(id=client.id).update(forget_requested_at=ASKED_TO_FORGET)
    other = await make_client("+380501112233", "Taras", user_id="p-claimant")
    account = await MessengerAccount.get(client_id=other.id)
    claim = await PhoneClaim.create(
        account=account, claimant=other, target=client, phone=client.phone
    )
    mailing = await Mailing.create(texts={"default": "Hi"}, status=MailingStatus.SENDING)
    return World(order, client.id, follow_up, target, staff, request.id, claim.id, mailing.id)


def answer(chat: RecordingChat) -> tuple[list[str], list[str]]:
    return [r.text for r in chat.last], chat.labels()


def staff_routes(router: Router) -> set[str]:
    """The commands and buttons the composed tree answers only for staff."""
    (staff,) = [r for r in router.children if r.admit is not None]
    routes = set()
    for r in staff.walk():
        routes |= {f"/{c}" for c in r.commands} | {f"button:{b}" for b in r.buttons}
    return routes


def test_every_staff_route_is_in_the_matrix(router: Router) -> None:
    assert len({c.name for c in CASES + ESCAPES}) == len(CASES + ESCAPES)
    assert staff_routes(router) == {c.route for c in CASES + ESCAPES}


def test_staff_actions_do_not_collide_with_client_flows(router: Router) -> None:
    """Staff-only buttons start with "s" (the older "take" and "reply" excepted) and no client
    flow answers them; the escapes are the only routes staff and clients share."""
    client_routes = set()
    for r in router.walk():
        if r.admit is None and not any(
            r is s for c in router.children if c.admit for s in c.walk()
        ):
            client_routes |= {f"/{c}" for c in r.commands} | {f"button:{b}" for b in r.buttons}
    shared = staff_routes(router) & client_routes
    assert shared == {c.route for c in ESCAPES}
    actions = {r.removeprefix("button:") for r in staff_routes(router) if r.startswith("button:")}
    assert {a for a in actions if not a.startswith("s")} == {"take", "reply", "menu"}


async def undo(world: World) -> None:
    """Put the world back after an allowed action, for the next allowed persona."""
    await StaffInvite.all().delete()
    await Staff.filter(id=world.target.id).update(active=True, revoked_at=None)
    await Order.filter(id=world.order.id).update(status=OrderStatus.BOOKED, net_price=None)
    await PaymentIntent.all().delete()
    await FollowUp.filter(id=world.follow_up.id).update(done_at=None)
    await Client.filter(id=world.client_id).update(forget_requested_at=ASKED_TO_FORGET)
    await PhoneClaim.filter(id=world.claim_id).update(status=ClaimStatus.PENDING)
    await Mailing.filter(id=world.mailing_id).update(status=MailingStatus.SENDING)
    await OutboxMessage.filter(kind="report-chart").delete()
    await TourRequest.filter(id=world.request_id).update(
        manager_id=None, status=RequestStatus.NEW, taken_at=None
    )


async def check_staff(
    services: Services, router: Router, world: World, case: Case, persona: str
) -> None:
    chat = chat_for(services, router, f"p-{persona}")
    staff = world.staff[persona]
    await case.send(chat, world)
    texts, labels = answer(chat)
    denied = await AuditEntry.exists(staff_id=staff.id, action="staff.denied")
    if persona in case.roles:
        screen = "\n".join(texts + labels)
        assert case.marker in screen, f"{case.name} for {persona}: {screen!r}"
        assert case.refusal not in screen, persona
        assert not denied, persona
        if case.effect is not None:
            assert await case.effect(world), f"{case.name} did nothing for {persona}"
            await undo(world)
    else:
        assert (texts, labels) == ([case.refusal], []), persona
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
    assert case.refusal not in got[0] and case.marker not in "\n".join(got[0]), persona
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


@pytest.mark.parametrize("case", ESCAPES, ids=[c.name for c in ESCAPES])
async def test_escapes_open_the_staff_menu_for_staff_only(
    services: Services, router: Router, case: Case
) -> None:
    world = await build_world(services)
    for persona in ("revoked", "client", "stranger"):
        chat = chat_for(services, router, f"p-{persona}")
        await case.send(chat, world)
        assert chat.text and case.marker not in chat.text, persona
    for persona in ("accountant", "manager", "admin"):
        await check_staff(services, router, world, case, persona)
