"""The short "new order" wizard: client by phone, destination, dates, price and currency, due
date, prepayment share -> summary -> create (the client is told in their messenger)."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.errors import InvalidInput
from core.payloads import Payload, encode
from core.staff import orders as staff_orders
from core.staff import routes
from core.staff.roles import SALES
from handlers.context import Context
from handlers.router import Router
from handlers.staff.common import button, cancel_button, command, join, require, state, today
from handlers.staff.desk import staff_menu
from handlers.staff.orders import load_order, show_order
from storage.models import Client

router = Router("staff.neworder")

STATE = "staff.neworder"
STEPS = ("phone", "destination", "dates", "price", "due", "percent", "summary")
PERCENTS = (30, 50, 100)


def data(ctx: Context) -> dict[str, Any]:
    value = ctx.state.data.get("no")
    if not isinstance(value, dict):
        value = {}
        ctx.state.data["no"] = value
    return value


def step_of(ctx: Context) -> str:
    step = data(ctx).get("step")
    return step if step in STEPS else "phone"


def percents(ctx: Context) -> list[int]:
    default = ctx.services.rules.payments.prepayment_percent
    return sorted({default, *PERCENTS})


def summary_text(ctx: Context) -> str:
    t = ctx.t
    d = data(ctx)
    end = date.fromisoformat(d["end"]) if d.get("end") else None
    return t(
        "st-no-summary",
        client=str(d.get("client_name") or "—"),
        phone=str(d.get("phone") or "—"),
        destination=str(d["destination"]),
        dates=staff_orders.dates_text(t, date.fromisoformat(d["start"]), end),
        price=t.money(int(d["price"]), str(d["currency"])),
        due=t.date(date.fromisoformat(d["due"])) if d.get("due") else t("st-no-no-due"),
        percent=int(d["percent"]),
    )


def show(ctx: Context, step: str, note: str | None = None) -> list[Reply]:
    t = ctx.t
    d = data(ctx)
    d["step"] = step
    ctx.state.goto(STATE)
    back = Button(t("st-back"), encode(routes.NEW_ORDER, "back"))
    grid: list[list[AnyButton]] = []
    if step == "summary":
        text = summary_text(ctx)
        grid.append([Button(t("st-no-create"), encode(routes.NEW_ORDER, "create"))])
    else:
        text = t(f"st-no-ask-{step}", currency=ctx.services.rules.agency.currency)
    if step == "due":
        grid.append([Button(t("st-no-no-due"), encode(routes.NEW_ORDER, "nodue"))])
    if step == "percent":
        grid.append([Button(f"{p}%", encode(routes.NEW_ORDER, "pct", p)) for p in percents(ctx)])
    grid.append([back, cancel_button(t)])
    return [Reply(join(note, text), rows(*grid))]


async def start(ctx: Context, client_id: int | None) -> list[Reply]:
    ctx.state.reset()
    ctx.state.goto(STATE, no={"step": "phone"})
    if client_id is not None:
        client = await Client.get_or_none(id=client_id)
        if client is not None:
            data(ctx).update(
                client_id=client.id,
                client_name=client.display_name,
                phone=client.phone,
                fixed_client=True,
            )
            return show(ctx, "destination")
    return show(ctx, "phone")


@command(router, "neworder", roles=SALES)
async def new_order_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    return await start(ctx, None)


async def apply_text(ctx: Context, step: str, text: str) -> str:
    """Validate one typed answer; returns the next step."""
    d = data(ctx)
    rules = ctx.services.rules
    if step == "phone":
        client, created = await staff_orders.client_by_phone(text, rules.agency.country)
        d.update(
            client_id=client.id,
            client_name=client.display_name,
            phone=client.phone,
            created=created,
        )
    elif step == "destination":
        d["destination"] = staff_orders.parse_destination(text)
    elif step == "dates":
        start_day, end_day = staff_orders.parse_dates(text, today(ctx))
        d.update(start=start_day.isoformat(), end=end_day.isoformat() if end_day else None)
    elif step == "price":
        amount, currency = staff_orders.parse_price(text, rules.agency.currency)
        d.update(price=amount, currency=currency)
    elif step == "due":
        due = staff_orders.parse_future_date(text, today(ctx))
        if due > date.fromisoformat(d["start"]):
            raise InvalidInput("st-error-due-after-departure")
        d["due"] = due.isoformat()
    elif step == "percent":
        d["percent"] = staff_orders.parse_percent(text)
    else:
        raise InvalidInput("hint-use-buttons")
    return STEPS[STEPS.index(step) + 1]


@state(router, STATE, roles=SALES)
async def typed(ctx: Context, incoming: Incoming) -> list[Reply]:
    step = step_of(ctx)
    raw = incoming.phone if incoming.kind is Kind.CONTACT else incoming.text
    text = (raw or "").strip()
    if not text or incoming.kind not in (Kind.TEXT, Kind.CONTACT):
        return show(ctx, step)
    try:
        following = await apply_text(ctx, step, text)
    except InvalidInput as error:
        return show(ctx, step, ctx.t(error.key, **error.args_))
    note = None
    if step == "phone":
        key = "st-no-client-new" if data(ctx).get("created") else "st-no-client-found"
        note = ctx.t(
            key, name=str(data(ctx).get("client_name") or "—"), phone=str(data(ctx).get("phone"))
        )
    return show(ctx, following, note)


def previous(ctx: Context, step: str) -> str | None:
    index = STEPS.index(step)
    first = 1 if data(ctx).get("fixed_client") else 0
    return STEPS[index - 1] if index > first else None


@button(router, routes.NEW_ORDER, roles=SALES)
async def wizard_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    staff = require(ctx, *SALES)
    op = payload.arg(0)
    if op == "start":
        client = payload.arg(1)
        return await start(ctx, int(client) if client.isdigit() else None)
    if ctx.state.name != STATE:
        ctx.state.reset()
        return [staff_menu(ctx, note=ctx.t("st-stale"))]
    step = step_of(ctx)
    d = data(ctx)
    if op == "back":
        before = previous(ctx, step)
        if before is None:
            ctx.state.reset()
            return [staff_menu(ctx, note=ctx.t("st-cancelled"))]
        return show(ctx, before)
    if op == "nodue" and step == "due":
        d["due"] = None
        return show(ctx, "percent")
    if op == "pct" and step == "percent" and payload.arg(1).isdigit():
        d["percent"] = staff_orders.parse_percent(payload.arg(1))
        return show(ctx, "summary")
    if op == "create" and step == "summary":
        draft = staff_orders.OrderDraft(
            client_id=int(d["client_id"]),
            destination=str(d["destination"]),
            departure=date.fromisoformat(d["start"]),
            return_date=date.fromisoformat(d["end"]) if d.get("end") else None,
            price=int(d["price"]),
            currency=str(d["currency"]),
            due_date=date.fromisoformat(d["due"]) if d.get("due") else None,
            prepayment_percent=int(d["percent"]),
        )
        order, told = await staff_orders.create_order(ctx.services, staff, draft)
        ctx.state.reset()
        note = ctx.t("st-no-created" if told else "st-no-created-untold", number=order.number)
        return await show_order(ctx, await load_order(order.id), note=note)
    return show(ctx, step, ctx.t("st-stale"))
