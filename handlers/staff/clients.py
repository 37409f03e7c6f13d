"""Clients at the staff desk: find one, their card, follow-ups, balance adjustments."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from core import ledger
from core.clients import mask_phone
from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.errors import InvalidInput, NotFound
from core.i18n import T
from core.payloads import Payload, encode
from core.staff import followups, lookups, routes
from core.staff import orders as staff_orders
from core.staff import queries as q
from core.staff.roles import ADMINS, EVERYONE, MONEY, SALES, allowed
from handlers.context import Context
from handlers.router import Router
from handlers.staff import adjust
from handlers.staff.common import (
    button,
    cancel_button,
    command,
    int_arg,
    join,
    local_dt,
    log,
    menu_button,
    require,
    state,
    status_label,
)
from handlers.staff.mailings import client_lines as mailing_lines
from storage.models import Client, OrderStatus

router = Router("staff.clients")

FIND_STATE = "staff.find"
FOLLOW_STATE = "staff.followup"
ADJUST_STATE = "staff.adjust"
BUTTONS_SHOWN = 10
SNIPPET = 80


# ---- finding ----------------------------------------------------------------------------------


def find_prompt(ctx: Context, note: str | None = None) -> Reply:
    return Reply(join(note, ctx.t("st-find-ask")), rows([cancel_button(ctx.t)]))


async def find(ctx: Context, text: str) -> list[Reply]:
    t = ctx.t
    try:
        found = await q.find_clients(text, ctx.services.rules.agency.country)
    except InvalidInput as error:
        ctx.state.goto(FIND_STATE)
        return [find_prompt(ctx, t(error.key))]
    await log(ctx, "staff.find", query=text, found=len(found))
    if not found:
        ctx.state.goto(FIND_STATE)
        return [find_prompt(ctx, t("st-find-nothing", query=text))]
    ctx.state.reset()
    if len(found) == 1:
        return await show_client(ctx, found[0].id)
    lines = [t("st-find-results", count=len(found))]
    lines += [
        t("st-find-line", name=c.display_name or "—", phone=mask_phone(c.phone), id=str(c.id))
        for c in found
    ]
    if len(found) > BUTTONS_SHOWN:
        lines.append(t("st-find-refine", shown=BUTTONS_SHOWN))
    grid: list[list[AnyButton]] = [
        [
            Button(
                t("st-open-client-line", name=c.display_name or str(c.id)),
                encode(routes.CLIENT, c.id),
            )
        ]
        for c in found[:BUTTONS_SHOWN]
    ]
    grid.append([Button(t("st-find-again"), encode(routes.FIND)), menu_button(t)])
    return [Reply("\n".join(lines), rows(*grid))]


@command(router, "find", roles=EVERYONE)
async def find_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    if incoming.command_args:
        return await find(ctx, incoming.command_args)
    ctx.state.goto(FIND_STATE)
    return [find_prompt(ctx)]


@button(router, routes.FIND, roles=EVERYONE)
async def find_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.goto(FIND_STATE)
    return [find_prompt(ctx)]


@state(router, FIND_STATE, roles=EVERYONE)
async def find_typed(ctx: Context, incoming: Incoming) -> list[Reply]:
    if incoming.kind is Kind.CONTACT and incoming.phone:
        return await find(ctx, incoming.phone)
    if incoming.kind is not Kind.TEXT or not (incoming.text or "").strip():
        return [find_prompt(ctx)]
    return await find(ctx, (incoming.text or "").strip())


# ---- the card ---------------------------------------------------------------------------------


def balance_text(t: T, balances: dict[str, int], currency: str) -> str:
    if not any(balances.values()):
        return t.money(0, currency)
    return ", ".join(t.money(v, c) for c, v in sorted(balances.items()) if v)


def card_text(ctx: Context, card: q.ClientCard) -> str:
    t = ctx.t
    client = card.client
    channels = ", ".join(
        t("st-channel-ok" if a.reachable else "st-channel-off", channel=a.channel)
        for a in card.accounts
    )
    lines = [
        t("st-client-card-title", name=client.display_name or "—", id=str(client.id)),
        t("st-client-card-phone", phone=client.phone or "—"),
        t("st-client-card-manager", manager=card.manager.name if card.manager else "—"),
        t("st-client-card-channels", channels=channels or "—"),
        t(
            "st-client-card-balance",
            balance=balance_text(t, card.balances, ctx.services.rules.agency.currency),
            points=client.bonus_points,
        ),
        "",
        t("st-client-card-orders", count=card.order_count),
    ]
    if not card.orders:
        lines.append(t("st-client-card-no-orders"))
    lines += [
        t(
            "st-client-card-order"
            if o.status is not OrderStatus.CANCELLED
            else "money-client-card-order-cancelled",
            number=o.number,
            destination=o.destination,
            status=status_label(t, o.status),
            remaining=t.money(o.remaining, o.currency),
        )
        for o in card.orders
    ]
    if card.open_follow_ups:
        lines.append(t("st-client-card-follow-ups", count=card.open_follow_ups))
    lines += ["", t("st-client-card-history")]
    if not card.history:
        lines.append(t("st-client-card-no-history"))
    for line in card.history:
        text = " ".join(line.text.split())
        if len(text) > SNIPPET:
            text = text[: SNIPPET - 1] + "…"
        key = "st-client-card-message-in" if line.incoming else "st-client-card-message-out"
        lines.append(t(key, when=local_dt(ctx, line.at), text=text or f"[{line.kind}]"))
    return "\n".join(lines)


def card_buttons(ctx: Context, card: q.ClientCard) -> list[list[AnyButton]]:
    t = ctx.t
    client_id = card.client.id
    grid: list[list[AnyButton]] = [
        [
            Button(
                t("st-open-order-line", number=o.number, destination=o.destination),
                encode(routes.ORDER, o.id),
            )
        ]
        for o in card.orders
    ]
    if allowed(ctx.staff, SALES):
        grid.append(
            [
                Button(t("st-follow-up-plan"), encode(routes.FOLLOW_UP, client_id)),
                Button(t("st-menu-new-order"), encode(routes.NEW_ORDER, "start", client_id)),
            ]
        )
        grid.append(
            [
                Button(t("identity-merge-button"), encode(routes.MERGE, client_id)),
                Button(t("loyalty-st-adjust"), encode(routes.POINTS, client_id)),
            ]
        )
    if allowed(ctx.staff, MONEY):
        grid.append([Button(t("st-adjust"), encode(routes.ADJUST, client_id))])
    if allowed(ctx.staff, ADMINS) and card.client.erased_at is None:
        grid.append([Button(t("erasure-card-button"), encode(routes.ERASE, client_id))])
    grid.append([menu_button(t)])
    return grid


async def show_client(ctx: Context, client_id: int, *, note: str | None = None) -> list[Reply]:
    staff = require(ctx)
    card = await q.client_card(client_id)
    if card is None:
        raise NotFound("st-client-not-found")
    await lookups.record(ctx.services, staff, lookups.CLIENT_VIEW, client_id)
    text = join(note, card_text(ctx, card), "\n" + await mailing_lines(ctx, client_id))
    return [Reply(text, rows(*card_buttons(ctx, card)))]


@button(router, routes.CLIENT, roles=EVERYONE)
async def client_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    return await show_client(ctx, int_arg(payload, 0))


# ---- follow-ups -------------------------------------------------------------------------------


def follow_prompt(ctx: Context, step: str, note: str | None = None) -> Reply:
    t = ctx.t
    buttons: list[AnyButton] = [cancel_button(t)]
    if step == "note":
        client_id = ctx.state.data.get("client_id")
        buttons.insert(
            0, Button(t("st-follow-up-no-note"), encode(routes.FOLLOW_UP, client_id, "skip"))
        )
    key = "st-follow-up-ask-when" if step == "when" else "st-follow-up-ask-note"
    return Reply(join(note, t(key)), rows(buttons))


async def plan_follow_up(ctx: Context, note: str) -> list[Reply]:
    staff = require(ctx, *SALES)
    client_id = int(ctx.state.data.get("client_id") or 0)
    due_at = datetime.fromisoformat(str(ctx.state.data.get("due_at")))
    follow_up = await followups.plan(ctx.services, staff, client_id, due_at, note)
    ctx.state.reset()
    done = ctx.t("st-follow-up-planned", when=local_dt(ctx, follow_up.due_at))
    return await show_client(ctx, client_id, note=done)


@button(router, routes.FOLLOW_UP, roles=SALES)
async def follow_up_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    client_id = int_arg(payload, 0)
    if payload.arg(1) == "skip":
        if ctx.state.name != FOLLOW_STATE or ctx.state.data.get("step") != "note":
            raise NotFound("st-stale")
        return await plan_follow_up(ctx, "")
    if not await Client.exists(id=client_id):
        raise NotFound("st-client-not-found")
    ctx.state.reset()
    ctx.state.goto(FOLLOW_STATE, client_id=client_id, step="when")
    return [follow_prompt(ctx, "when")]


@state(router, FOLLOW_STATE, roles=SALES)
async def follow_up_typed(ctx: Context, incoming: Incoming) -> list[Reply]:
    step = str(ctx.state.data.get("step") or "when")
    text = (incoming.text or "").strip() if incoming.kind is Kind.TEXT else ""
    if not text:
        return [follow_prompt(ctx, step)]
    try:
        if step == "when":
            services = ctx.services
            now = services.clock.now()
            tz_now = now.astimezone(services.rules.agency.tz)
            due_at = followups.parse_when(text, now, tz_now, services.rules.reminders.send_time)
            ctx.state.goto(FOLLOW_STATE, step="note", due_at=due_at.isoformat())
            return [follow_prompt(ctx, "note")]
        return await plan_follow_up(ctx, followups.clean_note(text))
    except InvalidInput as error:
        return [follow_prompt(ctx, step, ctx.t(error.key, **error.args_))]


@button(router, routes.FOLLOW_DONE, roles=SALES)
async def follow_up_done(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    staff = require(ctx, *SALES)
    follow_up = await followups.mark_done(ctx.services, staff, int_arg(payload, 0))
    return await show_client(ctx, follow_up.client_id, note=ctx.t("st-follow-up-closed"))


# ---- balance adjustments ----------------------------------------------------------------------


def adjust_prompt(ctx: Context, step: str, note: str | None = None) -> Reply:
    t = ctx.t
    data = ctx.state.data
    if step == "confirm":
        text = t(
            "st-adjust-confirm",
            amount=t.money(int(data["amount"]), str(data["currency"])),
            reason=str(data.get("reason") or ""),
        )
        confirm = Button(t("st-adjust-yes"), encode(routes.ADJUST, data.get("client_id"), "yes"))
        return Reply(join(note, text), rows([confirm, cancel_button(t)]))
    key = "st-adjust-ask-amount" if step == "amount" else "st-adjust-ask-reason"
    return Reply(
        join(note, t(key, currency=ctx.services.rules.agency.currency)), rows([cancel_button(t)])
    )


def parse_signed(text: str, currency: str) -> tuple[int, str]:
    value = (text or "").strip()
    sign = -1 if value.startswith(("-", "−")) else 1
    amount, code = staff_orders.parse_price(value.lstrip("+-− "), currency)
    return sign * amount, code


@button(router, routes.ADJUST, roles=MONEY)
async def adjust_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    staff = require(ctx, *MONEY)
    client_id = int_arg(payload, 0)
    if payload.arg(1) == "yes":
        data = adjust.confirmed(ctx, ADJUST_STATE, client_id)
        amount, currency = int(data["amount"]), str(data["currency"])
        await ledger.adjust(
            client_id,
            amount,
            currency,
            reason=str(data["reason"]),
            staff_id=staff.id,
            reference=str(data["reference"]),
        )
        ctx.state.reset()
        note = ctx.t("st-adjust-done", amount=ctx.t.money(amount, currency))
        return await show_client(ctx, client_id, note=note)
    ref = f"adjust:s{staff.id}:{secrets.token_hex(6)}"
    return await adjust.start(
        ctx, ADJUST_STATE, client_id, first="amount", reference=ref, prompt=adjust_prompt
    )


@state(router, ADJUST_STATE, roles=MONEY)
async def adjust_typed(ctx: Context, incoming: Incoming) -> list[Reply]:
    def read(text: str) -> dict[str, Any]:
        amount, currency = parse_signed(text, ctx.services.rules.agency.currency)
        return {"amount": amount, "currency": currency}

    return adjust.typed(
        ctx, incoming, ADJUST_STATE, first="amount", read=read, prompt=adjust_prompt
    )
