"""A phone shared from any screen is taken under the identity rule and the person goes on where
they were (issue 16). Flows through the recording adapter, then end to end: Telegram updates
through our webhook and the fake Bot API (the real aiogram path), Viber contact messages signed
as Viber signs them."""

from __future__ import annotations

import re
from typing import Any

from core.contract import Address
from core.services import Services
from core.state import State
from handlers.router import Router
from storage.models import Client, MessengerAccount, PhoneClaim, Role
from tests.support import e2e
from tests.support.chat import RecordingChat
from tests.support.e2e import Desk, LiveViber, TgPerson, VbPerson
from tests.support.e2e import register as e2e_register
from tests.support.journeys import register, staff_chat

PHONE = "+380671234567"
OTHER = "+380501112233"


async def state_of(chat: RecordingChat) -> State:
    return await chat.services.states.load(Address(chat.channel, chat.user_id))


async def in_wizard_at_step_two(chat: RecordingChat) -> None:
    await chat.press("Find a tour")
    await chat.say("Crete")
    assert "Step 2 of 6" in chat.text


# ---- flows (recording adapter) ------------------------------------------------------------


async def test_contact_shared_from_settings_registers_and_settings_come_back(
    chat: RecordingChat,
) -> None:
    await chat.start()
    await chat.press("English")
    await chat.press("Share my phone")  # the contact keyboard is on screen from here on
    await chat.press("Cancel")
    await chat.press("Settings")
    await chat.share_phone(PHONE, own=True)
    assert "Please use the buttons below" not in chat.text
    assert "You are registered with us now" in chat.text
    await chat.press("Yes, please")
    assert "Settings" in chat.text and PHONE in chat.text
    client = await Client.get(phone=PHONE)
    assert client.marketing_consent is True
    state = await state_of(chat)
    assert state.name == "settings"
    assert "_resume" not in state.data


async def test_contact_mid_wizard_changes_the_phone_and_asks_the_same_step_again(
    chat: RecordingChat,
) -> None:
    client = await register(chat)
    await in_wizard_at_step_two(chat)
    await chat.share_phone(OTHER, own=True)
    assert f"Your phone number is now {OTHER}" in chat.text
    assert "Step 2 of 6" in chat.text and "When would you like to travel" in chat.text
    await client.refresh_from_db()
    assert client.phone == OTHER
    await chat.say("June")  # the wizard goes on with its answers kept
    assert "Step 3 of 6" in chat.text
    await chat.press("Back")
    await chat.press("Back")
    assert "Step 1 of 6" in chat.text
    state = await state_of(chat)
    assert state.data["_tour"]["draft"]["destination"] == "Crete"


async def test_same_number_again_is_said_plainly_and_the_screen_comes_back(
    chat: RecordingChat,
) -> None:
    await register(chat)
    await chat.press("Settings")
    await chat.share_phone(PHONE, own=True)
    assert "already in your profile" in chat.text
    assert "Change my phone" in " ".join(chat.labels())
    assert (await state_of(chat)).name == "settings"


async def test_someone_elses_number_mid_wizard_is_a_claim_and_the_wizard_waits(
    services: Services, chat: RecordingChat
) -> None:
    owner = await Client.create(phone=OTHER, first_name="Taras", marketing_consent=True)
    await register(chat)
    await in_wizard_at_step_two(chat)
    await chat.share_phone(OTHER)  # not vouched for, and Taras has no messenger for a code
    assert "asked the agency to confirm that +380501112233 is yours" in chat.text
    assert (await PhoneClaim.filter(target_id=owner.id).count()) == 1
    assert "Step 2 of 6" in chat.text
    account = await MessengerAccount.get(external_id=chat.user_id)
    assert account.client_id != owner.id
    await chat.say("June")
    assert "Step 3 of 6" in chat.text


async def test_staff_sharing_a_clients_contact_in_their_own_flow_is_not_taken_as_theirs(
    services: Services, router: Router
) -> None:
    _, account, manager = await staff_chat(services, router, "Iryna", role=Role.MANAGER)
    await manager.share_phone(PHONE, own=True)
    assert await Client.filter(phone=PHONE).count() == 0
    await account.refresh_from_db()
    assert account.client_id is None


# ---- end to end ----------------------------------------------------------------------------


# Fixtures from tests/support/e2e.py: pytest takes a fixture by its name in this module.
rules, desk = e2e.scripted_rules, e2e.telegram_and_viber_desk


