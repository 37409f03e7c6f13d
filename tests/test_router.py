import pytest

from core.contract import Incoming, Kind
from core.payloads import PayloadError, decode, encode
from tests.support.chat import RecordingChat


def test_payloads_round_trip_and_limits() -> None:
    text = encode("trip", 42, "p2")
    assert decode(text).action == "trip" and decode(text).args == ("42", "p2")
    with pytest.raises(PayloadError):
        encode("x" * 70)
    with pytest.raises(PayloadError):
        encode("a|b")
    for bad in ("", "2|trip|1", "trip", "1|"):
        with pytest.raises(PayloadError):
            decode(bad)


def test_command_parsing() -> None:
    inc = Incoming(channel="console", user_id="1", kind=Kind.TEXT, text="/Menu@tourbot x")  # type: ignore[arg-type]
    assert inc.command == "menu" and inc.command_args == "x"
    assert Incoming(channel="console", user_id="1", kind=Kind.TEXT, text="hi").command is None  # type: ignore[arg-type]


async def test_commands_escape_any_flow(chat: RecordingChat) -> None:
    await chat.start()
    await chat.press("English")
    await chat.press("Share my phone")
    await chat.say("/menu")
    assert "Main menu" in chat.text
    await chat.say("+380671234567")  # no longer waiting for a phone
    assert "did not understand" in chat.text


async def test_stale_and_forged_buttons_get_the_menu(chat: RecordingChat) -> None:
    await chat.start()
    await chat.press_payload("0|old|format")
    assert "out of date" in chat.text or "застаріла" in chat.text
    await chat.press_payload(encode("no-such-action"))
    assert chat.labels()  # the menu again, not silence


async def test_language_from_the_messenger_hint(chat: RecordingChat) -> None:
    chat.language = "ru-RU"
    await chat.start()
    assert "Здравствуйте" in chat.text
    chat.user_id = "u2"
    chat.language = "de"
    await chat.start()
    assert "Вітаємо" in chat.text  # the agency default (uk)
