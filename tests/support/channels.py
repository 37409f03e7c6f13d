"""Channel names as tests spell them (core/ knows channels only as opaque strings)."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    TELEGRAM = "telegram"
    VIBER = "viber"
    CONSOLE = "console"
