"""A stranger naming a tourist's phone, end to end: Telegram updates through our webhook and
the fake Bot API, Viber contact cards through the signed Viber webhook. What we check is what
each person's messenger received."""

from __future__ import annotations

import re

from core import ledger
from core.payments.notices import receipt_topup, tell_client
from core.services import Services
from storage.models import Client, EntryKind, MessengerAccount, Order
from tests.support import e2e
from tests.support.e2e import Desk, LiveViber, TgPerson, register

PHONE = "+380671234567"


# Fixtures from tests/support/e2e.py: pytest takes a fixture by its name in this module.
rules, desk = e2e.scripted_rules, e2e.telegram_and_viber_desk


def vb(desk: Desk) -> LiveViber:
    assert desk.viber is not None
    return desk.viber


async def tourist(desk: Desk) -> tuple[TgPerson, Client]:
    """Olena in Telegram, identified by her own contact, with a trip and 2,000.00 UAH."""
    assert desk.telegram is not None
    olena = TgPerson(desk.telegram, 501, "Olena")
    await olena.start()
    await olena.press("English")
    await register(olena, PHONE.lstrip("+"))
    client = await Client.get(phone=PHONE)
    await Order.create(number="T-0001", client=client, destination="Crete", price=1, currency="UAH")
    await ledger.credit(client.id, 200_000, "UAH", EntryKind.PAYMENT, "test:topup")
    return olena, client


def code_in(text: str) -> str:
    found = re.search(r"Code: (\d{6})", text)
    assert found is not None, text
    return found.group(1)


async def test_telegram_stranger_typing_the_phone_gets_nothing_of_the_tourists(
    desk: Desk, services: Services
) -> None:
    olena, client = await tourist(desk)
    assert desk.telegram is not None
    mallory = TgPerson(desk.telegram, 666, "Mallory")
    await mallory.start()
    await mallory.press("English")
    await mallory.press("Share my phone")
    await mallory.act(mallory.user.contact(PHONE, owner=501))  # Olena's contact card
    assert "we can only accept your own phone number" in mallory.text
    await mallory.say("067 123 45 67")
    assert "already belongs to a client profile" in mallory.text
    assert "We found your profile" not in mallory.text

    await desk.deliver()
    warned = olena.inbox()
    assert len(warned) == 1
    assert "Someone is trying to link your number in Telegram" in warned[0].text
    code_in(warned[0].text)  # the code is in Olena's chat, not Mallory's
    assert "Code:" not in " ".join(m.text for m in mallory.inbox())

    await mallory.press("Continue as a new client")
    await mallory.press("No, thanks")
    await mallory.press("My trips")
    assert "T-0001" not in mallory.text
    await mallory.press("Back")
    await mallory.press("Balance")
    assert "2,000" not in mallory.text

    # Olena's next receipt reaches Olena only, though Mallory wrote last
    await tell_client(
        services, client, receipt_topup(100, "UAH", 200_100), kind="receipt", dedupe_key="r1"
    )
    await desk.deliver()
    assert mallory.inbox() == []
    (receipt,) = olena.inbox()
    assert "2,001" in receipt.text
    await client.refresh_from_db()
    assert client.phone == PHONE


async def test_viber_contact_card_is_no_proof_and_the_code_from_telegram_is(
    desk: Desk,
) -> None:
    olena, client = await tourist(desk)
    mallory = vb(desk).person("mallory-vb==", "Mallory")
    await mallory.open_chat()
    await mallory.press("English")
    await mallory.press("Share my phone")
    await mallory.share_phone(PHONE.lstrip("+"))  # a contact card with Olena's number
    assert "already belongs to a client profile" in mallory.text
    assert "sent to the Telegram chat" in mallory.text
    await desk.deliver()
    first_code = code_in(olena.inbox()[-1].text)
    await mallory.say("000000" if first_code != "000000" else "111111")
    assert "That code is not right" in mallory.text
    account = await MessengerAccount.get(channel="viber", external_id="mallory-vb==")
    assert account.client_id != client.id  # type: ignore[attr-defined]

    # Olena herself, in Viber: the code from her Telegram chat links the account
    in_viber = vb(desk).person("olena-vb==", "Olena")
    await in_viber.open_chat()
    await in_viber.press("English")
    await in_viber.press("Share my phone")
    await in_viber.share_phone(PHONE.lstrip("+"))
    await desk.deliver()
    code = code_in(olena.inbox()[-1].text)
    await in_viber.say(code)
    assert "now linked to your profile" in in_viber.text
    await in_viber.press("My trips")
    assert "T-0001" in in_viber.text
    mine = await MessengerAccount.get(channel="viber", external_id="olena-vb==")
    assert mine.client_id == client.id  # type: ignore[attr-defined]


async def test_telegram_own_contact_still_opens_an_existing_profile_at_once(desk: Desk) -> None:
    imported = await Client.create(phone=PHONE, first_name="Olena", marketing_consent=True)
    await Order.create(
        number="T-0005", client=imported, destination="Bali", price=1, currency="UAH"
    )
    assert desk.telegram is not None
    olena = TgPerson(desk.telegram, 502, "Olena")
    await olena.start()
    await olena.press("English")
    await olena.press("Share my phone")
    await olena.share_phone(PHONE.lstrip("+"))  # Telegram sets contact.user_id to hers
    assert "We found your profile" in olena.text
    await olena.press("My trips")
    assert "T-0005" in olena.text
    account = await MessengerAccount.get(channel="telegram", external_id="502")
    assert account.client_id == imported.id  # type: ignore[attr-defined]
