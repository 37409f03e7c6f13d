from storage.models import Client, MessengerAccount
from tests.support.channels import Channel
from tests.support.chat import RecordingChat


async def test_start_language_phone_consent_settings(chat: RecordingChat) -> None:
    await chat.start()
    assert "Tourdesk Travel" in chat.text
    assert chat.labels() == ["Українська", "English", "Русский"]
    await chat.press("Українська")
    assert "Головне меню" in chat.text
    await chat.press("Поділитися номером")
    assert chat.last[0].request_phone
    await chat.say("не номер")
    assert "не схоже на номер" in chat.text
    await chat.say("067 123 45 67")
    assert "зареєстровані" in chat.text
    client = await Client.get(phone="+380671234567")
    assert client.locale == "uk"
    await chat.press("Так")
    assert (await Client.get(id=client.id)).marketing_consent is True
    await chat.press("Налаштування")
    assert "+380671234567" in chat.text
    account = await MessengerAccount.get(channel=Channel.CONSOLE.value, external_id="u1")
    assert account.client_id == client.id  # type: ignore[attr-defined]
