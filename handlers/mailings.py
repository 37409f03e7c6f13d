"""The Unsubscribe button every mailing carries: consent is withdrawn at once, and confirmed."""

from __future__ import annotations

from core.contract import Button, Incoming, Reply, rows
from core.mailings.content import UNSUBSCRIBE
from core.mailings.service import unsubscribe
from core.payloads import Payload, encode
from handlers.context import Context
from handlers.router import Router

router = Router()


@router.button(UNSUBSCRIBE)
async def unsubscribe_pressed(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    mailing_id = int(payload.arg(0)) if payload.arg(0).isdigit() else None
    if ctx.client is not None:
        await unsubscribe(ctx.services, ctx.client, mailing_id)
    menu = rows([Button(ctx.t("button-back"), encode("menu"))])
    return [Reply(ctx.t("mailing-unsubscribed"), menu)]
