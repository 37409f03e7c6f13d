"""Proving that a phone belongs to the person who names it.

A phone opens an existing client's data only when it is proven: a messenger says the contact
is the sender's own (Telegram ``contact.user_id``), the person types a one-time code we sent to
a channel already linked to that client, or a staff member confirms. Until then the person is
a separate client of their own and their claim waits in :class:`PhoneClaim` -- their client
row never holds the other client's number, so nothing keyed by the phone reaches them.

Where a channel reaches clients by phone (SMS is on), the code also goes to the claimed
number itself. Codes: six digits, valid :data:`CODE_TTL`, stored as a salted SHA-256,
:data:`MAX_ATTEMPTS` tries each, only the latest one counts, and at most
:data:`CODES_PER_HOUR` sent per claimed client (its number) and per asking account in an hour;
a code is used up in the same conditional UPDATE that proves the claim. Staff are asked
about at most :data:`STAFF_ASKS_PER_HOUR` claims of one account an hour.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from core import fallback
from core.audit import audit, audit_at
from core.client_merge import merge_clients
from core.contract import Button, Reply, rows
from core.i18n import T
from core.notify import card_buttons, notify_roles
from core.payloads import encode
from core.services import Services
from core.staff import routes
from storage.models import (
    AuditEntry,
    ClaimStatus,
    Client,
    MessengerAccount,
    PhoneClaim,
    Role,
    Staff,
)
from storage.savepoint import savepoint

CODE_TTL = timedelta(minutes=10)
CODE_DIGITS = 6
MAX_ATTEMPTS = 5
CODES_PER_HOUR = 3
STAFF_ASKS_PER_HOUR = 3
STAFF_ROLES = (Role.MANAGER, Role.ADMIN)
CODE_SENT = "identity-code-sent"


class Taken(StrEnum):
    NEW = "new"  # a number nobody had: the account's client has it now
    KNOWN = "known"  # proven at once (own contact): the account joined the existing client
    CHANGED = "changed"  # the client's own number changed to a free one
    SAME = "same"  # the client already has this number
    CLAIM = "claim"  # someone else's number, unproven: a claim waits


@dataclass(frozen=True, slots=True)
class PhoneOutcome:
    taken: Taken
    client: Client
    claim: PhoneClaim | None = None


class CodeCheck(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"  # too many wrong tries
    NO_CODE = "no-code"
    CLOSED = "closed"  # the claim was decided, replaced, or the code already used


@dataclass(frozen=True, slots=True)
class CodeResult:
    check: CodeCheck
    client: Client | None = None
    attempts_left: int = 0


@dataclass(frozen=True, slots=True)
class CodeSent:
    channels: list[str] = field(default_factory=list)
    limited: bool = False
    by_phone: bool = False  # every code went to the claimed number itself (SMS)


def _hash(salt: str, code: str) -> str:
    return hmac.new(salt.encode(), code.encode(), hashlib.sha256).hexdigest()


async def _link(account: MessengerAccount, client: Client) -> None:
    if account.client_id != client.id:
        account.client = client
        await account.save(update_fields=["client_id"])


async def take_phone(
    account: MessengerAccount,
    current: Client | None,
    phone: str,
    *,
    verified: bool,
    locale: str,
    first_name: str = "",
) -> PhoneOutcome:
    """What ``account`` (whose client is ``current``) naming ``phone`` leads to.

    ``verified`` is the messenger's word that the number is the sender's own. Never re-keys
    another client's record and never gives this account another client's data unproven.
    """
    owner = await Client.get_or_none(phone=phone)
    if owner is None:
        if current is not None:
            had = current.phone
            try:
                async with savepoint():
                    await Client.filter(id=current.id).update(phone=phone)
            except IntegrityError:  # someone took the number a moment ago
                owner = await Client.get(phone=phone)
            else:
                current.phone = phone
                await _close_claims(account)
                if had:
                    await audit(
                        f"client:{current.id}", "phone-changed", subject=f"client:{current.id}"
                    )
                return PhoneOutcome(Taken.CHANGED if had else Taken.NEW, current)
        else:
            try:
                async with savepoint():
                    created = await Client.create(phone=phone, locale=locale, first_name=first_name)
            except IntegrityError:  # the same person's other messenger won the race
                owner = await Client.get(phone=phone)
            else:
                await _link(account, created)
                return PhoneOutcome(Taken.NEW, created)
    if current is not None and owner.id == current.id:
        return PhoneOutcome(Taken.SAME, current)
    if verified:
        await _join(account, owner, current, via="contact", actor=f"account:{account.id}")
        return PhoneOutcome(Taken.KNOWN, owner)
    if current is None:
        current = await Client.create(phone=None, locale=locale, first_name=first_name)
        await _link(account, current)
    await _close_claims(account)
    claim = await PhoneClaim.create(account=account, claimant=current, target=owner, phone=phone)
    await audit(
        f"account:{account.id}",
        "identity-claimed",
        subject=f"client:{owner.id}",
        details={"claim": claim.id, "claimant": current.id},
    )
    return PhoneOutcome(Taken.CLAIM, current, claim)


async def close_claim(claim: PhoneClaim) -> None:
    """The person chose to go on without proving: the claim and its code stop working."""
    await PhoneClaim.filter(id=claim.id, status=ClaimStatus.PENDING).update(
        status=ClaimStatus.CLOSED, code_hash=None
    )


async def _close_claims(account: MessengerAccount) -> None:
    await PhoneClaim.filter(account_id=account.id, status=ClaimStatus.PENDING).update(
        status=ClaimStatus.CLOSED
    )


async def _join(
    account: MessengerAccount,
    owner: Client,
    previous: Client | None,
    *,
    via: str,
    actor: str | Staff,
) -> None:
    """The account is proven to be ``owner``'s; a client left with no account of its own (the
    separate client made while the claim waited) is merged into ``owner``, nothing lost."""
    await _close_claims(account)
    await _link(account, owner)
    await audit(
        actor,
        "identity-proven",
        subject=f"client:{owner.id}",
        details={"account": account.id, "via": via},
    )
    if (
        previous is not None
        and previous.id != owner.id
        and not await MessengerAccount.filter(client_id=previous.id).exists()
    ):
        await merge_clients(previous.id, owner.id, actor=actor)


# ---- one-time codes ---------------------------------------------------------------------------


async def code_accounts(claim: PhoneClaim) -> list[MessengerAccount]:
    """The claimed client's other reachable messenger accounts: channels proven for them."""
    return await MessengerAccount.filter(
        client_id=claim.target_id, subscribed=True, blocked=False
    ).exclude(id=claim.account_id)


