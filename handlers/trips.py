"""My trips: the client's orders (newest first, five per page) and one order's card."""

from __future__ import annotations

from core.cancellation import MoneyOutcome, outcome_lines
from core.cancellation import outcome as money_outcome
from core.contract import AnyButton, Button, Incoming, Reply, column, rows
from core.errors import NotFound
from core.i18n import T
from core.open_requests import open_requests, requests_block
from core.orders import client_order, client_orders, payable
from core.payloads import Payload, PayloadError, encode
from handlers.context import Context
from handlers.router import Router
from handlers.screens import phone_request
from storage.models import Order, OrderStatus

router = Router()

STATUS_KEYS = {
    OrderStatus.DRAFT: "trip-status-draft",
    OrderStatus.BOOKED: "trip-status-booked",
    OrderStatus.CONFIRMED: "trip-status-confirmed",
    OrderStatus.PAID: "trip-status-paid",
    OrderStatus.COMPLETED: "trip-status-completed",
    OrderStatus.CANCELLED: "trip-status-cancelled",
}


def status_label(t: T, order: Order) -> str:
    return t(STATUS_KEYS[OrderStatus(order.status)])


def dates_label(t: T, order: Order) -> str:
    if order.departure_date and order.return_date:
        return t("trip-dates", start=t.date(order.departure_date), end=t.date(order.return_date))
    if order.departure_date:
        return t("trip-departs", date=t.date(order.departure_date))
    return t("trip-dates-unknown")


def money_lines(t: T, order: Order, outcome: MoneyOutcome | None = None) -> list[str]:
    if order.status is OrderStatus.CANCELLED:  # no "left to pay": where the money went
        price = t("money-trip-cancelled", price=t.money(order.price, order.currency))
        return [price, *(outcome_lines(t, outcome, staff=False) if outcome else [])]
    lines = [
        t(
            "trip-money",
            price=t.money(order.price, order.currency),
            paid=t.money(order.paid, order.currency),
        )
    ]
    if order.remaining > 0 and order.status not in (OrderStatus.CANCELLED, OrderStatus.DRAFT):
        remaining = t.money(order.remaining, order.currency)
        if order.due_date is None:  # no "by —": the clause is left out
            lines.append(t("trip-remaining-nodue", remaining=remaining))
        else:
            lines.append(t("trip-remaining", remaining=remaining, due=t.date(order.due_date)))
    return lines


def order_block(t: T, order: Order) -> str:
    head = t(
        "trip-line",
        number=order.number,
        destination=order.destination,
        status=status_label(t, order),
    )
    return "\n".join([head, dates_label(t, order), *money_lines(t, order)])


async def trips_page(ctx: Context, page: int, *, edit: bool = True) -> Reply:
    assert ctx.client is not None
    t = ctx.t
    result = await client_orders(ctx.client.id, page)
    # open tour requests (and their status) above the orders, on the first page
    requests = await open_requests(ctx.client.id) if result.page == 0 else []
    head = [requests_block(t, requests)] if requests else []
    if result.total == 0:
        return Reply(
            "\n\n".join([*head, t("trips-no-orders")]) if head else t("trips-empty"),
            column(
                Button(t("trips-find-tour"), encode("tour")),
                Button(t("button-back"), encode("menu")),
            ),
            edit=edit,
        )
    parts = [*head, t("trips-title", count=result.total)]
    parts += [order_block(t, o) for o in result.items]
    if result.pages > 1:
        parts.append(t("trips-page", page=result.page + 1, pages=result.pages))
    open_buttons: list[AnyButton] = [
        Button(t("trips-open", number=o.number, destination=o.destination), encode("trip", o.id))
        for o in result.items
    ]
    nav: list[AnyButton] = []
    if result.has_prev:
        nav.append(Button(t("trips-prev"), encode("trips", result.page - 1)))
    if result.has_next:
        nav.append(Button(t("trips-next"), encode("trips", result.page + 1)))
    grid = [[b] for b in open_buttons]
    return Reply(
        "\n\n".join(parts),
        rows(*grid, nav, [Button(t("button-back"), encode("menu"))]),
        edit=edit,
    )


def order_card(ctx: Context, order: Order, outcome: MoneyOutcome | None = None) -> Reply:
    t = ctx.t
    lines = [
        t("trip-card-title", number=order.number, destination=order.destination),
        t("trip-card-status", status=status_label(t, order)),
        dates_label(t, order),
        *money_lines(t, order, outcome),
    ]
    buttons: list[list[AnyButton]] = []
    if payable(order):
        buttons.append([Button(t("trip-pay"), encode("pay", order.id))])
    buttons.append(
        [
            Button(t("trip-back-to-list"), encode("trips")),
            Button(t("trip-menu"), encode("menu")),
        ]
    )
    return Reply("\n".join(lines), rows(*buttons), edit=True)


def _need_phone(ctx: Context) -> list[Reply]:
    ctx.state.goto("identify.phone", after="trips")
    return [Reply(ctx.t("trips-phone-first")), phone_request(ctx)]


@router.after_phone("trips")
async def show_trips(ctx: Context) -> list[Reply]:
    return [await trips_page(ctx, 0, edit=False)]


@router.button("trips")
async def trips(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    ctx.state.reset()
    page = payload.arg(0, "0")
    return [await trips_page(ctx, int(page) if page.isdigit() else 0)]


@router.button("trip")
async def trip(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    try:
        order_id = payload.int_arg(0)
    except PayloadError:
        raise NotFound("trip-not-found") from None
    order = await client_order(ctx.client.id, order_id)  # NotFound for anyone else's order
    outcome = await money_outcome(order) if order.status is OrderStatus.CANCELLED else None
    return [order_card(ctx, order, outcome)]
