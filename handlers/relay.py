"""Contact my manager: the client's messages go to their manager; staff answer by replying to
the relayed message (native reply) or with its "Reply" button (:mod:`handlers.staff.relay`).
Both directions are outbox rows, so they stay in the client's history."""

from __future__ import annotations

from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.payloads import Payload, encode
from core.relay import Message, manager_of, relay_to_staff
from handlers.context import Context
from handlers.router import Router
from handlers.screens import main_menu, phone_request

router = Router("relay")

RELAY_STATE = "relay"
ANSWER_STATE = "relay.answer"


def _leave_row(ctx: Context) -> tuple[tuple[AnyButton, ...], ...]:
    return rows([Button(ctx.t("relay-leave"), encode("relay", "leave"))])


def message_of(incoming: Incoming) -> Message | None:
    """The text or the photo/document the user sent; None for anything we cannot relay."""
    if incoming.kind is Kind.MEDIA and incoming.media is not None:
        return Message((incoming.media.caption or incoming.text or "").strip(), incoming.media)
    if incoming.kind is Kind.TEXT and (incoming.text or "").strip():
        return Message((incoming.text or "").strip())
    return None


# ---- the client's side ------------------------------------------------------------------------


@router.screen(RELAY_STATE)
@router.after_phone("contact")
async def enter_relay(ctx: Context) -> list[Reply]:
    assert ctx.client is not None
    ctx.state.goto(RELAY_STATE)
    manager = await manager_of(ctx.client)
    if manager is not None:
        text = ctx.t("relay-intro-manager", name=manager.name)
    else:
        text = ctx.t("relay-intro")
    return [Reply(text, _leave_row(ctx))]


@router.button("contact")
async def contact(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        ctx.state.goto("identify.phone", after="contact")
        return [Reply(ctx.t("relay-phone-first")), phone_request(ctx)]
    return await enter_relay(ctx)


@router.state(RELAY_STATE)
async def client_message(ctx: Context, incoming: Incoming) -> list[Reply]:
    if ctx.client is None:
        ctx.state.goto("identify.phone", after="contact")
        return [Reply(ctx.t("relay-phone-first")), phone_request(ctx)]
    message = message_of(incoming)
    if message is None:
        return [Reply(ctx.t("relay-hint"), _leave_row(ctx))]
    sent = await relay_to_staff(ctx.services, ctx.client, ctx.account, message)
    key = "relay-sent" if sent else "relay-sent-nobody"
    return [Reply(ctx.t(key), _leave_row(ctx))]


@router.button("relay")
async def relay_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.reset()
    if payload.arg(0) == "stop" and ctx.staff is not None:
        return [Reply(ctx.t("relay-answer-cancelled"))]
    return [main_menu(ctx, note=ctx.t("relay-left"), edit=True)]


# ---- a revoked staff member's unfinished answer ------------------------------------------------
# (staff answer in :mod:`handlers.staff.relay`, whose router answers first for active staff)


@router.state(ANSWER_STATE)
async def answer_of_former_staff(ctx: Context, incoming: Incoming) -> list[Reply]:
    ctx.state.reset()
    return [main_menu(ctx)]
