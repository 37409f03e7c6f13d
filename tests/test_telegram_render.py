"""Rendering and mapping rules of the Telegram channel: what a user would see, what we read."""

from __future__ import annotations

import aiogram.types
from hypothesis import given
from hypothesis import strategies as st

from bots.telegram import mapping
from bots.telegram.render import TEXT_LIMIT, plan, split_text, utf16_len
from bots.telegram.updates import Update, from_aiogram
from core.contract import Button, Incoming, Kind, LinkButton, Media, Reply, rows
from tests.fakes.telegram_api import FakeTelegram, TgUser, check_html, visible


def test_long_text_splits_at_line_then_space_boundaries() -> None:
    paragraph = "Day {n}: sea, sun and a guided walk through the old town.\n"
    text = "".join(paragraph.format(n=n) for n in range(200))  # ~11.7k characters
    parts = split_text(text)
    assert len(parts) == 3
    assert all(utf16_len(p) <= TEXT_LIMIT for p in parts)
    assert all(p.rstrip().endswith("old town.") for p in parts)  # at line ends, not mid-word
    assert "\n".join(parts) == text

    words = "word " * 2000  # no line breaks at all
    parts = split_text(words.strip())
    assert all(p.startswith("word") and p.endswith("word") for p in parts)


def test_emoji_count_double_towards_the_limit() -> None:
    text = "🏖" * 3000  # 6000 UTF-16 units
    parts = split_text(text)
    assert [utf16_len(p) for p in parts] == [4096, 6000 - 4096]
    assert "".join(parts) == text


@given(st.text(alphabet=st.sampled_from("ab \n<&🏖"), max_size=300), st.integers(5, 60))
def test_split_never_exceeds_the_limit_nor_loses_words(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(utf16_len(p) <= limit for p in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )


def test_buttons_only_on_the_last_part_and_text_escaped() -> None:
    reply = Reply(
        "<b>Olena</b> & Co\n" * 400,
        rows([Button("Pay", "1|pay|7"), LinkButton("Site", "https://example.com/a?b=1&c=2")]),
    )
    parts = plan(reply)
    assert len(parts) == 2
    assert parts[0].markup is None
    assert parts[1].markup is not None
    keyboard = parts[1].markup.model_dump(exclude_none=True)["inline_keyboard"]
    assert keyboard == [
        [
            {"text": "Pay", "callback_data": "1|pay|7"},
            {"text": "Site", "url": "https://example.com/a?b=1&c=2"},
        ]
    ]
    for part in parts:
        check_html(part.text)  # Telegram would accept it
        assert "&lt;b&gt;Olena&lt;/b&gt; &amp; Co" in part.text
    assert visible(parts[0].text).startswith("<b>Olena</b> & Co")


def test_phone_request_keyboard_and_media_caption() -> None:
    alone = plan(Reply("Your phone?", request_phone=True, phone_label="📱 Share"))
    assert len(alone) == 1
    keyboard = alone[0].markup.model_dump(exclude_none=True)  # type: ignore[union-attr]
    assert keyboard["keyboard"] == [[{"text": "📱 Share", "request_contact": True}]]
    assert keyboard["one_time_keyboard"] is True

    photo = plan(Reply("Your voucher", media=Media("photo", "file-1")))
    assert [(p.media, p.text) for p in photo] == [(Media("photo", "file-1"), "Your voucher")]


def _parse(update: dict[str, object]) -> Update:
    """As the webhook reads it; long polling's aiogram Update converts to the same."""
    ours = Update.model_validate(update)
    assert from_aiogram(aiogram.types.Update.model_validate(update)) == ours
    return ours


def test_mapping_of_messages() -> None:
    fake = FakeTelegram()
    olena = TgUser(fake, 42, first_name="Olena", language="uk")

    def incoming(update: dict[str, object]) -> Incoming:
        message = _parse(update).message
        assert message is not None
        result = mapping.from_message(message)
        assert result is not None
        return result

    first = incoming(olena.start("promo_sea"))
    assert (first.kind, first.start_param, first.language, first.user_id) == (
        Kind.START,
        "promo_sea",
        "uk",
        "42",
    )
    assert incoming(olena.start()).start_param is None
    assert incoming(olena.text("hi", reply_to=77)).reply_to == "77"
    assert incoming(olena.location(50.45, 30.52)).location == (50.45, 30.52)
    photo = incoming(olena.photo("passport"))
    assert photo.kind is Kind.MEDIA
    assert photo.media == Media("photo", "photo-file", "passport")
    contact = incoming(olena.contact("+380671234567"))
    assert (contact.kind, contact.phone) == (Kind.CONTACT, "+380671234567")
    assert incoming(olena.text("/menu")).command == "menu"
    own = _parse(olena.contact("+380671234567")).message
    other = _parse(olena.contact("+380671234567", owner=7)).message
    assert own is not None and other is not None
    assert mapping.is_own_contact(own) and not mapping.is_own_contact(other)


def test_mapping_of_button_presses() -> None:
    fake = FakeTelegram()
    olena = TgUser(fake, 42)
    query = _parse(olena.press("1|lang|en", 5)).callback_query
    assert query is not None
    pressed = mapping.from_callback(query)
    assert pressed is not None
    assert (pressed.kind, pressed.payload, pressed.user_id) == (Kind.BUTTON, "1|lang|en", "42")
    assert mapping.editable_message_id(query) == 5
    # a button under a message older than 48 hours: Telegram sends it with date 0
    old = olena.press("1|menu", 6)
    old["callback_query"]["message"]["date"] = 0  # type: ignore[index]
    stale = _parse(old).callback_query
    assert stale is not None and mapping.editable_message_id(stale) is None
    assert mapping.from_callback(stale) is not None  # still a press to answer
