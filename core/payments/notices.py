"""Payment messages through the outbox: receipts, retry offers, reminders, staff alerts.

Called inside the transaction that changes the money, with dedupe keys derived from the
provider event's unique key, so a message exists exactly when its change does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from core import fallback
from core.contract import Button, LinkButton, Reply, rows
from core.i18n import T
from core.notify import notify_roles, notify_staff
from core.payloads import encode
from core.services import Services
from storage.models import Client, Order, PaymentIntent, Role

STAFF = (Role.ADMIN, Role.MANAGER, Role.ACCOUNTANT)
MANAGERS = (Role.ADMIN, Role.MANAGER)


def when(services: Services, t: T, moment: datetime) -> str:
    return t.datetime(moment, services.rules.agency.tz)


async def tell_client(
    services: Services,
    client: Client,
    render: Callable[[T], Reply],
    *,
    kind: str,
    dedupe_key: str,
) -> bool:
    """Through the one helper (:func:`core.fallback.tell_client`): a client with no messenger
    gets payment and other notices on the first fallback channel reaching them."""
    row = await fallback.tell_client(services, client, render, kind=kind, dedupe_key=dedupe_key)
    return row is not None


async def tell_staff(
    services: Services,
    render: Callable[[T], Reply],
    *,
    kind: str,
    dedupe_key: str,
    roles: tuple[Role, ...] = STAFF,
    client: Client | None = None,
    order: Order | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Staff alerts. With a client (and order): its assigned manager, else all managers and
    admins (with buttons to the cards), plus the accountants; otherwise every one of ``roles``."""
    if client is None:
        return await notify_roles(
            services, roles, render, kind=kind, dedupe_key=dedupe_key, details=details
        )
    assigned = [order.manager_id if order else None, client.manager_id]
    sent = await notify_staff(
        services,
        assigned,
        render,
        kind=kind,
        dedupe_key=dedupe_key,
        order_id=order.id if order else None,
        client_id=client.id,
        details=details,
    )
    if Role.ACCOUNTANT in roles:
        sent += await notify_roles(
            services,
            [Role.ACCOUNTANT],
            render,
            kind=kind,
            dedupe_key=f"{dedupe_key}:acc",
            audited=False,  # the same event as the notice above, audited there
        )
    return sent


def what(t: T, order: Order | None) -> str:
    if order is not None:
        return t("pay-what-order", number=order.number, destination=order.destination)
    return t("pay-what-topup")


def order_lines(services: Services, t: T, order: Order) -> list[str]:
    lines = [
        t(
            "pay-receipt-progress",
            paid=t.money(order.paid, order.currency),
            price=t.money(order.price, order.currency),
        )
    ]
    if order.remaining <= 0:
        lines.append(t("pay-receipt-full"))
    elif order.due_date is not None:
        lines.append(
            t(
                "pay-receipt-left-by",
                remaining=t.money(order.remaining, order.currency),
                due=t.date(order.due_date),
            )
        )
    else:
        lines.append(t("pay-receipt-left", remaining=t.money(order.remaining, order.currency)))
    return lines


def receipt_order(
    services: Services, amount: int, currency: str, order: Order
) -> Callable[[T], Reply]:
    def render(t: T) -> Reply:
        head = t("pay-receipt", amount=t.money(amount, currency), what=what(t, order))
        buttons = []
        if order.remaining > 0:
            buttons.append(Button(t("pay-button-pay-rest"), encode("pay", order.id)))
        return Reply("\n".join([head, *order_lines(services, t, order)]), rows(buttons))

    return render


def receipt_topup(amount: int, currency: str, balance: int) -> Callable[[T], Reply]:
    def render(t: T) -> Reply:
        return Reply(
            t(
                "pay-receipt-topup",
                amount=t.money(amount, currency),
                balance=t.money(balance, currency),
            ),
            rows([Button(t("balance-open"), encode("balance"))]),
        )

    return render


def receipt_kept(
    amount: int, currency: str, order: Order | None, balance: int
) -> Callable[[T], Reply]:
    """Money that could not go to its order (late, cancelled, already paid) stays on the balance."""

    def render(t: T) -> Reply:
        return Reply(
            t(
                "pay-receipt-kept",
                amount=t.money(amount, currency),
                what=what(t, order),
                balance=t.money(balance, currency),
            )
        )

    return render


def failed(
    services: Services, intent: PaymentIntent, order: Order | None, link: str | None
) -> Callable[[T], Reply]:
    def render(t: T) -> Reply:
        amount = t.money(intent.amount, intent.currency)
        if link is None:
            return Reply(t("pay-failed-no-retry", amount=amount, what=what(t, order)))
        return Reply(
            t("pay-failed", amount=amount, what=what(t, order)),
            rows([LinkButton(t("pay-button-retry", amount=amount), link)]),
        )

    return render


def refunded(amount: int, currency: str, order: Order | None) -> Callable[[T], Reply]:
    def render(t: T) -> Reply:
        return Reply(t("pay-refunded", amount=t.money(amount, currency), what=what(t, order)))

    return render


def reminder(
    services: Services, intent: PaymentIntent, order: Order | None, link: str
) -> Callable[[T], Reply]:
    def render(t: T) -> Reply:
        amount = t.money(intent.amount, intent.currency)
        key = "pay-reminder-booking" if intent.is_prepayment else "pay-reminder"
        return Reply(
            t(
                key,
                amount=amount,
                what=what(t, order),
                deadline=when(services, t, intent.expires_at),
            ),
            rows([LinkButton(t("pay-button-open", amount=amount), link)]),
        )

    return render


def booking_cancelled(order: Order, kept: int = 0, balance: int = 0) -> Callable[[T], Reply]:
    """The booking was cancelled for non-payment; ``kept``: what it held, now on the balance."""

    def render(t: T) -> Reply:
        lines = [t("pay-booking-cancelled", number=order.number, destination=order.destination)]
        if kept > 0:
            lines.append(
                t(
                    "money-client-kept",
                    amount=t.money(kept, order.currency),
                    balance=t.money(balance, order.currency),
                )
            )
        return Reply(
            "\n".join(lines),
            rows([Button(t("menu-contact-manager"), encode("contact"))]),
        )

    return render


def booking_cancelled_staff(
    services: Services,
    order: Order,
    client: Client,
    intent: PaymentIntent,
    kept: int,
    balance: int,
) -> Callable[[T], Reply]:
    def render(t: T) -> Reply:
        lines = [
            t(
                "pay-staff-booking-cancelled",
                number=order.number,
                destination=order.destination,
                client=client.display_name,
                deadline=when(services, t, intent.expires_at),
            )
        ]
        if kept > 0:
            lines.append(
                t(
                    "money-staff-kept",
                    amount=t.money(kept, order.currency),
                    balance=t.money(balance, order.currency),
                )
            )
        return Reply("\n".join(lines))

    return render


def staff_text(key: str, **args: object) -> Callable[[T], Reply]:
    """A staff notice; ``(amount, currency)`` arguments become money, callables get ``t``."""

    def value(t: T, v: object) -> object:
        if isinstance(v, tuple):
            return t.money(v[0], v[1])
        if callable(v):
            return v(t)
        return v

    def render(t: T) -> Reply:
        return Reply(t(key, **{k: value(t, v) for k, v in args.items()}))

    return render
