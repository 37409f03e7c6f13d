"""Lists at the staff desk: debtors, tour requests (new and mine), and today."""

from __future__ import annotations

from core.clients import mask_phone
from core.contract import AnyButton, Button, Incoming, Reply, rows
from core.errors import NotFound
from core.payloads import Payload, encode
from core.staff import queries as q
from core.staff import routes
from core.staff.roles import EVERYONE, SALES
from core.tour_requests import destination_label
from handlers.context import Context
from handlers.router import Router
from handlers.staff.common import (
    button,
    command,
    join,
    local_dt,
    log,
    menu_button,
    nav_row,
    page_arg,
    page_note,
    require,
    status_label,
)
from handlers.staff.orders import order_buttons
from storage.models import TourRequest

router = Router("staff.lists")

# ---- debtors ----------------------------------------------------------------------------------


async def debtors(ctx: Context, page: int) -> list[Reply]:
    t = ctx.t
    result = await q.debtors(page)
    items = result.page
    await log(ctx, "staff.debtors", page=items.page, shown=len(items.items))
    if not items.items:
        return [Reply(t("st-debtors-empty"), rows([menu_button(t)]), edit=True)]
    day = ctx.services.clock.now().astimezone(ctx.services.rules.agency.tz).date()
    lines = [t("st-debtors-title", count=items.total)]
    for order in items.items:
        overdue = order.due_date is not None and order.due_date < day
        key = "st-debtor-line-overdue" if overdue else "st-debtor-line"
        lines.append(
            t(
                key if order.due_date is not None else "st-debtor-line-nodue",
                number=order.number,
                client=order.client.display_name,
                remaining=t.money(order.remaining, order.currency),
                due=t.date(order.due_date),
                status=status_label(t, order.status),
            )
        )
    totals = ", ".join(t.money(v, c) for c, v in result.totals.items())
    lines.append(t("st-debtors-total", total=totals))
    grid = order_buttons(t, items.items)
    grid.append(nav_row(t, routes.DEBTORS, items.page, items.has_prev, items.has_next))
    grid.append([menu_button(t)])
    return [
        Reply(join("\n".join(lines), page_note(t, items.page, items.pages)), rows(*grid), edit=True)
    ]


@command(router, "debtors", roles=EVERYONE)
async def debtors_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    return await debtors(ctx, 0)


@button(router, routes.DEBTORS, roles=EVERYONE)
async def debtors_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    return await debtors(ctx, page_arg(payload, 0))


# ---- tour requests ----------------------------------------------------------------------------


def request_line(ctx: Context, request: TourRequest) -> str:
    t = ctx.t
    return t(
        "st-request-line",
        number=request.number,
        destination=destination_label(t, request.destination),
        client=request.client.display_name,
        phone=mask_phone(request.client.phone),
        created=local_dt(ctx, request.created_at),
    )


async def requests(ctx: Context, kind: str, page: int) -> list[Reply]:
    staff = require(ctx, *SALES)
    t = ctx.t
    if kind == "new":
        result = await q.new_requests(page)
    elif kind == "mine":
        result = await q.my_requests(staff, page)
    else:
        raise NotFound("st-stale")
    await log(ctx, "staff.requests", kind=kind, page=result.page, shown=len(result.items))
    title = t(f"st-requests-{kind}-title", count=result.total)
    if not result.items:
        return [Reply(join(title, t("st-requests-empty")), rows([menu_button(t)]), edit=True)]
    grid: list[list[AnyButton]] = []
    for request in result.items:
        row: list[AnyButton] = []
        if kind == "new":
            row.append(
                Button(t("st-request-take", number=request.number), encode("take", request.id))
            )
        row.append(
            Button(
                t("st-open-client-line", name=request.client.display_name or request.number),
                encode(routes.CLIENT, request.client_id),
            )
        )
        row.append(
            Button(
                t("offer-request-button", number=request.number), encode(routes.REQUEST, request.id)
            )
        )
        grid.append(row)
    grid.append(nav_row(t, routes.REQUESTS, result.page, result.has_prev, result.has_next, kind))
    grid.append([menu_button(t)])
    body = "\n\n".join(request_line(ctx, r) for r in result.items)
    return [
        Reply(join(title, body, page_note(t, result.page, result.pages)), rows(*grid), edit=True)
    ]


@command(router, "requests", roles=SALES)
async def requests_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    return await requests(ctx, "new", 0)


@command(router, "myrequests", roles=SALES)
async def my_requests_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    return await requests(ctx, "mine", 0)


@button(router, routes.REQUESTS, roles=SALES)
async def requests_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    return await requests(ctx, payload.arg(0, "new"), page_arg(payload, 1))


# ---- today ------------------------------------------------------------------------------------


async def today(ctx: Context) -> list[Reply]:
    staff = require(ctx)
    t = ctx.t
    day = await q.today(ctx.services.rules, ctx.services.clock.now(), staff)
    await log(
        ctx,
        "staff.today",
        departures=len(day.departures),
        due=len(day.due),
        follow_ups=len(day.follow_ups),
    )
    lines = [t("st-today-title", date=t.date(day.day)), "", t("st-today-departures")]
    lines += [
        t(
            "st-today-departure",
            number=o.number,
            destination=o.destination,
            client=o.client.display_name,
        )
        for o in day.departures
    ] or [t("st-today-none")]
    lines += ["", t("st-today-due")]
    lines += [
        t(
            "st-today-due-line",
            number=o.number,
            client=o.client.display_name,
            remaining=t.money(o.remaining, o.currency),
        )
        for o in day.due
    ] or [t("st-today-none")]
    if day.overdue:
        lines.append(t("st-today-overdue", count=day.overdue))
    lines += ["", t("st-today-follow-ups")]
    lines += [
        t(
            "st-today-follow-up",
            time=t.time(f.due_at, ctx.services.rules.agency.tz),
            client=f.client.display_name or "—",
            note=f.note or "—",
            staff=f.staff.name,
        )
        for f in day.follow_ups
    ] or [t("st-today-none")]
    grid: list[list[AnyButton]] = order_buttons(t, [*day.departures, *day.due])
    grid += [
        [
            Button(
                t("st-open-client-line", name=f.client.display_name or str(f.client_id)),
                encode(routes.CLIENT, f.client_id),
            )
        ]
        for f in day.follow_ups
    ]
    grid.append([menu_button(t)])
    return [Reply("\n".join(lines), rows(*grid), edit=True)]


@command(router, "today", roles=EVERYONE)
async def today_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    return await today(ctx)


@button(router, routes.TODAY, roles=EVERYONE)
async def today_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    return await today(ctx)
