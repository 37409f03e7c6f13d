"""Short, versioned button payloads, encoded one way for every channel.

Telegram's ``callback_data`` allows 64 bytes and Viber's ``ActionBody`` far more; we keep to
the smaller. A payload is ``"1|action|arg|arg"``: the leading version lets us change the
format later and still recognise (and politely refuse) buttons from old messages.
"""

from __future__ import annotations

from dataclasses import dataclass

VERSION = "1"
SEP = "|"
MAX_BYTES = 64


class PayloadError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Payload:
    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int, default: str = "") -> str:
        return self.args[index] if index < len(self.args) else default

    def int_arg(self, index: int) -> int:
        try:
            return int(self.args[index])
        except (IndexError, ValueError) as exc:
            raise PayloadError(f"argument {index} of {self.action!r} is not a number") from exc


def encode(action: str, *args: object) -> str:
    parts = [VERSION, action, *(str(a) for a in args)]
    if any(SEP in p for p in parts[1:]):
        raise PayloadError(f"payload part contains {SEP!r}: {parts!r}")
    text = SEP.join(parts)
    if len(text.encode()) > MAX_BYTES:
        raise PayloadError(f"payload longer than {MAX_BYTES} bytes: {text!r}")
    return text


def decode(text: str) -> Payload:
    parts = text.split(SEP)
    if len(parts) < 2 or parts[0] != VERSION or not parts[1]:
        raise PayloadError(f"not a current payload: {text[:80]!r}")
    return Payload(parts[1], tuple(parts[2:]))
