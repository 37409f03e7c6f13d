"""The typed container of services handed to every adapter and handler (built in bots/app.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from core.clock import Clock
from core.delivery import Outbox
from core.i18n import Translator
from core.jobs import Jobs
from core.rules import Rules
from core.settings import Settings
from core.state import StateStore


class UpdateLog(Protocol):
    async def claim(self, channel: str, key: str) -> str:
        """ "new" (handle it, then :meth:`done`), "done" (skip) or "busy" (being handled)."""
        ...

    async def done(self, channel: str, key: str) -> None: ...

    async def forget(self, channel: str, key: str) -> None: ...


@dataclass
class Services:
    settings: Settings
    rules: Rules
    translator: Translator
    clock: Clock
    states: StateStore
    updates: UpdateLog
    outbox: Outbox
    jobs: Jobs
    redis: Any | None = None  # redis.asyncio.Redis when REDIS_URL is set
    extras: dict[str, Any] = field(default_factory=dict)
