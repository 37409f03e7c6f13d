"""What a handler gets besides the incoming event: who is talking, where they are, and tools."""

from __future__ import annotations

from dataclasses import dataclass

from core.contract import Incoming
from core.i18n import T
from core.services import Services
from core.state import State
from storage.models import Client, MessengerAccount, Staff


@dataclass
class Context:
    services: Services
    incoming: Incoming
    account: MessengerAccount
    client: Client | None
    staff: Staff | None
    state: State
    t: T

    @property
    def locale(self) -> str:
        return self.t.locale

    def relocalise(self, locale: str) -> None:
        self.t = self.services.translator(locale)
