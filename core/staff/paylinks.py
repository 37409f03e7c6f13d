"""Staff send a client a link to pay an order (what is left, the prepayment, or an amount).

The intent comes from the payments module (:func:`core.payments.intents.create_order_intent`);
this only words the message and sends it through the client's messenger.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core import fallback
from core.audit import Actor, audit_at
from core.contract import LinkButton, Reply, rows
from core.errors import NotFound
from core.payments.intents import create_order_intent, pay_link
from core.services import Services
from core.staff.followups import local_text
from storage.models import Client, Order, PaymentIntent, Staff


class Mode(StrEnum):
    REMAINING = "rest"
    PREPAYMENT = "pre"
    AMOUNT = "sum"


class Delivery(StrEnum):
    SENT = "sent"
    ALREADY = "already"  # the same live link was sent before
    UNREACHABLE = "unreachable"  # no messenger of the client we can write to
    NOT_SENT = "not_sent"  # the caller asked only for the link


@dataclass(frozen=True, slots=True)
class SentLink:
    intent: PaymentIntent
    url: str
    delivery: Delivery


async def send_link(
    services: Services,
    staff: Actor,
    order_id: int,
    mode: Mode,
    amount: int | None = None,
    *,
    notify: bool = True,
) -> SentLink:
    """A link to pay the order, sent to the client's messenger unless ``notify`` is off (an API
    caller that hands the URL over itself); audited either way."""
    order = await Order.get_or_none(id=order_id)
    if order is None:
        raise NotFound("st-order-not-found")
    intent = await create_order_intent(
        services,
        order,
        share="prepayment" if mode is Mode.PREPAYMENT else "remaining",
        amount=amount if mode is Mode.AMOUNT else None,
        staff=staff if isinstance(staff, Staff) else None,
    )
    url = pay_link(services.settings, intent)
    client = await Client.get(id=order.client_id)
    account = await fallback.reach(services, client) if notify else None
    delivery = Delivery.UNREACHABLE if notify else Delivery.NOT_SENT
    if account is not None:
        t = services.translator(client.locale)
        text = t(
            "st-client-pay-link",
            amount=t.money(intent.amount, intent.currency),
            number=order.number,
            destination=order.destination,
            until=local_text(services, t, intent.expires_at),
        )
        label = t("st-client-pay-button", amount=t.money(intent.amount, intent.currency))
        reply = Reply(text, rows([LinkButton(label, url)]))
        row = await services.outbox.enqueue(
            account, reply, kind="pay-link", dedupe_key=f"staff-paylink:{intent.id}"
        )
        delivery = Delivery.SENT if row is not None else Delivery.ALREADY
    await audit_at(
        staff,
        "staff.order.pay-link",
        at=services.clock.now(),
        subject=f"order:{order.number}",
        details={
            "client": client.id,
            "intent": intent.id,
            "amount": intent.amount,
            "currency": intent.currency,
            "mode": mode.value,
            "delivery": delivery.value,
        },
    )
    return SentLink(intent, url, delivery)
