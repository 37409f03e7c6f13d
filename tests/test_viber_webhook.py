"""The Viber webhook end to end: signed callbacks in, REST calls out, against a fake Viber."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator

import pytest

from bots.viber import SignatureError, sign
from bots.viber.signature import verify
from core.payloads import encode
from core.services import Services
from storage.models import Client, MessengerAccount, ProcessedUpdate
from tests.fakes.viber_api import TOKEN, FakeViberApi, ViberHarness, button_text, user_json


@pytest.fixture
async def viber(services: Services) -> AsyncIterator[ViberHarness]:
    fake = FakeViberApi()
    await fake.start()
    try:
        async with ViberHarness(services, fake) as harness:
            yield harness
    finally:
        await fake.close()


def test_signature_is_hex_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"event":"webhook","timestamp":1457764197627,"message_token":241256543215}'
    expected = hmac.new(TOKEN.encode(), body, hashlib.sha256).hexdigest()
    assert sign(TOKEN, body) == expected
    verify(TOKEN, body, expected)
    verify(TOKEN, body, expected.upper())
    for bad in (None, "", "0" * 64, sign("another-token", body), expected[:-1]):
        with pytest.raises(SignatureError):
            verify(TOKEN, body, bad)
    with pytest.raises(SignatureError):
        verify(TOKEN, body + b" ", expected)


async def test_conversation_started_is_answered_with_a_welcome_and_language_keyboard(
    viber: ViberHarness,
) -> None:
    user = viber.user("01234567890A=", language="en")
    [welcome] = await user.open_chat()
    assert user.status == 200
    assert "receiver" not in welcome  # the welcome travels in the response body
    assert welcome["type"] == "text"
    assert "Tourdesk Travel" in welcome["text"]
    assert "choose your language" in welcome["text"]
    assert welcome["sender"]["name"] == "Tourdesk Travel"
    keyboard = welcome["keyboard"]
    assert keyboard["Type"] == "keyboard"
    assert [button_text(b) for b in keyboard["Buttons"]] == ["Українська", "English", "Русский"]
    assert [b["ActionBody"] for b in keyboard["Buttons"]] == [
        encode("lang", "uk"),
        encode("lang", "en"),
        encode("lang", "ru"),
    ]
    assert {b["ActionType"] for b in keyboard["Buttons"]} == {"reply"}
    assert sum(b["Columns"] for b in keyboard["Buttons"]) == 6  # one row of three
    assert viber.fake.sent == []  # nothing was pushed to a user who has not subscribed
    account = await MessengerAccount.get(channel="viber", external_id=user.id)
    assert account.subscribed is False  # opening the chat is not subscribing


async def test_a_keyboard_press_brings_the_next_screen(viber: ViberHarness) -> None:
    user = viber.user("01234567890A=")
    await user.open_chat()
    messages = await user.press("English")
    assert [m["receiver"] for m in messages] == [user.id]
    assert "Main menu" in user.text
    assert "Language changed to English" in user.text
    assert "📱 Share my phone" in user.labels()
    assert "⚙️ Settings" in user.labels()
    account = await MessengerAccount.get(channel="viber", external_id=user.id)
    assert account.subscribed is True  # writing (a button press) subscribes


async def test_share_phone_identifies_the_client_by_phone(viber: ViberHarness) -> None:
    user = viber.user("01234567890A=", name="Olena")
    await user.open_chat()
    await user.press("English")
    [ask] = await user.press("Share my phone")
    assert ask["min_api_version"] >= 3
    share = [b for b in ask["keyboard"]["Buttons"] if b["ActionType"] == "share-phone"]
    assert [button_text(b) for b in share] == ["📱 Share my phone number"]
    assert "✖️ Cancel" in user.labels()
    await user.share_phone("380671234567")
    assert "You are registered with us now" in user.text
    client = await Client.get(phone="+380671234567")
    account = await MessengerAccount.get(channel="viber", external_id=user.id)
    assert account.client_id == client.id
    assert client.first_name == "Olena"
    assert client.locale == "en"


@pytest.mark.parametrize(
    ("raw", "signature", "status"),
    [
        (b'{"event":"message"}', "0" * 64, 403),  # forged
        (b'{"event":"message"}', None, 403),  # no header at all
        (b'{"event": "message", "sender": ', "sign", 400),  # malformed JSON, signed
        (b'["not", "an", "object"]', "sign", 400),
        (b'{"timestamp": 1}', "sign", 400),  # no event
        (b'{"event":"message","message_token":5,"message":{"type":"text"}}', "sign", 400),
    ],
)
async def test_refused_callbacks_store_and_send_nothing(
    viber: ViberHarness, raw: bytes, signature: str | None, status: int
) -> None:
    if signature == "sign":
        signature = sign(TOKEN, raw)
    answer, _ = await viber.post_raw(raw, signature=signature, sign=False)
    assert answer == status
    await viber.channel.join()
    assert await MessengerAccount.all().count() == 0
    assert await ProcessedUpdate.all().count() == 0
    assert viber.fake.calls == []


async def test_a_signed_message_with_a_tampered_body_is_refused(viber: ViberHarness) -> None:
    user = viber.user("01234567890A=")
    event = user.message_event({"type": "text", "text": "hello"})
    raw = json.dumps(event).encode()
    signature = sign(TOKEN, raw)
    tampered = raw.replace(b"hello", b"HELLO")
    status, _ = await viber.post_raw(tampered, signature=signature)
    assert status == 403
    assert await MessengerAccount.all().count() == 0
    assert viber.fake.sent == []


async def test_a_duplicate_message_token_is_answered_once(viber: ViberHarness) -> None:
    user = viber.user("01234567890A=")
    await user.open_chat()
    event = user.message_event({"type": "text", "text": encode("lang", "en")})
    first, _ = await viber.post(event)
    second, _ = await viber.post(event)
    assert (first, second) == (200, 200)
    assert len(viber.fake.sent_to(user.id)) == 1


@pytest.mark.parametrize(
    "message",
    [
        {"type": "sticker", "sticker_id": 46105},
        {"type": "picture", "text": "our hotel", "media": "https://dl.example/p.jpg"},
        {"type": "file", "media": "https://dl.example/f.pdf", "file_name": "f.pdf", "size": 1},
        {"type": "location", "location": {"lat": 50.45, "lon": 30.52}},
        {"type": "text", "text": "what tours do you have?"},
    ],
)
async def test_other_messages_get_a_polite_answer(
    viber: ViberHarness, message: dict[str, object]
) -> None:
    user = viber.user("01234567890A=")
    await user.open_chat()
    await user.press("English")
    await user.send(message)
    assert "Sorry, I did not understand that." in user.text
    assert "Main menu" in user.text
    assert "⚙️ Settings" in user.labels()


async def test_subscribe_and_unsubscribe_are_recorded(viber: ViberHarness) -> None:
    user_id = "subscriber+1=="
    status, _ = await viber.post(
        {
            "event": "subscribed",
            "timestamp": viber.now_ms(),
            "message_token": viber.next_token(),
            "user": user_json(user_id, "Taras", "uk"),
        }
    )
    assert status == 200
    account = await MessengerAccount.get(channel="viber", external_id=user_id)
    assert account.subscribed is True
    assert account.language == "uk"
    status, _ = await viber.post(
        {
            "event": "unsubscribed",
            "timestamp": viber.now_ms(),
            "message_token": viber.next_token(),
            "user_id": user_id,
        }
    )
    assert status == 200
    account = await MessengerAccount.get(channel="viber", external_id=user_id)
    assert account.subscribed is False
    assert viber.fake.sent == []
    # Writing again makes them reachable again.
    await viber.user(user_id, name="Taras", language="uk").say("привіт")
    account = await MessengerAccount.get(channel="viber", external_id=user_id)
    assert account.subscribed is True
    assert len(viber.fake.sent_to(user_id)) >= 1


async def test_start_registers_the_webhook_which_viber_checks(viber: ViberHarness) -> None:
    viber.services.settings.web.public_url = viber.base_url
    await viber.channel.start()
    await asyncio.wait_for(viber.channel.webhook_registered.wait(), 10)
    [call] = viber.fake.of("set_webhook")
    assert call["url"] == viber.base_url + "/webhooks/viber"
    assert sorted(call["event_types"]) == sorted(
        ["delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"]
    )
    assert call["send_name"] is True
    assert call["send_photo"] is True
    assert viber.fake.webhook_check_status == 200  # our answer to Viber's signed "webhook" event
    assert viber.fake.of("get_account_info") == [{}]
    assert {c.token for c in viber.fake.calls} == {TOKEN}
