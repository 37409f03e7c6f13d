"""Contact my manager: the client's messages go to their manager; staff answer by replying to
the relayed message (native reply) or with its "Reply" button. Both directions are outbox rows,
so they stay in the client's history."""

from __future__ import annotations

from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.payloads import Payload, PayloadError, encode
from core.relay import Message, answer_client, manager_of, relay_to_staff, relayed_client_for
from handlers.context import Context
from handlers.dispatcher import PRE_ROUTE
from handlers.identity import AFTER_PHONE, phone_request
from handlers.menu import main_menu
from handlers.router import Router
from storage.models import Client

router = Router()

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


async def enter_relay(ctx: Context) -> list[Reply]:
    assert ctx.client is not None
    ctx.state.goto(RELAY_STATE)
    manager = await manager_of(ctx.client)
    if manager is not None:
        text = ctx.t("relay-intro-manager", name=manager.name)
    else:
        text = ctx.t("relay-intro")
    return [Reply(text, _leave_row(ctx))]


AFTER_PHONE["contact"] = enter_relay


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


# ---- the staff side ---------------------------------------------------------------------------


async def send_answer(ctx: Context, client_id: int, message: Message) -> list[Reply]:
    assert ctx.staff is not None
    client = await Client.get_or_none(id=client_id)
    if client is None:
        return [Reply(ctx.t("relay-client-gone"))]
    row = await answer_client(ctx.services, ctx.staff, ctx.account, client, message)
    if row is None:
        return [Reply(ctx.t("relay-client-unreachable", name=client.display_name))]
    return [Reply(ctx.t("relay-answer-sent", name=client.display_name))]


@router.button("reply")
async def reply_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.staff is None:  # only active staff may answer; a client's forged button gets nothing
        ctx.state.reset()
        return [main_menu(ctx, note=ctx.t("hint-stale-button"))]
    try:
        client = await Client.get_or_none(id=payload.int_arg(0))
    except PayloadError:
        client = None
    if client is None:
        return [Reply(ctx.t("relay-client-gone"))]
    ctx.state.goto(ANSWER_STATE, relay_client=client.id)
    cancel = Button(ctx.t("button-cancel"), encode("relay", "stop"))
    return [Reply(ctx.t("relay-answer-ask", name=client.display_name), rows([cancel]))]


@router.state(ANSWER_STATE)
async def staff_answer(ctx: Context, incoming: Incoming) -> list[Reply]:
    client_id = ctx.state.data.get("relay_client")
    if ctx.staff is None or client_id is None:
        ctx.state.reset()
        return [main_menu(ctx)]
    replied_to = await relayed_client_for(ctx.account, incoming.reply_to)
    message = message_of(incoming)
    if message is None:
        return [Reply(ctx.t("relay-answer-hint"))]
    ctx.state.reset()
    return await send_answer(ctx, replied_to or int(client_id), message)


async def staff_reply_hook(ctx: Context, incoming: Incoming) -> list[Reply] | None:
    """A staff member's native reply to a relayed message goes back to that client, whatever
    else the staff member was doing (it names its addressee unambiguously)."""
    if ctx.staff is None or not incoming.reply_to or incoming.kind is Kind.BUTTON:
        return None
    message = message_of(incoming)
    if message is None:
        return None
    client_id = await relayed_client_for(ctx.account, incoming.reply_to)
    if client_id is None:
        return None
    if ctx.state.name == ANSWER_STATE:  # a pending "Reply" is superseded, not kept for later
        ctx.state.reset()
    return await send_answer(ctx, client_id, message)


PRE_ROUTE.append(staff_reply_hook)
