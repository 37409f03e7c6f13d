"""Orders at the staff desk: lists by status, one order's card, its status, payment links."""

from __future__ import annotations

from core import cancellation
from core.cancellation import MoneyChoice
from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.errors import InvalidInput, NotFound
from core.fiscal import receipts as fiscal
from core.i18n import T
from core.money import parse_amount
from core.payloads import Payload, encode
from core.payments.intents import share_amount
from core.staff import lookups, routes
from core.staff import orders as staff_orders
from core.staff import queries as q
from core.staff.paylinks import Delivery, Mode, send_link
from core.staff.roles import EVERYONE, SALES
from handlers.context import Context
from handlers.router import Router
from handlers.staff import cancel
from handlers.staff.common import (
    button,
    cancel_button,
    command,
    int_arg,
    join,
    log,
    menu_button,
    nav_row,
    page_arg,
    require,
    state,
    status_label,
)
from storage.models import Order, OrderStatus

router = Router("staff.orders")

LIST_FILTERS = ("active", *(s.value for s in OrderStatus))
ORDER_PROMPT = "staff.order"
PAY_SUM = "staff.paysum"


def order_line(t: T, order: Order) -> str:
    if order.status is OrderStatus.CANCELLED:  # nothing is left to pay on a cancelled order
        return t(
            "money-order-line-cancelled",
            number=order.number,
            destination=order.destination,
            client=order.client.display_name,
            status=status_label(t, order.status),
            price=t.money(order.price, order.currency),
        )
    return t(
        "st-order-line",
        number=order.number,
        destination=order.destination,
        client=order.client.display_name,
        status=status_label(t, order.status),
        price=t.money(order.price, order.currency),
        remaining=t.money(order.remaining, order.currency),
    )


def order_buttons(t: T, orders: list[Order]) -> list[list[AnyButton]]:
    return [
        [
            Button(
                t("st-open-order-line", number=o.number, destination=o.destination),
                encode(routes.ORDER, o.id),
            )
        ]
        for o in orders
    ]


def filter_rows(t: T) -> list[list[AnyButton]]:
    buttons: list[AnyButton] = [
        Button(t(f"st-filter-{name}"), encode(routes.ORDERS, name, 0)) for name in LIST_FILTERS
    ]
    return [buttons[:4], buttons[4:]]


async def orders_list(ctx: Context, status: OrderStatus | None, page: int) -> list[Reply]:
    t = ctx.t
    result = await q.orders(status, page)
    name = status.value if status is not None else "active"
    await log(ctx, "staff.orders.list", filter=name, page=result.page, shown=len(result.items))
    title = t("st-orders-title", filter=t(f"st-filter-{name}"), count=result.total)
    if not result.items:
        body = t("st-orders-empty")
    else:
        body = "\n\n".join(order_line(t, o) for o in result.items)
    note = t("st-page", page=result.page + 1, pages=result.pages) if result.pages > 1 else None
    grid = order_buttons(t, result.items)
    grid.append(nav_row(t, routes.ORDERS, result.page, result.has_prev, result.has_next, name))
    grid += filter_rows(t)
    grid.append([menu_button(t)])
    return [Reply(join(title, body, note), rows(*grid), edit=True)]


@command(router, "orders", roles=EVERYONE)
async def orders_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    return await orders_list(ctx, q.parse_status(incoming.command_args), 0)


@button(router, routes.ORDERS, roles=EVERYONE)
async def orders_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    name = payload.arg(0, "active")
    if name not in LIST_FILTERS:
        raise NotFound("st-stale")
    return await orders_list(ctx, q.parse_status(name), page_arg(payload, 1))


# ---- one order --------------------------------------------------------------------------------


def money_lines(ctx: Context, order: Order, outcome: cancellation.MoneyOutcome | None) -> list[str]:
    """Price, paid and what is left; for a cancelled order, where its money went instead."""
    t = ctx.t
    if order.status is OrderStatus.CANCELLED:
        price = t("money-card-cancelled", price=t.money(order.price, order.currency))
        if outcome is None:
            return [price]
        return [price, *cancellation.outcome_lines(t, outcome, staff=True)]
    return [
        t(
            "st-order-card-money",
            price=t.money(order.price, order.currency),
            paid=t.money(order.paid, order.currency),
            remaining=t.money(order.remaining, order.currency),
        )
    ]


def due_line(ctx: Context, order: Order) -> str:
    """When to pay by and the prepayment share; without a due date, only the share."""
    percent = order.prepayment_percent or ctx.services.rules.payments.prepayment_percent
    if order.due_date is None:
        return ctx.t("st-order-card-prepay", percent=percent)
    return ctx.t("st-order-card-due", due=ctx.t.date(order.due_date), percent=percent)