async def _sent_lately(services: Services, **where: str) -> int:
    since = services.clock.now() - timedelta(hours=1)
    return await AuditEntry.filter(action=CODE_SENT, created_at__gte=since, **where).count()


async def send_code(services: Services, claim: PhoneClaim) -> CodeSent:
    """Send a fresh code to the claimed client's other accounts (the old code stops working).

    Nothing is sent when the client has no other account, or ``limited`` when the hourly
    limit per claimed client or per asking account is reached.
    """
    if claim.status is not ClaimStatus.PENDING:
        return CodeSent()
    await _phone_accounts(services, claim)
    targets = await code_accounts(claim)
    if not targets:
        return CodeSent()
    subject = f"client:{claim.target_id}"
    actor = f"account:{claim.account_id}"
    if (
        await _sent_lately(services, subject=subject) >= CODES_PER_HOUR
        or await _sent_lately(services, actor=actor) >= CODES_PER_HOUR
    ):
        return CodeSent(limited=True)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    salt = secrets.token_hex(16)
    now = services.clock.now()
    claim.code_salt, claim.code_hash = salt, _hash(salt, code)
    claim.code_sent_at, claim.code_expires_at = now, now + CODE_TTL
    await claim.save(update_fields=["code_salt", "code_hash", "code_sent_at", "code_expires_at"])
    asking = await MessengerAccount.get(id=claim.account_id)
    target = await Client.get(id=claim.target_id)
    t = services.translator(target.locale)
    text = t(
        "identity-code-message",
        channel=services.channels.title(asking.channel),
        code=code,
        minutes=int(CODE_TTL.total_seconds() // 60),
    )
    sends = await _sent_lately(services, subject=subject)
    for account in targets:
        await services.outbox.enqueue(
            account,
            Reply(text),
            kind="identity-code",
            dedupe_key=f"idcode:{claim.id}:{sends}:a{account.id}",
        )
    await audit_at(actor, CODE_SENT, at=now, subject=subject, details={"claim": claim.id})
    by_phone = all(services.channels.reaching_by(a.channel) == "phone" for a in targets)
    titles = sorted({services.channels.title(a.channel) for a in targets})
    return CodeSent(titles, by_phone=by_phone)


async def _phone_accounts(services: Services, claim: PhoneClaim) -> None:
    """Where a channel of this deployment reaches clients by phone (SMS), the claimed number
    itself gets the code: only whoever holds that phone can read it. Its account is made from
    the claimed client's record on demand (and is skipped when blocked there)."""
    target = await Client.get_or_none(id=claim.target_id)
    if target is None or target.phone != claim.phone:
        return
    for name in services.channels.names():
        if services.channels.reaching_by(name) == "phone":
            await fallback.account_on(services, target, name)


async def check_code(
    services: Services, claim_id: int, account: MessengerAccount, text: str
) -> CodeResult:
    claim = await PhoneClaim.get_or_none(id=claim_id, account_id=account.id)
    if claim is None or claim.status is not ClaimStatus.PENDING:
        return CodeResult(CodeCheck.CLOSED)
    if claim.code_hash is None or claim.code_salt is None or claim.code_expires_at is None:
        return CodeResult(CodeCheck.NO_CODE)
    if claim.attempts >= MAX_ATTEMPTS:
        return CodeResult(CodeCheck.LOCKED)
    if services.clock.now() >= claim.code_expires_at:
        return CodeResult(CodeCheck.EXPIRED)
    # Every try takes one of the attempts in the database before it is compared, so parallel
    # guesses cannot slip past the limit together.
    taken = await PhoneClaim.filter(
        id=claim.id, status=ClaimStatus.PENDING, attempts__lt=MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1)
    if not taken:
        return CodeResult(CodeCheck.LOCKED)
    code = "".join(ch for ch in text if not ch.isspace())
    if not hmac.compare_digest(_hash(claim.code_salt, code), claim.code_hash):
        left = MAX_ATTEMPTS - (await PhoneClaim.get(id=claim.id)).attempts
        return CodeResult(CodeCheck.WRONG if left > 0 else CodeCheck.LOCKED, attempts_left=left)
    client = await prove(claim, via="code", actor=f"account:{account.id}")
    if client is None:
        return CodeResult(CodeCheck.CLOSED)
    return CodeResult(CodeCheck.OK, client)


async def prove(claim: PhoneClaim, *, via: str, actor: str | Staff) -> Client | None:
    """Settle a pending claim as proven (once: the code or the decision is used up); the client
    the account now belongs to, or None when the claim was no longer pending."""
    async with in_transaction():
        won = await PhoneClaim.filter(id=claim.id, status=ClaimStatus.PENDING).update(
            status=ClaimStatus.PROVEN,
            code_hash=None,
            decided_by_id=actor.id if isinstance(actor, Staff) else None,
        )
        if not won:
            return None
        account = await MessengerAccount.get(id=claim.account_id)
        owner = await Client.get(id=claim.target_id)
        previous = await Client.get_or_none(id=account.client_id) if account.client_id else None
        await _join(account, owner, previous, via=via, actor=actor)
    return owner


async def reject(claim: PhoneClaim, staff: Staff) -> bool:
    won = await PhoneClaim.filter(id=claim.id, status=ClaimStatus.PENDING).update(
        status=ClaimStatus.REJECTED, code_hash=None, decided_by_id=staff.id
    )
    if won:
        await audit(
            staff,
            "identity-rejected",
            subject=f"client:{claim.target_id}",
            details={"claim": claim.id, "account": claim.account_id},
        )
    return bool(won)


# ---- staff confirmation -----------------------------------------------------------------------


async def ask_staff(services: Services, claim: PhoneClaim) -> bool:
    """Ask managers and admins to confirm or reject: once per claim, and at most
    :data:`STAFF_ASKS_PER_HOUR` claims of one account an hour; False when not asked now."""
    now = services.clock.now()
    recent = await PhoneClaim.filter(
        account_id=claim.account_id, staff_asked_at__gte=now - timedelta(hours=1)
    ).count()
    if recent >= STAFF_ASKS_PER_HOUR:
        return False
    first = await PhoneClaim.filter(
        id=claim.id, status=ClaimStatus.PENDING, staff_asked_at__isnull=True
    ).update(staff_asked_at=now)
    if not first:
        return False
    account = await MessengerAccount.get(id=claim.account_id)
    target = await Client.get(id=claim.target_id)
    who = account.name or str(account.external_id)
    channel = services.channels.title(account.channel)
    card = str(target.id)
    target_name = target.display_name

    def render(t: T) -> Reply:
        text = t(
            "identity-staff-ask",
            name=who,
            channel=channel,
            phone=claim.phone,
            card=card,
            client=target_name,
        )
        decide = [
            Button(t("identity-staff-confirm"), encode(routes.IDENTITY, claim.id, "ok")),
            Button(t("identity-staff-reject"), encode(routes.IDENTITY, claim.id, "no")),
        ]
        return Reply(text, rows(decide, card_buttons(t, client_id=target.id)))

    await notify_roles(
        services, STAFF_ROLES, render, kind="identity-claim", dedupe_key=f"idclaim:{claim.id}"
    )
    return True


async def tell_claimant(services: Services, claim: PhoneClaim, key: str) -> None:
    """A message to the person who made the claim, in their client's language."""
    account = await MessengerAccount.get(id=claim.account_id)
    client = await Client.get_or_none(id=account.client_id) if account.client_id else None
    locale = client.locale if client else services.rules.agency.default_locale
    t = services.translator(locale)
    await services.outbox.enqueue(
        account,
        Reply(t(key, phone=claim.phone)),
        kind="identity-decision",
        dedupe_key=f"iddecision:{claim.id}",
    )
