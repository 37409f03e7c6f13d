"""Viber: webhook in, REST (aiohttp) out. See bots/viber/channel.py."""

from bots.viber.channel import ViberChannel
from bots.viber.signature import SignatureError, sign

__all__ = ["SignatureError", "ViberChannel", "sign"]