def card_text(ctx: Context, order: Order, outcome: cancellation.MoneyOutcome | None = None) -> str:
    t = ctx.t
    client = order.client
    lines = [
        t("st-order-card-title", number=order.number, destination=order.destination),
        t(
            "st-order-card-client",
            name=client.display_name,
            phone=client.phone or "—",
            id=str(client.id),
        ),
        t("st-order-card-status", status=status_label(t, order.status)),
        t(
            "st-order-card-dates",
            dates=staff_orders.dates_text(t, order.departure_date, order.return_date),
        ),
        *money_lines(ctx, order, outcome),
        due_line(ctx, order),
        t("st-order-card-manager", manager=order.manager.name if order.manager else "—"),
    ]
    if order.supplier:
        lines.append(t("offer-order-supplier", supplier=order.supplier))
    if order.net_price is not None:  # set with /netprice; a manager's margin commission
        lines.append(t("cm-order-net", net=t.money(order.net_price, order.currency)))
    return "\n".join(lines)


def card_buttons(ctx: Context, order: Order) -> list[list[AnyButton]]:
    t = ctx.t
    grid: list[list[AnyButton]] = []
    if order.remaining > 0 and order.status in (OrderStatus.BOOKED, OrderStatus.CONFIRMED):
        percent = ctx.services.rules.payments.prepayment_percent
        pre = share_amount(order, "prepayment", percent)
        grid.append(
            [
                Button(
                    t("st-pay-remaining", amount=t.money(order.remaining, order.currency)),
                    encode(routes.PAY_LINK, order.id, Mode.REMAINING.value),
                )
            ]
        )
        if 0 < pre < order.remaining:
            grid.append(
                [
                    Button(
                        t("st-pay-prepayment", amount=t.money(pre, order.currency)),
                        encode(routes.PAY_LINK, order.id, Mode.PREPAYMENT.value),
                    )
                ]
            )
        grid.append(
            [Button(t("st-pay-amount"), encode(routes.PAY_LINK, order.id, Mode.AMOUNT.value))]
        )
    if staff_orders.targets(order):
        grid.append([Button(t("st-change-status"), encode(routes.STATUS, order.id))])
    grid.append(
        [Button(t("st-open-client"), encode(routes.CLIENT, order.client_id)), menu_button(t)]
    )
    return grid


async def show_order(ctx: Context, order: Order, *, note: str | None = None) -> list[Reply]:
    staff = require(ctx)
    await lookups.record(
        ctx.services, staff, lookups.ORDER_VIEW, order.client_id, {"order": order.number}
    )
    outcome = None
    if order.status is OrderStatus.CANCELLED:
        outcome = await cancellation.outcome(order)
    text = card_text(ctx, order, outcome) + fiscal.card_lines(
        ctx.t, await fiscal.of_order(order.id)
    )
    return [Reply(f"{note}\n\n{text}" if note else text, rows(*card_buttons(ctx, order)))]


async def load_order(order_id: int) -> Order:
    order = await q.order_by_id(order_id)
    if order is None:
        raise NotFound("st-order-not-found")
    return order


@button(router, routes.ORDER, roles=EVERYONE)
async def order_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    return await show_order(ctx, await load_order(int_arg(payload, 0)))


async def order_by_text(ctx: Context, text: str) -> list[Reply]:
    order = await q.order_by_number(text)
    if order is None:
        await log(ctx, "staff.order.search", query=text, found=0)
        ctx.state.goto(ORDER_PROMPT)
        return [
            Reply(ctx.t("st-order-not-found-number", number=text), rows([cancel_button(ctx.t)]))
        ]
    ctx.state.reset()
    return await show_order(ctx, order)


@command(router, "order", roles=EVERYONE)
async def order_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    if incoming.command_args:
        return await order_by_text(ctx, incoming.command_args)
    ctx.state.goto(ORDER_PROMPT)
    return [Reply(ctx.t("st-order-ask-number"), rows([cancel_button(ctx.t)]))]


@state(router, ORDER_PROMPT, roles=EVERYONE)
async def order_number_typed(ctx: Context, incoming: Incoming) -> list[Reply]:
    if incoming.kind is not Kind.TEXT or not (incoming.text or "").strip():
        return [Reply(ctx.t("st-order-ask-number"), rows([cancel_button(ctx.t)]))]
    return await order_by_text(ctx, (incoming.text or "").strip())


