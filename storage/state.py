"""The two conversation-state stores: database rows and Redis keys."""

from __future__ import annotations

import json
from typing import Any

from core.contract import Address
from core.state import State
from storage.models import ConversationState


class DbStateStore:
    async def load(self, address: Address) -> State:
        row = await ConversationState.get_or_none(
            channel=address.channel, external_id=address.user_id
        )
        if row is None:
            return State()
        return State(row.state, dict(row.data or {}))

    async def save(self, address: Address, state: State) -> None:
        updated = await ConversationState.filter(
            channel=address.channel, external_id=address.user_id
        ).update(state=state.name, data=state.data)
        if not updated:
            await ConversationState.update_or_create(
                channel=address.channel,
                external_id=address.user_id,
                defaults={"state": state.name, "data": state.data},
            )


def decode_state(raw: Any) -> State:
    """A state as :class:`RedisStateStore` stores it (None or empty: no state yet)."""
    if not raw:
        return State()
    value = json.loads(raw)
    return State(value.get("name"), value.get("data") or {})


def encode_state(state: State) -> str:
    return json.dumps({"name": state.name, "data": state.data}, default=str)


class RedisStateStore:
    def __init__(self, redis: Any, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    def _key(self, address: Address) -> str:
        return f"{self._prefix}state:{address.channel}:{address.user_id}"

    async def load(self, address: Address) -> State:
        return decode_state(await self._redis.get(self._key(address)))

    async def save(self, address: Address, state: State) -> None:
        await self._redis.set(self._key(address), encode_state(state))
