"""How many parts (segments) an SMS text takes, which decides what it costs.

A text that only uses the GSM 03.38 alphabet travels as 7-bit septets: 160 in one SMS, 153 per
part when it has to be split (the rest of each part is the concatenation header). Characters
of the alphabet's extension table (``€ [ ] { } \\ ^ ~ |`` and the form feed) take two septets
and are never split across parts. Anything else (Cyrillic, emoji) makes the whole text UCS-2:
70 UTF-16 units in one SMS, 67 per part, and a character outside the BMP (most emoji) takes two
units that stay together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "\f^{}\\[~]|€"
_BASIC = frozenset(GSM_BASIC)
_EXTENSION = frozenset(GSM_EXTENSION)

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

Encoding = Literal["gsm7", "ucs2"]


@dataclass(frozen=True, slots=True)
class Parts:
    encoding: Encoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    count: int  # SMS parts the text takes (0 for an empty text)


def is_gsm7(text: str) -> bool:
    return all(ch in _BASIC or ch in _EXTENSION for ch in text)


def _weights(text: str, encoding: Encoding) -> list[int]:
    if encoding == "gsm7":
        return [2 if ch in _EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _split_count(weights: list[int], per_part: int) -> int:
    """Parts when filled greedily, a character never split between two parts."""
    parts, used = 1, 0
    for weight in weights:
        if used + weight > per_part:
            parts, used = parts + 1, 0
        used += weight
    return parts


def count_parts(text: str) -> Parts:
    """The encoding, size and number of parts of ``text`` as one (possibly long) SMS."""
    encoding: Encoding = "gsm7" if is_gsm7(text) else "ucs2"
    weights = _weights(text, encoding)
    units = sum(weights)
    single, per_part = (GSM_SINGLE, GSM_PART) if encoding == "gsm7" else (UCS2_SINGLE, UCS2_PART)
    if units == 0:
        return Parts(encoding, 0, 0)
    if units <= single:
        return Parts(encoding, units, 1)
    return Parts(encoding, units, _split_count(weights, per_part))
