"""The client's side of tour offers: Choose and Ask a question on the option cards.

Choose books the option (:func:`core.offers.service.choose`, exactly once) and answers with the
order and its prepayment link at once; a second press, a closed or expired option gets an
answer saying so and changes nothing. Ask a question tells the manager and opens the chat with
them (the relay of "Contact manager"), so the next message reaches the manager, who answers by
replying.
"""

from __future__ import annotations

from core.contract import Button, Incoming, LinkButton, Reply, rows
from core.offers import cards
from core.offers import service as offers
from core.offers.service import Choice, Outcome
from core.payloads import Payload, PayloadError, encode
from handlers.context import Context
from handlers.relay import RELAY_STATE
from handlers.router import Router
from handlers.screens import main_menu, phone_request

router = Router("offers")


def _need_phone(ctx: Context) -> list[Reply]:
    ctx.state.goto("identify.phone", after="menu")
    return [Reply(ctx.t("phone-needed")), phone_request(ctx)]


def _offer_id(payload: Payload) -> int | None:
    try:
        return payload.int_arg(0)
    except PayloadError:
        return None


def booked(ctx: Context, choice: Choice) -> Reply:
    t = ctx.t
    assert choice.offer is not None and choice.order is not None
    order, offer = choice.order, choice.offer
    lines = [
        t(
            "offer-booked",
            hotel=offer.hotel,
            number=order.number,
            price=t.money(order.price, order.currency),
        )
    ]
    buttons: list[list[Button | LinkButton]] = []
    if choice.intent is not None and choice.link is not None:
        amount = t.money(choice.intent.amount, choice.intent.currency)
        until = t.datetime(choice.intent.expires_at, ctx.services.rules.agency.tz)
        lines.append(t("offer-prepay", amount=amount, until=until))
        buttons.append([LinkButton(t("pay-button-open", amount=amount), choice.link)])
    else:
        lines.append(t("offer-prepay-later"))
    buttons.append([Button(t("st-client-open-trip"), encode("trip", order.id))])
    return Reply("\n\n".join(lines), rows(*buttons))


def refusal(ctx: Context, choice: Choice) -> Reply:
    t = ctx.t
    if choice.outcome is Outcome.ALREADY and choice.order is not None:
        return Reply(
            t("offer-already", number=choice.order.number),
            rows(
                [Button(t("offer-pay-button"), encode("pay", choice.order.id))],
                [Button(t("st-client-open-trip"), encode("trip", choice.order.id))],
            ),
        )
    key = {
        Outcome.TAKEN: "offer-taken",
        Outcome.EXPIRED: "offer-expired",
        Outcome.CLOSED: "offer-closed",
    }.get(choice.outcome, "offer-not-found")
    return main_menu(ctx, note=t(key))


@router.button(cards.CHOOSE)
async def choose(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    offer_id = _offer_id(payload)
    if offer_id is None:
        return [main_menu(ctx, note=ctx.t("offer-not-found"))]
    choice = await offers.choose(ctx.services, ctx.client, offer_id)
    if choice.outcome is Outcome.BOOKED:
        return [booked(ctx, choice)]
    return [refusal(ctx, choice)]


@router.button(cards.ASK)
async def ask(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    offer_id = _offer_id(payload)
    about_all = payload.arg(1) == "all"
    offer = (
        await offers.question(ctx.services, ctx.client, offer_id, about_all=about_all)
        if offer_id
        else None
    )
    if offer is None:
        return [main_menu(ctx, note=ctx.t("offer-not-found"))]
    ctx.state.goto(RELAY_STATE)
    if about_all:
        text = ctx.t("offer-ask-all")
    else:
        text = ctx.t("offer-ask-one", number=offer.position, hotel=offer.hotel)
    leave = Button(ctx.t("relay-leave"), encode("relay", "leave"))
    return [Reply(text, rows([leave]))]
