"""Rating a trip: 1-5 stars from the review reminder, then an optional comment (or Skip).

Only the order's own client may rate, once; a forged or repeated press gets a polite answer.
"""

from __future__ import annotations

from core.contract import AnyButton, Button, Incoming, Kind, Reply, column, rows
from core.payloads import Payload, PayloadError, encode
from core.reminders import review
from handlers.context import Context
from handlers.router import Router
from storage.models import Order

router = Router()

COMMENT_STATE = "review.comment"


def _menu_button(ctx: Context) -> tuple[tuple[AnyButton, ...], ...]:
    return column(Button(ctx.t("review-to-menu"), encode("menu")))


def _not_found(ctx: Context) -> list[Reply]:
    return [Reply(ctx.t("review-not-found"), _menu_button(ctx))]


@router.button("review")
async def rate(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    try:
        order_id, stars = payload.int_arg(0), payload.int_arg(1)
    except PayloadError:
        return _not_found(ctx)
    if ctx.client is None:
        return _not_found(ctx)
    result = await review.rate(ctx.services, ctx.client, order_id, stars)
    if result.outcome is review.Rated.NOT_FOUND or result.order is None:
        return _not_found(ctx)
    if result.outcome is review.Rated.ALREADY:
        return [
            Reply(
                ctx.t("review-already", stars=result.order.review_rating or 0),
                _menu_button(ctx),
            )
        ]
    ctx.state.goto(COMMENT_STATE, review_order=order_id)
    skip = Button(ctx.t("review-skip"), encode("review-skip", order_id))
    return [Reply(ctx.t("review-ask-comment", stars=stars), rows([skip]))]


@router.button("review-skip")
async def skip(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _not_found(ctx)
    try:
        order_id = payload.int_arg(0)
    except PayloadError:
        return _not_found(ctx)
    if ctx.state.name == COMMENT_STATE:
        ctx.state.reset()
    await review.skip_comment(ctx.services, ctx.client, order_id)
    return [Reply(ctx.t("review-thanks"), _menu_button(ctx))]


@router.screen(COMMENT_STATE)
async def comment_again(ctx: Context) -> list[Reply]:
    order_id = ctx.state.data.get("review_order")
    if ctx.client is None or not isinstance(order_id, int):
        ctx.state.reset()
        return _not_found(ctx)
    order = await Order.get_or_none(id=order_id, client_id=ctx.client.id)
    stars = (order.review_rating or 0) if order is not None else 0
    skip = Button(ctx.t("review-skip"), encode("review-skip", order_id))
    return [Reply(ctx.t("review-ask-comment", stars=stars), rows([skip]))]


@router.state(COMMENT_STATE)
async def comment(ctx: Context, incoming: Incoming) -> list[Reply]:
    order_id = ctx.state.data.get("review_order")
    if ctx.client is None or not isinstance(order_id, int):
        ctx.state.reset()
        return _not_found(ctx)
    skip_row = rows([Button(ctx.t("review-skip"), encode("review-skip", order_id))])
    text = (incoming.text or "").strip() if incoming.kind is Kind.TEXT else ""
    if not text:
        return [Reply(ctx.t("review-comment-text-only"), skip_row)]
    if len(text) > review.COMMENT_MAX:
        return [Reply(ctx.t("review-comment-too-long", max=review.COMMENT_MAX), skip_row)]
    await review.add_comment(ctx.services, ctx.client, order_id, text)
    ctx.state.reset()
    return [Reply(ctx.t("review-thanks"), _menu_button(ctx))]
