"""Staff answering a client's relayed message: with the message's "Reply" button, or with the
messenger's native reply to it (which names its addressee, whatever else the member was doing).
Both go through the staff role check, as every staff action does."""

from __future__ import annotations

from core.contract import Button, Incoming, Kind, Reply, rows
from core.payloads import Payload, PayloadError, encode
from core.relay import Message, answer_client, relayed_client_for
from core.staff.roles import SALES
from handlers.context import Context
from handlers.relay import ANSWER_STATE, message_of
from handlers.router import Router
from handlers.screens import main_menu
from handlers.staff.common import button, guard, state
from storage.models import Client

router = Router("staff.relay")

REPLY = "reply"  # the button on a relayed message: client id (its payload predates the s-prefix)


async def send_answer(ctx: Context, client_id: int, message: Message) -> list[Reply]:
    assert ctx.staff is not None
    client = await Client.get_or_none(id=client_id)
    if client is None:
        return [Reply(ctx.t("relay-client-gone"))]
    row = await answer_client(ctx.services, ctx.staff, ctx.account, client, message)
    if row is None:
        return [Reply(ctx.t("relay-client-unreachable", name=client.display_name))]
    return [Reply(ctx.t("relay-answer-sent", name=client.display_name))]


@button(router, REPLY, roles=SALES)
async def reply_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    try:
        client = await Client.get_or_none(id=payload.int_arg(0))
    except PayloadError:
        client = None
    if client is None:
        return [Reply(ctx.t("relay-client-gone"))]
    ctx.state.goto(ANSWER_STATE, relay_client=client.id)
    cancel = Button(ctx.t("button-cancel"), encode("relay", "stop"))
    return [Reply(ctx.t("relay-answer-ask", name=client.display_name), rows([cancel]))]


@state(router, ANSWER_STATE, roles=SALES)
async def staff_answer(ctx: Context, incoming: Incoming) -> list[Reply]:
    client_id = ctx.state.data.get("relay_client")
    if client_id is None:
        ctx.state.reset()
        return [main_menu(ctx)]
    replied_to = await relayed_client_for(ctx.account, incoming.reply_to)
    message = message_of(incoming)
    if message is None:
        return [Reply(ctx.t("relay-answer-hint"))]
    ctx.state.reset()
    return await send_answer(ctx, replied_to or int(client_id), message)


@router.pre_route
async def native_reply(ctx: Context, incoming: Incoming) -> list[Reply] | None:
    """A staff member's native reply to a relayed message goes back to that client, whatever
    else the staff member was doing; a command still wins (it is how one leaves a flow)."""
    if not incoming.reply_to or incoming.kind is Kind.BUTTON or incoming.command is not None:
        return None
    message = message_of(incoming)
    if message is None:
        return None
    client_id = await relayed_client_for(ctx.account, incoming.reply_to)
    if client_id is None:
        return None
    await guard(ctx, f"reply:{REPLY}", SALES)
    if ctx.state.name == ANSWER_STATE:  # a pending "Reply" is superseded, not kept for later
        ctx.state.reset()
    return await send_answer(ctx, client_id, message)
