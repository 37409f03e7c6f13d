"""Cancelling an order at the staff desk: a confirmation that says what happens to the money
(kept on the client's balance, or refunded to the card where the provider can), then the
cancellation itself (:mod:`core.cancellation`)."""

from __future__ import annotations

from core import cancellation
from core.cancellation import MoneyChoice
from core.contract import AnyButton, Button, Incoming, Reply, rows
from core.errors import InvalidInput, NotFound
from core.payloads import Payload, encode
from core.staff import routes
from core.staff.roles import SALES
from handlers.context import Context
from handlers.staff.common import button, int_arg, require
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


@button(routes.CANCEL_ORDER, roles=SALES)
async def cancel_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    from handlers.staff.orders import load_order, show_order  # orders imports this module

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
        return await confirm(ctx, await load_order(order.id), note=ctx.t(error.key, **error.args_))
    t = ctx.t
    note = "\n".join(
        [
            t("st-status-changed-told", number=order.number, status=t("st-status-cancelled")),
            *cancellation.staff_lines(t, done),
        ]
    )
    return await show_order(ctx, await load_order(order.id), note=note)