def contact_keyboard_visible(person: TgPerson) -> bool:
    """Telegram shows the last reply keyboard sent until a message removes it."""
    visible = False
    for sent in person.fake.chat(person.id):
        markup = sent.markup or {}
        if "keyboard" in markup:
            visible = any(b.get("request_contact") for row in markup["keyboard"] for b in row)
        elif markup.get("remove_keyboard"):
            visible = False
    return visible


async def test_telegram_contact_from_settings_after_moving_on(desk: Desk) -> None:
    assert desk.telegram is not None
    olena = TgPerson(desk.telegram, 701, "Olena")
    await olena.start()
    await olena.press("English")
    await olena.press("Share my phone")
    await olena.press("Cancel")
    await olena.press("Settings")
    assert contact_keyboard_visible(olena)
    await olena.act(olena.user.contact(PHONE.lstrip("+")))  # the keyboard's button
    assert "Please use the buttons below" not in olena.text
    assert "You are registered with us now" in olena.text
    await olena.press("Yes, please")
    assert "⚙️ Settings" in olena.text and PHONE in olena.text
    account = await MessengerAccount.get(channel="telegram", external_id="701")
    client = await Client.get(phone=PHONE)
    assert account.client_id == client.id


async def test_telegram_contact_mid_wizard_keeps_the_step(desk: Desk) -> None:
    assert desk.telegram is not None
    olena = TgPerson(desk.telegram, 702, "Olena")
    await olena.start()
    await olena.press("English")
    await e2e_register(olena, PHONE.lstrip("+"))
    await olena.press("Find a tour")
    await olena.say("Crete")
    await olena.press("Back")
    await olena.press("Back")  # the wizard is paused, its answers kept
    await olena.press("Settings")
    await olena.press("Change my phone")
    await olena.press("Cancel")  # the contact keyboard stays
    await olena.press("Find a tour")
    await olena.press("Continue")
    await olena.say("Crete")
    assert "Step 2 of 6" in olena.text
    assert contact_keyboard_visible(olena)
    await olena.act(olena.user.contact(OTHER.lstrip("+")))  # her new SIM, her own contact
    assert f"Your phone number is now {OTHER}" in olena.text
    assert "Step 2 of 6" in olena.text
    await olena.say("June")
    assert "Step 3 of 6" in olena.text
    assert await Client.filter(phone=OTHER).count() == 1


def viber_contact(person: VbPerson, phone: str) -> dict[str, Any]:
    return {"type": "contact", "contact": {"name": person.name, "phone_number": phone}}


async def test_viber_contact_in_settings_and_in_the_wizard(desk: Desk) -> None:
    viber: LiveViber | None = desk.viber
    assert viber is not None
    taras = viber.person("taras-vb==", "Taras")
    await taras.open_chat()
    await taras.press("English")
    await taras.press("Settings")
    await taras.send(viber_contact(taras, PHONE.lstrip("+")))
    assert "You are registered with us now" in taras.text
    await taras.press("Yes, please")
    assert "⚙️ Settings" in taras.text and PHONE in taras.text

    await taras.press("Back")
    await taras.press("Find a tour")
    await taras.say("Crete")
    assert "Step 2 of 6" in taras.text
    await taras.send(viber_contact(taras, OTHER.lstrip("+")))  # a free number: now his
    assert f"Your phone number is now {OTHER}" in taras.text
    assert "Step 2 of 6" in taras.text
    await taras.say("June")
    assert "Step 3 of 6" in taras.text


async def test_viber_contact_card_of_a_known_client_in_the_wizard_needs_proof(
    desk: Desk,
) -> None:
    viber = desk.viber
    assert viber is not None and desk.telegram is not None
    olena = TgPerson(desk.telegram, 703, "Olena")
    await olena.start()
    await olena.press("English")
    await e2e_register(olena, PHONE.lstrip("+"))
    mallory = viber.person("mallory-vb==", "Mallory")
    await mallory.open_chat()
    await mallory.press("English")
    await e2e_register(mallory, OTHER.lstrip("+"))
    await mallory.press("Find a tour")
    await mallory.say("Crete")
    await mallory.send(viber_contact(mallory, PHONE.lstrip("+")))  # Olena's number
    assert "already belongs to a client profile" in mallory.text
    await desk.deliver()
    assert re.search(r"Code: \d{6}", olena.inbox()[-1].text)
    await mallory.press("Continue as a new client")
    assert "Step 2 of 6" in mallory.text
    olena_client = await Client.get(phone=PHONE)
    account = await MessengerAccount.get(channel="viber", external_id="mallory-vb==")
    assert account.client_id != olena_client.id
