"""Telegram (aiogram 3): updates -> Incoming -> dispatcher -> Reply -> Bot API calls."""

from bots.telegram.channel import TelegramChannel

__all__ = ["TelegramChannel"]
