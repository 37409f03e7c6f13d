"""What a handler gets besides the incoming event: who is talking, where they are, and tools."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from core.contract import Incoming, Reply
from core.i18n import T
from core.services import Services
from core.state import State
from storage.models import Client, MessengerAccount, Staff

# How a flow goes on once the phone it asked for is shared (a router's after-phone slot).
Continuation = Callable[["Context"], Awaitable[list[Reply]]]


@dataclass
class Context:
    services: Services
    incoming: Incoming
    account: MessengerAccount
    client: Client | None
    staff: Staff | None
    state: State
    t: T
    # the composed after-phone continuations, by name; filled by the router tree that routes
    after_phone: Mapping[str, Continuation] = field(default_factory=dict)
    # how to show each state's screen again (exact name or ``prefix.*``); filled the same way
    screens: Mapping[str, Continuation] = field(default_factory=dict)

    @property
    def locale(self) -> str:
        return self.t.locale

    def relocalise(self, locale: str) -> None:
        self.t = self.services.translator(locale)
