"""Clients: identified by a normalised phone (E.164), one client across all their messengers."""

from __future__ import annotations

import phonenumbers
from tortoise.exceptions import IntegrityError

from core.errors import InvalidInput
from storage.models import Client, MessengerAccount


def normalise_phone(text: str, region: str) -> str:
    """``"067 123 45 67"`` (region UA) -> ``"+380671234567"``; :class:`InvalidInput` otherwise."""
    raw = (text or "").strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw and raw[0].isdigit() and len(raw) > 10 and not raw.startswith("0"):
        raw = "+" + raw  # shared contacts often come without the plus: 380671234567
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise InvalidInput("error-phone") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput("error-phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(phone: str | None) -> str:
    """For logs and staff lists where the full number is not needed: +380*****4567."""
    if not phone:
        return ""
    return phone[:4] + "*" * max(len(phone) - 8, 0) + phone[-4:]


async def link_phone(
    account: MessengerAccount, phone: str, *, locale: str, first_name: str = ""
) -> tuple[Client, bool]:
    """Attach ``account`` to the client with this phone, creating one if needed.

    Returns ``(client, created)``. Safe against two accounts of one person racing.
    """
    client = await Client.get_or_none(phone=phone)
    created = False
    if client is None:
        try:
            client = await Client.create(phone=phone, locale=locale, first_name=first_name)
            created = True
        except IntegrityError:  # the same person's other messenger won the race
            client = await Client.get(phone=phone)
    if account.client_id != client.id:  # type: ignore[attr-defined]
        account.client = client
        await account.save(update_fields=["client_id"])
    return client, created
