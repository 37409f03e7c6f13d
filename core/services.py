"""The typed container of services handed to every adapter and handler (built in bots/app.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from core.channels import ChannelDirectory
from core.clock import Clock
from core.delivery import Outbox
from core.i18n import Translator
from core.jobs import Jobs
from core.rules import Rules
from core.settings import Settings
from core.state import StateStore

if TYPE_CHECKING:
    from core.payments.registry import PaymentProviders
    from core.ratelimit import Limiter
    from core.turn import Turns


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
    limiter: Limiter  # process-wide rate limiter (Redis-backed when REDIS_URL is set)
    channels: ChannelDirectory = field(default_factory=ChannelDirectory)
    redis: Any | None = None  # redis.asyncio.Redis when REDIS_URL is set
    # the claim with the state read, "done" with the state write (Redis only; core.turn)
    turns: Turns | None = None
    # built from the settings on first use (tests change the settings, then reset this to None)
    payments: PaymentProviders | None = None
