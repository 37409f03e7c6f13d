"""Cancelling an order at the staff desk: a confirmation that says what happens to the money
(kept on the client's balance, or refunded to the card where the provider can), then the
cancellation itself (:mod:`core.cancellation`)."""

from __future__ import annotations

from core import cancellation
from core.cancellation import MoneyChoice
from core.contract import AnyButton, Button, Reply, rows
from core.payloads import encode
from core.staff import routes
from handlers.context import Context
from storage.models import Order


async def confirm(ctx: Context, order: Order, *, note: str | None = None) -> list[Reply]:
    """Ask before cancelling; with money on the order, say where it can go."""
    t = ctx.t
    the_plan = await cancellation.plan(ctx.services, order)
    back = Button(t("st-back-to-order"), encode(routes.ORDER, order.id))
    grid: list[list[AnyButton]] = []
    if the_plan.paid <= 0:
        lines = [t("money-cancel-ask-nothing", number=order.number, destination=order.destination)]
        grid.append([Button(t("money-cancel-yes"), _payload(order, MoneyChoice.NONE))])
    else:
        paid = t.money(the_plan.paid, order.currency)
        lines = [
            t("money-cancel-ask", number=order.number, destination=order.destination, paid=paid),
            t("money-cancel-keep-info", amount=paid),
        ]
        grid.append(
            [Button(t("money-cancel-keep", amount=paid), _payload(order, MoneyChoice.KEEP))]
        )
        if the_plan.parts:
            refundable = t.money(the_plan.refundable, order.currency)
            lines.append(
                t(
                    "money-cancel-refund-info",
                    amount=refundable,
                    providers=", ".join(the_plan.providers),
                    days=ctx.services.rules.payments.refund_days,
                )
            )
            rest = the_plan.paid - the_plan.refundable
            if rest > 0:
                lines.append(t("money-cancel-refund-rest", amount=t.money(rest, order.currency)))
            grid.append(
                [
                    Button(
                        t("money-cancel-refund", amount=refundable),
                        _payload(order, MoneyChoice.REFUND),
                    )
                ]
            )
        else:
            lines.append(t("money-cancel-no-refund"))
    grid.append([back])
    text = "\n".join([note, *lines] if note else lines)
    return [Reply(text, rows(*grid), edit=True)]


def _payload(order: Order, choice: MoneyChoice) -> str:
    return encode(routes.CANCEL_ORDER, order.id, choice.value, order.paid)
