"""``/orders``: create, update, change status (the client is told as when staff do it in chat),
search, read one; ``/orders/{id}/payment-links``: a link to pay it; ``/orders/{id}/receipts``:
its fiscal receipts (Checkbox)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from bots.api.pagination import Page, PageQuery, page_of
from bots.api.routing import Call, RouteTable
from bots.api.schemas import STRICT, Id
from core.errors import InvalidField, NotFound
from core.fiscal import receipts as fiscal
from core.order_records import PRICE_MAX, draft_of, manager_of, update_order
from core.staff.orders import change_status, create_order
from core.staff.paylinks import Mode, send_link
from storage.models import FiscalReceipt, FiscalStatus, Order, OrderStatus

routes = RouteTable("orders")

Currency = Literal["UAH", "USD", "EUR"]
MINOR = "minor units (kopecks, cents)"


class OrderIn(BaseModel):
    model_config = STRICT
    client_id: Id
    destination: str = Field(min_length=2, max_length=128)
    departure_date: date
    return_date: date | None = None
    price: int = Field(ge=1, le=PRICE_MAX, description=MINOR)
    currency: Currency | None = Field(None, description="default: the agency's currency")
    due_date: date | None = Field(None, description="when the rest is due")
    prepayment_percent: int | None = Field(None, ge=1, le=100)
    manager_id: Id | None = Field(None, description="default: none (the client's manager)")


class OrderPatch(BaseModel):
    """Only the fields sent are changed; the status has its own operation."""

    model_config = STRICT
    destination: str | None = Field(None, min_length=2, max_length=128)
    departure_date: date | None = None
    return_date: date | None = None
    price: int | None = Field(None, ge=1, le=PRICE_MAX, description=MINOR)
    due_date: date | None = None
    prepayment_percent: int | None = Field(None, ge=1, le=100)
    manager_id: Id | None = None


class StatusIn(BaseModel):
    model_config = STRICT
    status: Literal["booked", "confirmed", "completed", "cancelled"] = Field(
        description="paid is set by payments; a cancelled order's money stays on the balance"
    )


class OrderOut(BaseModel):
    id: int
    number: str
    client_id: int
    manager_id: int | None
    tour_request_id: int | None
    destination: str
    country: str | None
    departure_date: date | None
    return_date: date | None
    price: int
    paid: int
    remaining: int
    currency: str
    due_date: date | None
    prepayment_percent: int | None
    status: OrderStatus
    created_at: datetime
    updated_at: datetime


class OrderCreated(OrderOut):
    client_notified: bool = Field(description="the client has a messenger we could write to")


class OrderSearch(PageQuery):
    client_id: Id | None = None
    status: OrderStatus | None = None
    number: str | None = Field(None, max_length=16)


class LinkIn(BaseModel):
    model_config = STRICT
    mode: Literal["remaining", "prepayment", "amount"] = "remaining"
    amount: int | None = Field(
        None, ge=1, le=PRICE_MAX, description="minor units; with mode=amount"
    )
    notify: bool = Field(True, description="also send the link to the client's messenger")


class LinkOut(BaseModel):
    payment_id: int
    url: str
    amount: int
    currency: str
    expires_at: datetime
    delivery: Literal["sent", "already", "unreachable", "not_sent"]


class ReceiptOut(BaseModel):
    """A fiscal receipt (PRRO) made for a payment (sell) or a refund (return) of the order."""

    reference: str = Field(description="the ledger entry it fiscalises")
    is_return: bool
    amount: int = Field(description=MINOR)
    currency: str
    status: FiscalStatus = Field(description="pending until fiscalised; failed: staff were told")
    fiscal_code: str | None
    url: str | None = Field(description="the receipt to open, once it is done")
    created_at: datetime
    done_at: datetime | None


class Receipts(BaseModel):
    items: list[ReceiptOut]


def receipt_out(call: Call, receipt: FiscalReceipt) -> ReceiptOut:
    return ReceiptOut(
        reference=receipt.reference,
        is_return=receipt.is_return,
        amount=receipt.amount,
        currency=receipt.currency,
        status=FiscalStatus(receipt.status),
        fiscal_code=receipt.fiscal_code,
        url=fiscal.link_of(call.services, receipt),
        created_at=receipt.created_at,
        done_at=receipt.done_at,
    )


def order_out(order: Order) -> OrderOut:
    return OrderOut(
        id=order.id,
        number=order.number,
        client_id=order.client_id,
        manager_id=order.manager_id,
        tour_request_id=order.tour_request_id,
        destination=order.destination,
        country=order.country,
        departure_date=order.departure_date,
        return_date=order.return_date,
        price=order.price,
        paid=order.paid,
        remaining=order.remaining,
        currency=order.currency,
        due_date=order.due_date,
        prepayment_percent=order.prepayment_percent,
        status=OrderStatus(order.status),
        created_at=order.created_at,
        updated_at=order.updated_at,
    )


async def _order(order_id: int) -> Order:
    order = await Order.get_or_none(id=order_id)
    if order is None:
        raise NotFound("st-order-not-found")
    return order


@routes.get(
    "/orders",
    scope="orders:read",
    summary="Orders, by client, status or number",
    query=OrderSearch,
    response=Page[OrderOut],
)
async def list_orders(call: Call, query: OrderSearch) -> Page[OrderOut]:
    found = Order.all()
    if query.client_id is not None:
        found = found.filter(client_id=query.client_id)
    if query.status is not None:
        found = found.filter(status=query.status)
    if query.number:
        found = found.filter(number__iexact=query.number.strip())
    return await page_of(found, query, order_out)


@routes.post(
    "/orders",
    scope="orders:write",
    summary="Create a booked order; the client is told in their messenger",
    body=OrderIn,
    response=OrderCreated,
    status=201,
)
async def create(call: Call, body: OrderIn) -> OrderCreated:
    draft = draft_of(call.services, body.client_id, body.model_dump(exclude_none=True))
    manager = await manager_of(body.manager_id)
    order, told = await create_order(call.services, call.actor, draft, manager=manager)
    return OrderCreated(**order_out(order).model_dump(), client_notified=told)


@routes.get("/orders/{order_id}", scope="orders:read", summary="One order", response=OrderOut)
async def get_order(call: Call, order_id: int) -> OrderOut:
    return order_out(await _order(order_id))


@routes.get(
    "/orders/{order_id}/receipts",
    scope="payments:read",
    summary="The order's fiscal receipts: sells for payments, returns for refunds",
    response=Receipts,
)
async def list_receipts(call: Call, order_id: int) -> Receipts:
    await _order(order_id)
    return Receipts(items=[receipt_out(call, r) for r in await fiscal.of_order(order_id)])


@routes.patch(
    "/orders/{order_id}",
    scope="orders:write",
    summary="Change some fields of an open order",
    body=OrderPatch,
    response=OrderOut,
    problems=(409,),
)
async def update(call: Call, order_id: int, body: OrderPatch) -> OrderOut:
    changes = body.model_dump(exclude_unset=True)
    return order_out(await update_order(call.services, call.actor, order_id, changes))


@routes.post(
    "/orders/{order_id}/status",
    scope="orders:write",
    summary="Move the order to another status; the client is told as when staff do it",
    body=StatusIn,
    response=OrderOut,
)
async def set_status(call: Call, order_id: int, body: StatusIn) -> OrderOut:
    await _order(order_id)
    changed = await change_status(call.services, call.actor, order_id, OrderStatus(body.status))
    return order_out(await _order(changed.id))


@routes.post(
    "/orders/{order_id}/payment-links",
    scope="payments:write",
    summary="A link to pay the order (what is left, the prepayment, or an amount)",
    body=LinkIn,
    response=LinkOut,
    status=201,
)
async def create_link(call: Call, order_id: int, body: LinkIn) -> LinkOut:
    if body.mode == "amount" and body.amount is None:
        raise InvalidField("error-amount", field="amount")
    mode = {"remaining": Mode.REMAINING, "prepayment": Mode.PREPAYMENT, "amount": Mode.AMOUNT}
    sent = await send_link(
        call.services,
        call.actor,
        order_id,
        mode[body.mode],
        body.amount,
        notify=body.notify,
    )
    return LinkOut(
        payment_id=sent.intent.id,
        url=sent.url,
        amount=sent.intent.amount,
        currency=sent.intent.currency,
        expires_at=sent.intent.expires_at,
        delivery=sent.delivery.value,
    )
