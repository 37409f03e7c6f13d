"""Conversation state survives a restart, in the database and in Redis."""

from __future__ import annotations

from bots.app import build_services
from core.clock import ManualClock
from core.contract import Address
from core.rules import Rules
from core.settings import Settings
from core.state import State
from handlers import build_router
from storage.models import Client
from storage.state import DbStateStore
from tests.support.channels import Channel
from tests.support.chat import RecordingChat


async def test_db_store_round_trip(db_url: str) -> None:
    address = Address(Channel.TELEGRAM, "100")
    await DbStateStore().save(
        address, State("tour.when", {"destination": "Egypt", "_locale": "uk"})
    )
    loaded = await DbStateStore().load(address)
    assert loaded == State("tour.when", {"destination": "Egypt", "_locale": "uk"})
    assert await DbStateStore().load(Address(Channel.VIBER, "100")) == State()


async def test_a_restart_mid_flow_keeps_the_conversation(
    settings: Settings, rules: Rules, clock: ManualClock
) -> None:
    """Services rebuilt from scratch (as after a restart) continue the same conversation."""
    first = await build_services(settings, rules, clock=clock)
    chat = RecordingChat(first, build_router())
    await chat.start()
    await chat.press("Русский")
    await chat.press("Поделиться номером")
    if first.redis is not None:
        await first.redis.aclose()

    second = await build_services(settings, rules, clock=clock)
    chat2 = RecordingChat(second, build_router())
    await chat2.say("+380 50 000 11 22")
    assert "зарегистрированы" in chat2.text
    assert (await Client.get(phone="+380500001122")).locale == "ru"
    if second.redis is not None:
        await second.redis.aclose()
