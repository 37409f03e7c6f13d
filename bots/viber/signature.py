"""Viber signs every callback: ``X-Viber-Content-Signature = hex(HMAC-SHA256(token, raw body))``.

The signature is checked over the exact bytes received, before anything is parsed, with a
constant-time comparison.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Viber-Content-Signature"


class SignatureError(Exception):
    """The callback is not signed with our token: answer 403 and do nothing else."""


def sign(token: str, body: bytes) -> str:
    """The signature Viber puts in :data:`HEADER` for ``body`` (also used by tests)."""
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def verify(token: str, body: bytes, signature: str | None) -> None:
    """Raise :class:`SignatureError` unless ``signature`` is ``body``'s HMAC under ``token``."""
    if not token:
        raise SignatureError("no Viber token configured")
    if not signature:
        raise SignatureError("missing signature header")
    expected = sign(token, body)
    given = signature.strip().lower()
    if not hmac.compare_digest(expected.encode(), given.encode("ascii", "replace")):
        raise SignatureError("signature mismatch")
