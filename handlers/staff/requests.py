"""A manager or admin takes a new tour request (the "Take" button of its notice): the first to
press becomes its manager. The role check is the staff desk's, never trusted to the button."""

from __future__ import annotations

from core import tour_requests as tr
from core.contract import Button, Incoming, Reply, rows
from core.payloads import Payload, PayloadError, encode
from core.staff import routes
from core.staff.roles import SALES
from handlers.context import Context
from handlers.router import Router
from handlers.staff.common import button

router = Router("staff.requests")

TAKE = "take"  # the button of a new request's notice: request id (predates the s-prefix)


@button(router, TAKE, roles=SALES, refused="take-not-allowed")
async def take(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    assert ctx.staff is not None
    try:
        request_id = payload.int_arg(0)
    except PayloadError:
        return [Reply(ctx.t("take-not-found"))]
    result = await tr.take_request(ctx.services, ctx.staff, request_id)
    if result is None:
        return [Reply(ctx.t("take-not-found"))]
    request = result.request
    if not result.won:
        if result.holder is None:
            return [Reply(ctx.t("take-unavailable", number=request.number))]
        return [Reply(ctx.t("take-already", number=request.number, manager=result.holder.name))]
    client = request.client
    text = ctx.t(
        "take-done",
        number=request.number,
        name=client.display_name,
        phone=client.phone or "—",
        id=str(client.id),
    )
    return [
        Reply(
            text,
            rows(
                [Button(ctx.t("relay-reply-button"), encode("reply", client.id))],
                [Button(ctx.t("offer-build-button"), encode(routes.OFFERS, request.id, "new"))],
            ),
        )
    ]