# ---- status -----------------------------------------------------------------------------------


@button(router, routes.STATUS, roles=SALES)
async def status_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    staff = require(ctx, *SALES)
    order = await load_order(int_arg(payload, 0))
    wanted = payload.arg(1)
    t = ctx.t
    if not wanted:
        choices = [
            Button(status_label(t, s), encode(routes.STATUS, order.id, s.value))
            for s in staff_orders.targets(order)
        ]
        if not choices:
            raise InvalidInput("st-status-not-allowed", number=order.number)
        text = t("st-status-ask", number=order.number, status=status_label(t, order.status))
        back = Button(t("st-back-to-order"), encode(routes.ORDER, order.id))
        return [Reply(text, rows(choices, [back]), edit=True)]
    try:
        target = OrderStatus(wanted)
    except ValueError:
        raise NotFound("st-stale") from None
    if target is OrderStatus.CANCELLED:
        if target not in staff_orders.targets(order):
            raise InvalidInput("st-status-not-allowed", number=order.number)
        return await cancel.confirm(ctx, order)  # it says what happens to the money first
    changed = await staff_orders.change_status(ctx.services, staff, order.id, target)
    key = "st-status-changed-told" if target in staff_orders.TOLD else "st-status-changed"
    note = t(key, number=changed.number, status=status_label(t, target))
    return await show_order(ctx, await load_order(order.id), note=note)


# ---- payment links ----------------------------------------------------------------------------


async def link_sent(ctx: Context, order_id: int, mode: Mode, amount: int | None) -> list[Reply]:
    staff = require(ctx, *EVERYONE)
    sent = await send_link(ctx.services, staff, order_id, mode, amount)
    t = ctx.t
    args = {"amount": t.money(sent.intent.amount, sent.intent.currency), "url": sent.url}
    key = {
        Delivery.SENT: "st-pay-link-sent",
        Delivery.ALREADY: "st-pay-link-already",
        Delivery.UNREACHABLE: "st-pay-link-unreachable",
    }[sent.delivery]
    back = Button(t("st-back-to-order"), encode(routes.ORDER, order_id))
    return [Reply(t(key, **args), rows([back, menu_button(t)]))]


@button(router, routes.PAY_LINK, roles=EVERYONE)
async def pay_link_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    order = await load_order(int_arg(payload, 0))
    try:
        mode = Mode(payload.arg(1))
    except ValueError:
        raise NotFound("st-stale") from None
    if mode is Mode.AMOUNT:
        ctx.state.goto(PAY_SUM, order_id=order.id)
        text = ctx.t(
            "st-pay-ask-amount",
            number=order.number,
            remaining=ctx.t.money(order.remaining, order.currency),
        )
        return [Reply(text, rows([cancel_button(ctx.t)]))]
    return await link_sent(ctx, order.id, mode, None)


@state(router, PAY_SUM, roles=EVERYONE)
async def pay_amount_typed(ctx: Context, incoming: Incoming) -> list[Reply]:
    order = await load_order(int(ctx.state.data.get("order_id") or 0))
    try:
        amount = parse_amount(incoming.text or "", order.currency)
    except InvalidInput as error:
        return [Reply(ctx.t(error.key), rows([cancel_button(ctx.t)]))]
    if amount > order.remaining:
        text = ctx.t("st-pay-too-much", remaining=ctx.t.money(order.remaining, order.currency))
        return [Reply(text, rows([cancel_button(ctx.t)]))]
    ctx.state.reset()
    return await link_sent(ctx, order.id, Mode.AMOUNT, amount)


@button(router, routes.CANCEL_ORDER, roles=SALES)
async def cancel_order(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    staff = require(ctx, *SALES)
    order = await load_order(int_arg(payload, 0))
    try:
        choice = MoneyChoice(payload.arg(1))
    except ValueError:
        raise NotFound("st-stale") from None
    seen = int_arg(payload, 2)
    try:
        done = await cancellation.cancel_order(
            ctx.services, staff, order.id, choice, expected_paid=seen
        )
    except InvalidInput as error:
        if error.key not in ("money-changed", "money-refund-unavailable"):
            raise
        note = ctx.t(error.key, **error.args_)
        return await cancel.confirm(ctx, await load_order(order.id), note=note)
    t = ctx.t
    note = "\n".join(
        [
            t("st-status-changed-told", number=order.number, status=t("st-status-cancelled")),
            *cancellation.staff_lines(t, done),
        ]
    )
    return await show_order(ctx, await load_order(order.id), note=note)
