"""A phone shared from any screen.

Telegram keeps the "share my phone" keyboard on screen after the person moves on (Settings, My
trips, half-way through the tour wizard), and Viber sends a contact whenever its share-phone
button is pressed. Whenever a contact arrives, it is taken under the identity rule
(:mod:`core.identity`, through :func:`handlers.identity.receive_phone`: their own Telegram
contact proves the number, anything else is a claim that needs a code or a staff member's
word), and the person goes on where they were: the conversation state is put aside, and once
the phone is dealt with (after the consent question or the code, when there is one) it is put
back and its screen shown again through the router's screen slot (``ctx.screens``).

Staff are left alone: in their flows a contact is a client's number (a new order, a lookup).
"""

from __future__ import annotations

from typing import Any

from core.contract import Incoming, Kind, Reply
from handlers.claims import CODE_STATE
from handlers.context import Context
from handlers.identity import receive_phone
from handlers.router import Router, by_state_name
from handlers.screens import main_menu

router = Router("phone-anywhere")

RESUME = "resume"  # the after-phone continuation that puts the screen back
SAVED = "_resume"  # where the state is kept meanwhile (``_`` keys survive ``State.reset``)
ASKED = "identify.phone"  # the phone was asked for: that step takes it as it is
# mid-identification: a new contact starts it again, going on where that one was going
IDENTIFYING = (CODE_STATE, "identify.consent")


@router.pre_route
async def contact_anywhere(ctx: Context, incoming: Incoming) -> list[Reply] | None:
    if incoming.kind is not Kind.CONTACT or not incoming.phone or ctx.staff is not None:
        return None
    name = ctx.state.name
    if name == ASKED:
        return None
    if name in IDENTIFYING:
        after = str(ctx.state.data.get("after") or "")
    else:
        data = {k: v for k, v in ctx.state.data.items() if not k.startswith("_")}
        ctx.state.data[SAVED] = {"name": name, "data": data}
        after = RESUME
    ctx.state.reset()
    ctx.state.goto(ASKED, after=after)
    return await receive_phone(ctx, incoming)


@router.after_phone(RESUME)
async def resume(ctx: Context) -> list[Reply]:
    """Back to the state the contact arrived in, and its screen again (the main menu for a
    screen that keeps no state)."""
    saved: Any = ctx.state.data.pop(SAVED, None)
    ctx.state.reset()
    name = saved.get("name") if isinstance(saved, dict) else None
    show = by_state_name([dict(ctx.screens)], name) if isinstance(name, str) else None
    if show is None:
        return [main_menu(ctx)]
    data = saved.get("data") if isinstance(saved.get("data"), dict) else {}
    ctx.state.goto(name, **data)
    return await show(ctx)
