"""Conversation state per (channel, user): where the user is in a flow, and its data.

Kept in Redis when ``REDIS_URL`` is set and in the database otherwise; both survive a restart
(see ``storage/state.py``). Handlers only see :class:`State`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from core.contract import Address


@dataclass
class State:
    name: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def goto(self, name: str | None, **data: Any) -> None:
        self.name = name
        self.data.update(data)

    def reset(self) -> None:
        """Back to no flow; keeps nothing but the remembered keys that start with ``_``."""
        self.name = None
        self.data = {k: v for k, v in self.data.items() if k.startswith("_")}

    def snapshot(self) -> tuple[str | None, str]:
        """A comparable copy, to tell whether a handler changed anything worth saving."""
        return self.name, json.dumps(self.data, sort_keys=True, default=str)


class StateStore(Protocol):
    async def load(self, address: Address) -> State: ...

    async def save(self, address: Address, state: State) -> None: ...
