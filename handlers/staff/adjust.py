"""A client's account adjusted at the staff desk in three steps — a signed amount, the reason, a
Yes — as the balance (handlers/staff/clients.py) and the bonus points
(handlers/staff/loyalty.py) are. Each module keeps its state name, its first step, how that
step's answer is read and its screens (``prompt``); the steps between are walked here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.contract import Incoming, Kind, Reply
from core.errors import InvalidInput, NotFound
from handlers.context import Context
from storage.models import Client

Prompt = Callable[[Context, str, str | None], Reply]  # (ctx, step, note) -> that step's screen
REASON_MAX = 500


async def start(
    ctx: Context, state: str, client_id: int, *, first: str, reference: str, prompt: Prompt
) -> list[Reply]:
    """Open the adjustment of ``client_id`` at its ``first`` step; ``reference`` makes the
    adjustment happen once however often Yes is pressed."""
    if not await Client.exists(id=client_id):
        raise NotFound("st-client-not-found")
    ctx.state.reset()
    ctx.state.goto(state, client_id=client_id, step=first, reference=reference)
    return [prompt(ctx, first, None)]


def confirmed(ctx: Context, state: str, client_id: int) -> dict[str, Any]:
    """What was answered, when Yes is pressed on the confirmation of ``client_id``'s adjustment;
    a Yes left from another screen or client is stale."""
    data = ctx.state.data
    if (
        ctx.state.name != state
        or data.get("step") != "confirm"
        or data.get("client_id") != client_id
    ):
        raise NotFound("st-stale")
    return data


def typed(
    ctx: Context,
    incoming: Incoming,
    state: str,
    *,
    first: str,
    read: Callable[[str], dict[str, Any]],
    prompt: Prompt,
) -> list[Reply]:
    """A typed answer: at the ``first`` step ``read`` turns it into what the state keeps (or
    raises InvalidInput), then the reason; the confirmation takes its buttons only."""
    step = str(ctx.state.data.get("step") or first)
    text = (incoming.text or "").strip() if incoming.kind is Kind.TEXT else ""
    if step == "confirm" or not text:
        return [prompt(ctx, step, ctx.t("hint-use-buttons") if text else None)]
    try:
        if step == first:
            ctx.state.goto(state, step="reason", **read(text))
            return [prompt(ctx, "reason", None)]
        if len(text) > REASON_MAX:
            raise InvalidInput("st-error-note", max=REASON_MAX)
        ctx.state.goto(state, step="confirm", reason=text)
        return [prompt(ctx, "confirm", None)]
    except InvalidInput as error:
        return [prompt(ctx, step, ctx.t(error.key, **error.args_))]
