"""Named API keys for the agency's CRM / 1C: created and revoked from the CLI, checked by the
REST API (``bots/api``).

A key is ``td_`` + 40 random url-safe characters (240 bits): high entropy, so a plain sha256
is enough to store it (no salt or slow hash needed — there is nothing to brute-force). Only
the hash is kept; the key is shown once. A revoked key stays on record so audit entries that
name it keep meaning something.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError

from core.audit import audit
from core.errors import InvalidInput, NotFound
from storage.models import ApiKey

PREFIX = "td_"
PREFIX_SHOWN = 8  # characters of the key kept in clear, to recognise it in `api-key list`
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$")  # "api:<name>" fits the audit actor

# Every scope a key may hold. Reads never change anything; writes include their reads' effects
# only when a key also holds the read scope.
SCOPES: dict[str, str] = {
    "clients:read": "search and read clients",
    "clients:write": "create, update and merge clients",
    "orders:read": "read orders",
    "orders:write": "create and update orders, change their status (the client is told)",
    "payments:read": "read payments (payment links and their outcome) and ledger entries",
    "payments:write": "create payment links for orders",
    "requests:read": "read tour requests",
    "requests:write": "assign tour requests to managers",
    "mailings:read": "read mailings and their progress",
    "mailings:write": "create mailings, pause, resume and cancel them",
    "staff:read": "read the staff list",
    "imports:read": "read import jobs and their reports",
    "imports:write": "upload client and order files to import",
    "reports:read": "read reports (JSON, CSV, XLSX)",
}


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_scopes(text: str) -> list[str]:
    """``"clients:read,orders:write"`` -> sorted unique scopes; ``*`` means every scope."""
    wanted = {s.strip() for s in (text or "").split(",") if s.strip()}
    if wanted == {"*"}:
        return sorted(SCOPES)
    unknown = sorted(wanted - set(SCOPES))
    if unknown:
        raise InvalidInput("api-unknown-scope", scope=unknown[0], known=", ".join(SCOPES))
    if not wanted:
        raise InvalidInput("api-no-scopes", known=", ".join(SCOPES))
    return sorted(wanted)


@dataclass(frozen=True, slots=True)
class NewKey:
    record: ApiKey
    key: str  # shown once


async def create_key(name: str, scopes: list[str], *, rate_per_minute: int | None = None) -> NewKey:
    name = (name or "").strip()
    if not NAME.match(name):
        raise InvalidInput("api-bad-key-name")
    if rate_per_minute is not None and rate_per_minute < 1:
        raise InvalidInput("api-bad-rate")
    key = PREFIX + secrets.token_urlsafe(30)
    try:
        record = await ApiKey.create(
            name=name,
            key_hash=hash_key(key),
            prefix=key[:PREFIX_SHOWN],
            scopes=sorted(set(scopes)),
            rate_per_minute=rate_per_minute,
        )
    except IntegrityError:
        raise InvalidInput("api-key-name-taken", name=name) from None
    await audit("cli", "api-key.create", subject=f"api-key:{name}", details={"scopes": scopes})
    return NewKey(record, key)


async def list_keys() -> list[ApiKey]:
    return await ApiKey.all().order_by("id")


async def revoke_key(name: str, now: datetime) -> ApiKey:
    record = await ApiKey.get_or_none(name=(name or "").strip())
    if record is None:
        raise NotFound("api-key-not-found", name=name)
    if record.revoked_at is None:
        await ApiKey.filter(id=record.id, revoked_at__isnull=True).update(revoked_at=now)
        record.revoked_at = now
        await audit("cli", "api-key.revoke", subject=f"api-key:{record.name}")
    return record


async def find_key(presented: str) -> ApiKey | None:
    """The live key ``presented`` is, or None (unknown, malformed or revoked)."""
    if not presented.startswith(PREFIX) or len(presented) > 128:
        return None
    digest = hash_key(presented)
    record = await ApiKey.get_or_none(key_hash=digest)
    # the lookup is by hash (no timing leak about the key); compare anyway, in constant time
    if record is None or not hmac.compare_digest(record.key_hash, digest):
        return None
    if record.revoked_at is not None:
        return None
    return record
