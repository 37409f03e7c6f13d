"""The Telegram channel end to end: the real aiogram client against a fake Bot API server,
updates arriving by long polling or by webhook into tourdesk's web app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.services import Services
from handlers.router import Router
from storage.models import Client, MessengerAccount, Role, Staff
from tests.fakes.telegram_api import FakeTelegram, RunningBot, TgUser, run_bot


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.close()


@pytest.fixture
async def webhook_bot(
    services: Services, router: Router, fake: FakeTelegram
) -> AsyncIterator[RunningBot]:
    bot = await run_bot(services, router, fake, mode="webhook")
    yield bot
    await bot.stop()


@pytest.fixture
async def polling_bot(
    services: Services, router: Router, fake: FakeTelegram
) -> AsyncIterator[RunningBot]:
    bot = await run_bot(services, router, fake, mode="polling")
    yield bot
    await bot.stop()


async def test_polling_start_language_buttons_then_menu_in_place(
    polling_bot: RunningBot, fake: FakeTelegram
) -> None:
    olena = TgUser(fake, 501, language="en")
    await fake.push(olena.start())
    await fake.wait_for(lambda: len(fake.chat(501)) >= 1)
    [picker] = fake.chat(501)  # one message: the greeting above the language question
    assert "Tourdesk Travel" in picker.text
    assert picker.labels == ["Українська", "English", "Русский"]

    press = olena.press_label("English")
    await fake.push(press)
    await fake.wait_for(lambda: fake.chat(501)[-1].edits == 1)
    assert [q["callback_query_id"] for q in fake.requests("answerCallbackQuery")] == [
        press["callback_query"]["id"]
    ]
    menu = fake.last(501)
    assert menu.message_id == picker.message_id  # edited in place, no new message
    assert "Language changed to English" in menu.text
    assert "Main menu" in menu.text
    assert any("Find a tour" in label for label in menu.labels)


async def test_polling_stops_cleanly_and_confirms_handled_updates(
    services: Services, router: Router, fake: FakeTelegram
) -> None:
    bot = await run_bot(services, router, fake, mode="polling")
    await fake.push(TgUser(fake, 502).start())
    await fake.wait_for(lambda: len(fake.chat(502)) >= 1)
    await bot.stop()
    offsets = [int(p.get("offset") or 0) for p in fake.requests("getUpdates")]
    assert max(offsets) > 0  # the handled update was confirmed with an offset
    assert fake.requests("deleteWebhook")  # polling made sure no webhook was in the way


async def test_webhook_registration_and_commands(
    webhook_bot: RunningBot, fake: FakeTelegram
) -> None:
    hook = fake.webhook
    assert hook is not None
    assert hook["url"].endswith("/webhooks/telegram")
    assert hook["url"].startswith(webhook_bot.runtime.services.settings.web.public_url)
    assert hook["secret_token"] == webhook_bot.channel.secret
    assert set(hook["allowed_updates"]) == {"message", "callback_query", "my_chat_member"}
    for language in ("uk", "en", "ru", None):
        commands = {c["command"]: c["description"] for c in fake.commands[language]}
        assert {"start", "menu", "cancel"} <= set(commands)
    assert fake.commands["uk"][1]["description"] == "Головне меню"
    assert fake.commands["en"][1]["description"] == "Main menu"
    assert fake.commands["ru"][1]["description"] == "Главное меню"


async def test_webhook_start_and_button(webhook_bot: RunningBot, fake: FakeTelegram) -> None:
    olena = TgUser(fake, 601, language="uk")
    assert await webhook_bot.post(olena.start()) == 200
    [picker] = fake.chat(601)  # one message: the greeting above the language question
    assert "Tourdesk Travel" in picker.text
    assert picker.labels == ["Українська", "English", "Русский"]

    assert await webhook_bot.post(olena.press_label("Українська")) == 200
    assert len(fake.requests("answerCallbackQuery")) == 1
    menu = fake.last(601)
    assert menu.message_id == picker.message_id and menu.edits == 1
    assert "Головне меню" in menu.text


async def test_edit_not_modified_and_edit_fallback(
    webhook_bot: RunningBot, fake: FakeTelegram
) -> None:
    olena = TgUser(fake, 611)
    await webhook_bot.post(olena.start())
    await webhook_bot.post(olena.press_label("English"))
    menu = fake.last(611)
    count = len(fake.chat(611))
    assert await webhook_bot.post(olena.press("1|menu", menu)) == 200  # the menu, no note
    assert (len(fake.chat(611)), menu.edits) == (count, 2)
    # Pressed once more: the same screen, Telegram answers "message is not modified"; the
    # user sees nothing new, and the button stops spinning.
    assert await webhook_bot.post(olena.press("1|menu", menu)) == 200
    assert (len(fake.chat(611)), menu.edits) == (count, 2)
    assert len(fake.requests("editMessageText")) == 3
    assert len(fake.requests("answerCallbackQuery")) == 3
    # The message is gone (deleted by the user): the menu comes as a new message instead.
    del fake.messages[(611, menu.message_id)]
    assert await webhook_bot.post(olena.press("1|menu", menu)) == 200
    assert "Main menu" in fake.last(611).text
    assert fake.last(611).message_id > menu.message_id


@pytest.mark.parametrize("secret", [None, "wrong-secret"])
async def test_webhook_refuses_wrong_secret_without_side_effects(
    webhook_bot: RunningBot, fake: FakeTelegram, secret: str | None
) -> None:
    intruder = TgUser(fake, 666)
    assert await webhook_bot.post(intruder.start(), secret=secret) == 401
    assert await MessengerAccount.filter(external_id="666").count() == 0
    assert fake.requests("sendMessage") == []


async def test_duplicate_update_gets_one_reply(webhook_bot: RunningBot, fake: FakeTelegram) -> None:
    update = TgUser(fake, 602).start()
    assert await webhook_bot.post(update) == 200
    assert await webhook_bot.post(update) == 200  # Telegram retried: still 200, not handled again
    assert len(fake.chat(602)) == 1


async def test_duplicate_update_across_processes_and_restart(
    services: Services, router: Router, fake: FakeTelegram
) -> None:
    from bots.app import build_services

    first = await run_bot(services, router, fake, mode="webhook")
    update = TgUser(fake, 603).start()
    assert await first.post(update) == 200
    await first.stop()
    # A second process (fresh services, same database and Redis) gets the same update again.
    other = await build_services(services.settings, services.rules, clock=services.clock)
    second = await run_bot(other, router, fake, mode="webhook")
    try:
        assert await second.post(update) == 200
    finally:
        await second.stop()
    assert len(fake.chat(603)) == 1


async def _share_phone_screen(bot: RunningBot, user: TgUser) -> None:
    await bot.post(user.start())
    await bot.post(user.press_label("English"))
    await bot.post(user.press_label("Share my phone"))


async def test_someone_elses_contact_is_refused(
    webhook_bot: RunningBot, fake: FakeTelegram
) -> None:
    olena = TgUser(fake, 604)
    await _share_phone_screen(webhook_bot, olena)
    request = fake.chat(604)[-1]
    assert request.markup and request.markup["keyboard"][0][0]["request_contact"] is True
    assert request.markup["one_time_keyboard"] is True

    assert await webhook_bot.post(olena.contact("+380671234567", owner=999)) == 200
    assert "only accept your own phone number" in fake.last(604).text
    assert "remove_keyboard" not in (fake.last(604).markup or {})  # still asking
    assert await Client.filter(phone="+380671234567").count() == 0


async def test_own_contact_identifies_the_client(
    webhook_bot: RunningBot, fake: FakeTelegram
) -> None:
    olena = TgUser(fake, 605)
    await _share_phone_screen(webhook_bot, olena)
    before = len(fake.chat(605))
    assert await webhook_bot.post(olena.contact("380671234567")) == 200  # Telegram omits the +
    client = await Client.get(phone="+380671234567")
    account = await MessengerAccount.get(channel="telegram", external_id="605")
    assert account.client_id == client.id  # type: ignore[attr-defined]
    thanks = fake.chat(605)[before]
    assert "registered" in thanks.text
    assert thanks.markup == {"remove_keyboard": True}  # the contact keyboard goes away


async def test_phone_request_with_cancel_button(
    webhook_bot: RunningBot, fake: FakeTelegram
) -> None:
    olena = TgUser(fake, 606)
    await _share_phone_screen(webhook_bot, olena)
    text_part, keyboard_part = fake.chat(606)[-2:]
    assert "share your phone number" in text_part.text
    assert text_part.labels  # the inline Cancel stays with the question
    assert keyboard_part.markup is not None
    assert keyboard_part.markup["keyboard"][0][0]["text"] == keyboard_part.text


async def test_user_text_is_escaped(webhook_bot: RunningBot, fake: FakeTelegram) -> None:
    # A client whose Telegram name contains markup asks to be forgotten; the admin's
    # notification quotes the name. The fake refuses broken HTML as Telegram does, so an
    # unescaped "<b>" would not even arrive.
    admin = await Staff.create(name="Admin", role=Role.ADMIN, locale="en")
    await MessengerAccount.create(channel="telegram", external_id="900", staff=admin)
    olena = TgUser(fake, 607, first_name="<b>Olena & Co")
    await _share_phone_screen(webhook_bot, olena)
    await webhook_bot.post(olena.text("0671234567"))
    await webhook_bot.post(olena.press_label("Yes"))
    await webhook_bot.post(olena.press_label("Settings"))
    await webhook_bot.post(olena.press_label("Forget me"))
    await webhook_bot.post(olena.press_label("Yes, delete"))
    assert (await Client.get(phone="+380671234567")).first_name == "<b>Olena & Co"
    await webhook_bot.runtime.delivery.run_once()
    [note] = fake.chat(900)
    assert "Client <b>Olena & Co (" in note.text  # shown literally
    assert "&lt;b&gt;Olena &amp; Co" in note.raw
    assert {r["parse_mode"] for r in fake.requests("sendMessage")} == {"HTML"}


async def test_membership_changes_mark_the_account(
    webhook_bot: RunningBot, fake: FakeTelegram
) -> None:
    olena = TgUser(fake, 608)
    await webhook_bot.post(olena.start())
    await webhook_bot.post(olena.membership("kicked"))
    assert (await MessengerAccount.get(external_id="608")).blocked is True
    await webhook_bot.post(olena.membership("member"))
    assert (await MessengerAccount.get(external_id="608")).blocked is False


async def test_reply_to_media_and_location_reach_the_dispatcher(
    webhook_bot: RunningBot, fake: FakeTelegram
) -> None:
    olena = TgUser(fake, 609)
    await webhook_bot.post(olena.start())
    await webhook_bot.post(olena.press_label("English"))
    for update in (
        olena.photo("my passport"),
        olena.location(50.45, 30.52),
        olena.text("hello", reply_to=fake.last(609).message_id),
    ):
        before = len(fake.chat(609))
        assert await webhook_bot.post(update) == 200
        assert len(fake.chat(609)) > before  # each got an answer (the menu's fallback)


async def test_group_messages_are_ignored(webhook_bot: RunningBot, fake: FakeTelegram) -> None:
    update = TgUser(fake, 610).start()
    update["message"]["chat"] = {"id": -100123, "type": "supergroup", "title": "Staff"}
    assert await webhook_bot.post(update) == 200
    assert fake.requests("sendMessage") == []


async def test_staff_get_their_commands_menu_and_lose_it_when_revoked(
    webhook_bot: RunningBot, fake: FakeTelegram, services: Services
) -> None:
    from core.staff.invites import create_invite, revoke

    await fake.wait_for(lambda: webhook_bot.channel.ready.is_set())
    invite = await create_invite(services.rules, services.clock.now(), Role.ACCOUNTANT, "Oksana")
    oksana = TgUser(fake, 611, language="en")
    assert await fake.deliver(oksana.text(invite.code)) == 200
    await fake.wait_for(lambda: 611 in fake.chat_commands)
    menu = [c["command"] for c in fake.chat_commands[611]]
    assert "debtors" in menu and "find" in menu
    assert "neworder" not in menu and "team" not in menu  # not an accountant's to use

    client = TgUser(fake, 612, language="en")
    assert await fake.deliver(client.start()) == 200
    assert 612 not in fake.chat_commands  # clients keep the bot-wide menu

    staff = await Staff.get(name="Oksana")
    await revoke(services.clock.now(), staff.id)
    assert await fake.deliver(oksana.text("/debtors")) == 200
    await fake.wait_for(lambda: 611 not in fake.chat_commands)
