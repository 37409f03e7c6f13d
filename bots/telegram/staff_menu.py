"""The "/" command menu of a staff member's own chat: the staff commands their role may use, in
their language. Telegram keeps one menu per chat scope, so it is set when a chat's staff role
(or language) changes — after an invite is accepted, say — and removed when they are revoked.
"""

from __future__ import annotations

import logging

import aiohttp
from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat

from core.services import Services
from handlers.staff.desk import COMMAND_HELP
from storage.models import Staff

log = logging.getLogger(__name__)

# The label of each staff command in the menu: the staff desk's own button texts where it has
# one, Telegram-only texts otherwise.
DESCRIPTIONS = {
    "orders": "st-menu-orders",
    "order": "telegram-staff-order",
    "find": "st-menu-find",
    "debtors": "st-menu-debtors",
    "today": "st-menu-today",
    "requests": "st-menu-new-requests",
    "myrequests": "st-menu-my-requests",
    "neworder": "st-menu-new-order",
    "team": "st-menu-team",
    "invite": "telegram-staff-invite",
    "audit": "st-menu-audit",
    "mailings": "mchat-menu",
    "commission": "cm-menu",
    "netprice": "cm-cmd-netprice",
    "commissionrule": "cm-cmd-rule",
}

Shown = tuple[str, str] | None  # (role, locale) of the menu set for a chat; None: the client's


def staff_commands(services: Services, staff: Staff) -> list[BotCommand]:
    t = services.translator(staff.locale)
    return [
        BotCommand(command=name.lstrip("/"), description=t(DESCRIPTIONS[name.lstrip("/")]))
        for name, roles in COMMAND_HELP.items()
        if staff.role in roles
    ]


class StaffMenus:
    def __init__(self, bot: Bot, services: Services) -> None:
        self.bot = bot
        self.services = services
        self._shown: dict[str, Shown] = {}

    async def sync(self, user_id: str, known: tuple[Staff | None] | None = None) -> None:
        """Make this chat's menu match its user's current staff role; quiet on failure.

        ``known``: the user's staff membership as the dispatcher left it, when it did (saves a
        query per message); None to look it up."""
        if known is not None:
            staff = known[0]
        else:
            staff = await Staff.filter(
                active=True, accounts__channel="telegram", accounts__external_id=user_id
            ).first()
        want: Shown = (staff.role.value, staff.locale) if staff is not None else None
        if user_id in self._shown and self._shown[user_id] == want:
            return
        if want is None and self._shown.get(user_id) is None:
            self._shown[user_id] = None  # a client: the bot-wide menu applies, nothing to do
            return
        scope = BotCommandScopeChat(chat_id=int(user_id))
        try:
            if staff is not None:
                await self.bot.set_my_commands(staff_commands(self.services, staff), scope=scope)
            else:
                await self.bot.delete_my_commands(scope=scope)
        except (TelegramAPIError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("telegram staff menu not updated chat=%s: %s", user_id, exc)
            return
        self._shown[user_id] = want
