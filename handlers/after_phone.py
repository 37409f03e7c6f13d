"""Going on once a person is identified: thank them, ask for consent once, then continue where
they were going (the after-phone continuation a router registered under ``after=<name>``;
anything else returns to the main menu)."""

from __future__ import annotations

from core.contract import Reply
from handlers.context import Context
from handlers.screens import consent_question, main_menu


async def continue_after(ctx: Context, after: str | None, note: str | None = None) -> list[Reply]:
    handler = ctx.after_phone.get(after or "")
    if handler is None:
        return [main_menu(ctx, note=note)]
    replies = await handler(ctx)
    return [Reply(note), *replies] if note else replies


async def welcome(ctx: Context, after: str, key: str) -> list[Reply]:
    """The person is identified: thank them, ask for consent once, then go on."""
    assert ctx.client is not None
    thanks = Reply(ctx.t(key))
    if ctx.client.marketing_consent is None:
        ctx.state.goto("identify.consent", after=after)
        return [thanks, consent_question(ctx)]
    return [thanks, *await continue_after(ctx, after)]
