"""Points and commissions at the staff desk: a client's points adjusted (admins, managers; with
a reason; audited), a manager's commission this month (``/commission``), the admins' report
per manager, a manager's commission rule (``/commissionrule``) and an order's net price
(``/netprice``)."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from core import commissions
from core.contract import AnyButton, Button, Incoming, Reply, rows
from core.errors import InvalidInput, NotFound
from core.loyalty import adjust as points_adjust
from core.loyalty.jobs import report_text
from core.payloads import Payload, encode
from core.staff import routes
from core.staff.orders import parse_price
from core.staff.roles import ADMINS, SALES, allowed, check
from handlers.context import Context
from handlers.router import Router
from handlers.staff import adjust
from handlers.staff.clients import show_client
from handlers.staff.common import (
    button,
    cancel_button,
    command,
    int_arg,
    join,
    menu_button,
    state,
)
from storage.models import Order, Staff

router = Router("staff.loyalty")

ADJUST = routes.POINTS
COMMISSION = routes.COMMISSION
ADJUST_STATE = "staff.points"


# ---- points adjustments ---------------------------------------------------------------------


def adjust_prompt(ctx: Context, step: str, note: str | None = None) -> Reply:
    t = ctx.t
    data = ctx.state.data
    if step == "confirm":
        text = t("loyalty-st-confirm", points=int(data["points"]), reason=str(data["reason"]))
        yes = Button(t("loyalty-st-yes"), encode(ADJUST, data.get("client_id"), "yes"))
        return Reply(join(note, text), rows([yes, cancel_button(t)]))
    key = "loyalty-st-ask-points" if step == "points" else "loyalty-st-ask-reason"
    return Reply(join(note, t(key)), rows([cancel_button(t)]))


@button(router, ADJUST, roles=SALES)
async def adjust_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    staff = check(ctx.staff, SALES)
    client_id = int_arg(payload, 0)
    if payload.arg(1) == "yes":
        data = adjust.confirmed(ctx, ADJUST_STATE, client_id)
        amount = int(data["points"])
        await points_adjust.adjust(
            ctx.services, staff, client_id, amount, str(data["reason"]), str(data["reference"])
        )
        ctx.state.reset()
        return await show_client(ctx, client_id, note=ctx.t("loyalty-st-done", points=amount))
    reference = f"adjust:points:s{staff.id}:{secrets.token_hex(6)}"
    return await adjust.start(
        ctx, ADJUST_STATE, client_id, first="points", reference=reference, prompt=adjust_prompt
    )


@state(router, ADJUST_STATE, roles=SALES)
async def adjust_typed(ctx: Context, incoming: Incoming) -> list[Reply]:
    def read(text: str) -> dict[str, Any]:
        return {"points": points_adjust.parse_points(text)}

    return adjust.typed(
        ctx, incoming, ADJUST_STATE, first="points", read=read, prompt=adjust_prompt
    )


# ---- commissions ------------------------------------------------------------------------------


async def month_screen(ctx: Context, month: date) -> Reply:
    """A manager: their own accruals of ``month``; an admin: the report per manager too."""
    staff = check(ctx.staff, SALES)
    t = ctx.t
    services = ctx.services
    own = await commissions.entries(services, month, staff.id)
    lines = [t("cm-mine-title", month=f"{month:%Y-%m}")]
    if not own:
        lines.append(t("cm-mine-empty"))
    numbers = {e.order_id: e.order.number for e in own if e.order is not None}
    tz = services.rules.agency.tz
    for entry in own:
        lines.append(
            t(
                "cm-mine-line" if entry.amount > 0 else "cm-mine-line-back",
                date=t.date(entry.created_at.astimezone(tz).date()),
                number=numbers.get(entry.order_id, "—"),
                amount=t.money(abs(entry.amount), entry.currency),
                base=t.money(abs(entry.base), entry.currency),
                rate=f"{entry.rate_bp / 100:g}",
                basis=t(f"cm-basis-{entry.basis}"),
            )
        )
    by_currency: dict[str, int] = {}
    for entry in own:
        by_currency[entry.currency] = by_currency.get(entry.currency, 0) + entry.amount
    if own:
        total = ", ".join(t.money(v, c) for c, v in sorted(by_currency.items()))
        lines.append(t("cm-mine-total", total=total))
    rate = await commissions.rate_of(services.rules.commissions, staff.id)
    lines.append(
        t("cm-mine-rule", paid=f"{rate.paid_bp / 100:g}", margin=f"{rate.margin_bp / 100:g}")
    )
    if allowed(staff, ADMINS):
        lines += ["", report_text(t, month, await commissions.report(services, month))]
    previous = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    grid: list[list[AnyButton]] = [
        [
            Button(
                t("cm-previous", month=f"{previous:%Y-%m}"), encode(COMMISSION, f"{previous:%Y-%m}")
            )
        ],
        [menu_button(t)],
    ]
    return Reply("\n".join(lines), rows(*grid))


def this_month(ctx: Context) -> date:
    return commissions.month_of(ctx.services, ctx.services.clock.now())


@command(router, "commission", roles=SALES)
async def commission_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    arg = incoming.command_args.strip()
    try:
        month = commissions.parse_month(arg) if arg else this_month(ctx)
    except InvalidInput as error:
        return [Reply(ctx.t(error.key), rows([menu_button(ctx.t)]))]
    return [await month_screen(ctx, month)]


@button(router, COMMISSION, roles=SALES)
async def commission_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    arg = payload.arg(0)
    try:
        month = commissions.parse_month(arg) if arg else this_month(ctx)
    except InvalidInput:
        raise NotFound("st-stale") from None
    return [await month_screen(ctx, month)]


@command(router, "commissionrule", roles=ADMINS)
async def rule_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    """``/commissionrule <staff id> <paid %> [<margin %>]``; without arguments: the rules."""
    admin = check(ctx.staff, ADMINS)
    t = ctx.t
    parts = incoming.command_args.split()
    if not parts:
        return [Reply(await rules_text(ctx), rows([menu_button(t)]))]
    try:
        if len(parts) not in (2, 3) or not parts[0].lstrip("#").isdigit():
            raise InvalidInput("cm-rule-usage")
        staff_id = int(parts[0].lstrip("#"))
        paid = commissions.parse_percent(parts[1])
        margin = commissions.parse_percent(parts[2]) if len(parts) == 3 else 0.0
        await commissions.set_rule(admin, staff_id, paid, margin)
    except (InvalidInput, NotFound) as error:
        return [Reply(t(error.key, **error.args_), rows([menu_button(t)]))]
    done = t("cm-rule-set", id=str(staff_id), paid=f"{paid:g}", margin=f"{margin:g}")
    return [Reply(join(done, await rules_text(ctx)), rows([menu_button(t)]))]


async def rules_text(ctx: Context) -> str:
    t = ctx.t
    lines = [t("cm-rules-title")]
    for member in await Staff.filter(active=True).order_by("id"):
        if not allowed(member, SALES):
            continue
        rate = await commissions.rate_of(ctx.services.rules.commissions, member.id)
        lines.append(
            t(
                "cm-rules-line",
                id=str(member.id),
                name=member.name,
                paid=f"{rate.paid_bp / 100:g}",
                margin=f"{rate.margin_bp / 100:g}",
            )
        )
    lines.append(t("cm-rule-usage"))
    return "\n".join(lines)


@command(router, "netprice", roles=SALES)
async def net_price_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    """``/netprice <order number> <amount>`` (``-`` clears it): the operator's price."""
    staff = check(ctx.staff, SALES)
    t = ctx.t
    parts = incoming.command_args.split(maxsplit=1)
    try:
        if len(parts) != 2:
            raise InvalidInput("cm-net-usage")
        order = await Order.get_or_none(number=parts[0].upper())
        if order is None:
            raise NotFound("st-order-not-found")
        net: int | None = None
        if parts[1].strip() != "-":
            net, currency = parse_price(parts[1], order.currency)
            if currency != order.currency:
                raise InvalidInput("cm-error-net")
        await commissions.set_net_price(staff, order, net)
    except (InvalidInput, NotFound) as error:
        return [Reply(t(error.key, **error.args_), rows([menu_button(t)]))]
    text = (
        t("cm-net-set", number=order.number, net=t.money(net, order.currency))
        if net is not None
        else t("cm-net-cleared", number=order.number)
    )
    return [Reply(text, rows([menu_button(t)]))]
