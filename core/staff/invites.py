"""One-time invites that turn a messenger account into a staff member, and revoking staff.

A code (``TD`` + 12 characters without look-alikes) is printed by ``tourdesk staff invite`` or
issued by an admin in chat; the person sends it to the bot as text or opens a channel's deep
link (``/start <code>``, when a channel has one). Redeeming is one conditional UPDATE, so a
code links exactly one account even when it is sent twice at once.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from core.audit import audit_at
from core.channels import ChannelDirectory
from core.delivery import cancel_unsent
from core.errors import DomainError, InvalidInput, NotFound
from core.rules import Rules
from storage.models import (
    MessengerAccount,
    Role,
    Staff,
    StaffInvite,
)

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_RE = re.compile(rf"TD[{ALPHABET}]{{{CODE_LENGTH}}}")
DEFAULT_HOURS = 48
NAME_MAX = 100


class InviteRefused(DomainError):
    """The code is unknown, expired or used; the key says which."""


def new_code() -> str:
    return "TD" + "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_in(text: str | None) -> str | None:
    """The invite code when ``text`` is one (any case, surrounding spaces allowed)."""
    candidate = (text or "").strip().upper()
    return candidate if CODE_RE.fullmatch(candidate) else None


def clean_name(name: str) -> str:
    value = " ".join((name or "").split())
    if not value or len(value) > NAME_MAX:
        raise InvalidInput("st-error-name", max=NAME_MAX)
    return value


def parse_role(text: str) -> Role:
    try:
        return Role((text or "").strip().lower())
    except ValueError:
        raise InvalidInput("st-error-role") from None


@dataclass(frozen=True, slots=True)
class Invite:
    code: str
    role: Role
    name: str
    expires_at: datetime
    link: str | None


async def create_invite(
    rules: Rules,
    now: datetime,
    role: Role,
    name: str,
    *,
    created_by: Staff | None = None,
    hours: int = DEFAULT_HOURS,
    links: ChannelDirectory | None = None,
) -> Invite:
    """Store a new one-time code; audited as the admin who asked (or ``cli``). ``links`` (the
    deployment's channels) gives the invite a deep link when a channel has one."""
    name = clean_name(name)
    if hours <= 0:
        raise InvalidInput("st-error-hours")
    expires_at = now + timedelta(hours=hours)
    invite = await StaffInvite.create(
        code=new_code(), role=role, name=name, expires_at=expires_at, created_by=created_by
    )
    await audit_at(
        created_by or "cli",
        "staff.invite",
        at=now,
        subject=f"invite:{invite.id}",
        details={"role": role.value, "name": name, "expires_at": expires_at.isoformat()},
    )
    return Invite(
        invite.code, role, name, expires_at, links.deep_link(rules, invite.code) if links else None
    )


async def redeem(now: datetime, account: MessengerAccount, code: str, locale: str) -> Staff:
    """Link ``account`` to a new staff member made from the invite; refuse a bad code."""
    if account.staff_id is not None and await Staff.exists(id=account.staff_id, active=True):
        raise InviteRefused("st-invite-already-staff")
    async with in_transaction():
        won = await StaffInvite.filter(code=code, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        )
        if won:
            return await _join(now, account, code, locale)
    invite = await StaffInvite.get_or_none(code=code)
    if invite is None:
        key = "st-invite-unknown"
    elif invite.used_at is not None:
        key = "st-invite-used"
    else:
        key = "st-invite-expired"
    await audit_at(f"account:{account.id}", "staff.invite-refused", at=now, details={"reason": key})
    raise InviteRefused(key)


async def _join(now: datetime, account: MessengerAccount, code: str, locale: str) -> Staff:
    invite = await StaffInvite.get(code=code)
    staff = await Staff.create(name=invite.name, role=invite.role, locale=locale)
    invite.staff = staff
    await invite.save(update_fields=["staff_id"])
    account.staff = staff
    await account.save(update_fields=["staff_id"])
    await audit_at(
        staff,
        "staff.joined",
        at=now,
        subject=f"staff:{staff.id}",
        details={"invite": invite.id, "role": Role(staff.role).value, "channel": account.channel},
    )
    return staff


async def revoke(now: datetime, staff_id: int, *, by: Staff | None = None) -> Staff:
    """Take every staff capability away at once; unsent messages to them are cancelled."""
    staff = await Staff.get_or_none(id=staff_id)
    if staff is None:
        raise NotFound("st-staff-not-found")
    if by is not None and by.id == staff.id:
        raise InvalidInput("st-revoke-self")
    if not staff.active:
        raise InvalidInput("st-revoke-already", name=staff.name)
    async with in_transaction():
        changed = await Staff.filter(id=staff.id, active=True).update(active=False, revoked_at=now)
        if not changed:
            raise InvalidInput("st-revoke-already", name=staff.name)
        # everything not yet sent: pending, waiting for a retry, and claimed right now
        cancelled = await cancel_unsent(staff_id=staff.id)
        await audit_at(
            by or "cli",
            "staff.revoke",
            at=now,
            subject=f"staff:{staff.id}",
            details={"name": staff.name, "role": Role(staff.role).value, "cancelled": cancelled},
        )
    staff.active = False
    staff.revoked_at = now
    return staff


@dataclass(frozen=True, slots=True)
class Member:
    staff: Staff
    channels: tuple[str, ...]


async def open_invites(now: datetime) -> list[StaffInvite]:
    """Invites nobody has used yet that are still valid, oldest first."""
    return await StaffInvite.filter(used_at__isnull=True, expires_at__gt=now).order_by("id")


async def team(page: int = 0, size: int = 8) -> tuple[list[Member], int]:
    """One page of staff members (active ones first) with their messengers; and the total."""
    total = await Staff.all().count()
    members = await Staff.all().order_by("-active", "id").offset(page * size).limit(size)
    accounts = await MessengerAccount.filter(staff_id__in=[m.id for m in members]).values_list(
        "staff_id", "channel"
    )
    channels: dict[int, set[str]] = {}
    for staff_id, channel in accounts:
        channels.setdefault(int(staff_id), set()).add(str(channel))
    return [Member(m, tuple(sorted(channels.get(m.id, ())))) for m in members], total
