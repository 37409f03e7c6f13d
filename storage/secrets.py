"""Secrets shared by every process: generated once, stored in ``shared_secrets``."""

from __future__ import annotations

import secrets

from tortoise.exceptions import IntegrityError

from storage.models import SharedSecret


async def shared_secret(name: str) -> str:
    """The secret called ``name``; the first process to ask creates it, the others read it."""
    row = await SharedSecret.get_or_none(name=name)
    if row is not None:
        return row.value
    try:
        row = await SharedSecret.create(name=name, value=secrets.token_hex(32))
    except IntegrityError:  # another process created it first: theirs wins
        row = await SharedSecret.get(name=name)
    return row.value
