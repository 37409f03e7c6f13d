"""Channel parity: the same journey in Viber and in the recording chat gives the same screens."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.contract import Button, LinkButton, Reply
from core.services import Services
from storage.models import Client, MessengerAccount
from tests.fakes.viber_api import FakeViberApi, ViberHarness
from tests.support.chat import RecordingChat

Screen = tuple[str, list[tuple[str, str]]]


@pytest.fixture
async def viber(services: Services) -> AsyncIterator[ViberHarness]:
    fake = FakeViberApi()
    await fake.start()
    try:
        async with ViberHarness(services, fake) as harness:
            yield harness
    finally:
        await fake.close()


def chat_screen(replies: list[Reply]) -> Screen:
    """What the user sees after one step: all texts, then every control as (label, action)."""
    buttons: list[tuple[str, str]] = []
    for reply in replies:
        if reply.request_phone:
            buttons.append((reply.phone_label or "", "share-phone"))
        for button in reply.all_buttons():
            if isinstance(button, LinkButton):
                buttons.append((button.label, button.url))
            else:
                assert isinstance(button, Button)
                buttons.append((button.label, button.payload))
    return "\n\n".join(r.text for r in replies), buttons


def viber_screen(messages: list[dict[str, Any]]) -> Screen:
    buttons: list[tuple[str, str]] = []
    for message in messages:
        for b in (message.get("keyboard") or {}).get("Buttons", []):
            action = "share-phone" if b["ActionType"] == "share-phone" else b["ActionBody"]
            buttons.append((html.unescape(b["Text"]), action))
    return "\n\n".join(m["text"] for m in messages), buttons


async def test_the_same_journey_looks_the_same_in_viber_and_in_the_chat(
    services: Services, viber: ViberHarness, chat: RecordingChat
) -> None:
    phone = "+380671234567"
    chat_steps = [
        chat_screen(await chat.start()),
        chat_screen(await chat.press("English")),
        chat_screen(await chat.press("Share my phone")),
        chat_screen(await chat.share_phone(phone)),
        chat_screen(await chat.press("Yes")),
        chat_screen(await chat.press("Settings")),
    ]
    # The chat's tourist registered this phone; let the Viber one be new as well.
    await Client.filter(phone=phone).delete()

    user = viber.user("vIbEr-user-1==", name="Olena", language="en")
    viber_steps = [
        viber_screen(await user.open_chat()),
        viber_screen(await user.press("English")),
        viber_screen(await user.press("Share my phone")),
        viber_screen(await user.share_phone(phone.lstrip("+"))),
        viber_screen(await user.press("Yes")),
        viber_screen(await user.press("Settings")),
    ]
    for step, (in_chat, in_viber) in enumerate(zip(chat_steps, viber_steps, strict=True)):
        assert in_viber == in_chat, f"step {step} differs"
    assert "Settings" in viber_steps[-1][0]
    assert phone in viber_steps[-1][0]
    client = await Client.get(phone=phone)
    account = await MessengerAccount.get(channel="viber", external_id=user.id)
    assert account.client_id == client.id
    assert client.marketing_consent is True
