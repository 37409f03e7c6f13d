"""Menu entries whose journeys have not landed yet answer honestly and return to the menu.

Each later issue replaces its entry here with the real flow (and removes it from this list).
"""

from __future__ import annotations

from core.contract import Incoming, Reply
from core.payloads import Payload
from handlers.context import Context
from handlers.menu import main_menu
from handlers.router import Router

router = Router()


@router.button("tour", "trips", "balance", "contact")
async def not_yet(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    return [Reply(ctx.t("menu-coming-soon")), main_menu(ctx)]
