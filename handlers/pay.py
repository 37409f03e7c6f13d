"""Paying an order: remaining amount, the prepayment share, or from the balance.

Every action re-checks that the order belongs to the client pressing the button: a payload is
only a hint, never an authority.
"""

from __future__ import annotations

from core import ledger
from core.contract import Button, Incoming, LinkButton, Reply, rows
from core.loyalty import hooks as loyalty
from core.loyalty import spending
from core.payloads import Payload, encode
from core.payments import notices
from core.payments.intents import Share, create_order_intent, pay_link, share_amount
from core.webhooks import events as webhook_events
from handlers.context import Context
from handlers.identity import phone_request
from handlers.router import Router
from storage.models import Order, PaymentIntent

router = Router()


def _percent(ctx: Context, order: Order) -> int:
    return order.prepayment_percent or ctx.services.rules.payments.prepayment_percent


async def own_order(ctx: Context, payload: Payload, index: int = 0) -> Order | None:
    """The order named by the payload if it is this client's; None otherwise (forged, gone)."""
    if ctx.client is None:
        return None
    try:
        order_id = int(payload.arg(index))
    except ValueError:
        return None
    return await Order.get_or_none(id=order_id, client_id=ctx.client.id)


def refused(ctx: Context, key: str = "pay-order-not-found", **args: object) -> list[Reply]:
    return [Reply(ctx.t(key, **args), rows([Button(ctx.t("button-back"), encode("menu"))]))]


def order_summary(ctx: Context, order: Order) -> list[str]:
    t = ctx.t
    money = lambda amount: t.money(amount, order.currency)  # noqa: E731
    lines = [
        t("pay-order-title", number=order.number, destination=order.destination),
        t("pay-order-price", price=money(order.price)),
        t("pay-order-paid", paid=money(order.paid)),
        t("pay-order-remaining", remaining=money(order.remaining)),
    ]
    if order.due_date is not None:
        lines.append(t("pay-order-due", due=t.date(order.due_date)))
    return lines


def link_reply(ctx: Context, intent: PaymentIntent, back: str) -> Reply:
    t = ctx.t
    amount = t.money(intent.amount, intent.currency)
    deadline = notices.when(ctx.services, t, intent.expires_at)
    return Reply(
        t("pay-link-ready", amount=amount, deadline=deadline),
        rows(
            [
                LinkButton(
                    t("pay-button-open", amount=amount), pay_link(ctx.services.settings, intent)
                )
            ],
            [Button(t("button-back"), back)],
        ),
    )


async def pay_screen(ctx: Context, order: Order) -> list[Reply]:
    t = ctx.t
    if order.status not in ledger.PAYABLE or order.remaining <= 0:
        return refused(ctx, "pay-nothing-due" if order.remaining <= 0 else "pay-order-closed")
    money = lambda amount: t.money(amount, order.currency)  # noqa: E731
    buttons: list[list[Button | LinkButton]] = [
        [
            Button(
                t("pay-button-remaining", amount=money(order.remaining)),
                encode("payo", order.id, "full"),
            )
        ]
    ]
    prepay = share_amount(order, "prepayment", _percent(ctx, order))
    if order.paid == 0 and 0 < prepay < order.remaining:
        buttons.append(
            [
                Button(
                    t("pay-button-prepay", percent=_percent(ctx, order), amount=money(prepay)),
                    encode("payo", order.id, "pre"),
                )
            ]
        )
    assert ctx.client is not None
    available = await ledger.balance(ctx.client.id, order.currency)
    if available >= order.remaining:
        buttons.append(
            [Button(t("pay-button-balance", balance=money(available)), encode("paybal", order.id))]
        )
    quote = await spending.quote(ctx.services, ctx.client.id, order)
    if quote is not None:
        label = t("loyalty-button-pay", points=quote.points, value=money(quote.value))
        buttons.append([Button(label, encode("payp", order.id))])
    buttons.append([Button(t("button-back"), encode("trips"))])
    text = "\n".join([*order_summary(ctx, order), "", t("pay-choose")])
    return [Reply(text, rows(*buttons), edit=True)]


@router.button("pay")
async def open_pay(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        ctx.state.goto("identify.phone", after="menu")
        return [Reply(ctx.t("phone-needed")), phone_request(ctx)]
    order = await own_order(ctx, payload)
    if order is None:
        return refused(ctx)
    return await pay_screen(ctx, order)


@router.button("payo")
async def make_link(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    order = await own_order(ctx, payload)
    if order is None:
        return refused(ctx)
    if order.status not in ledger.PAYABLE or order.remaining <= 0:
        return await pay_screen(ctx, order)
    share: Share = "prepayment" if payload.arg(1) == "pre" else "remaining"
    intent = await create_order_intent(ctx.services, order, share=share)
    return [link_reply(ctx, intent, encode("pay", order.id))]


def _from_balance(available: int, order: Order) -> int:
    return max(min(available, order.remaining), 0)


@router.button("paybal")
async def pay_from_balance(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    order = await own_order(ctx, payload)
    if order is None or ctx.client is None:
        return refused(ctx)
    t = ctx.t
    if order.status not in ledger.PAYABLE or order.remaining <= 0:
        return await pay_screen(ctx, order)
    available = await ledger.balance(ctx.client.id, order.currency)
    amount = _from_balance(available, order)
    if amount <= 0:
        return refused(ctx, "balpay-insufficient")
    confirmed = payload.arg(1)
    if confirmed != str(amount):  # first press, or the numbers moved since the question
        return [
            Reply(
                t(
                    "balpay-confirm",
                    amount=t.money(amount, order.currency),
                    number=order.number,
                    balance=t.money(available, order.currency),
                ),
                rows(
                    [Button(t("balpay-yes"), encode("paybal", order.id, amount))],
                    [Button(t("button-back"), encode("pay", order.id))],
                ),
                edit=True,
            )
        ]
    percent = ctx.services.rules.payments.prepayment_percent
    settled = await ledger.pay_order_from_balance(
        ctx.client.id, order.id, amount, default_percent=percent
    )
    await webhook_events.order_status_changed(
        ctx.services, settled.order, order.status, settled.entry.reference
    )
    client = ctx.client
    await loyalty.after_balance_payment(ctx.services, client.id, order.id)
    await notices.tell_staff(
        ctx.services,
        notices.staff_text(
            "pay-staff-balance-used",
            amount=(amount, order.currency),
            client=client.display_name,
            number=order.number,
        ),
        kind="payment-received",
        dedupe_key=f"pay:{settled.entry.reference}:staff",
        details={
            "amount": amount,
            "currency": order.currency,
            "provider": "balance",
            "order": order.number,
            "client": client.id,
        },
    )
    left = settled.order
    lines = [t("balpay-done", amount=t.money(amount, left.currency), number=left.number)]
    lines += notices.order_lines(ctx.services, t, left)
    buttons = [[Button(t("button-back"), encode("menu"))]]
    if left.remaining > 0:
        buttons.insert(0, [Button(t("pay-button-pay-rest"), encode("pay", left.id))])
    return [Reply("\n".join(lines), rows(*buttons))]
