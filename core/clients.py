"""Clients: identified by a normalised phone (E.164), one client across all their messengers."""

from __future__ import annotations

import phonenumbers

from core.errors import InvalidInput


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
