"""Conversations between a client and staff, relayed through the outbox (so they are history).

Client -> staff: the client's message is kept as an inbound row of the client's history and
copied to the client's manager (or, failing that, to every active manager and admin), each copy
carrying ``meta={"relay_client": id}`` so a reply to it finds its way back. Staff -> client: the
answer goes to the client's most recently active reachable messenger account, else the first
fallback channel that reaches them (:func:`core.fallback.reach`). A message that
reaches nobody (no staff yet) is held for the first who joins (:mod:`core.relay_backlog`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.clients import mask_phone
from core.contract import Button, Media, Reply, rows
from core.fallback import reach, tell_client
from core.notify import staff_accounts
from core.payloads import encode
from core.services import Services
from storage.models import (
    Client,
    HeldMessage,
    MessengerAccount,
    Order,
    OutboxMessage,
    Role,
    Staff,
    TourRequest,
)

RELAY_ROLES = (Role.MANAGER, Role.ADMIN)
__all__ = ["tell_client"]  # the one helper (core/fallback.py), imported from here by many


async def _active_staff_accounts(staff_id: int | None) -> list[MessengerAccount]:
    if staff_id is None:
        return []
    return await MessengerAccount.filter(
        staff_id=staff_id, staff__active=True, subscribed=True, blocked=False
    ).prefetch_related("staff")


async def relay_targets(client: Client) -> list[MessengerAccount]:
    """Who gets the client's messages: their manager, the manager of their latest request or
    order, else every active manager and admin."""
    candidates: list[int | None] = [client.manager_id]
    latest_request = (
        await TourRequest.filter(client_id=client.id, manager_id__isnull=False)
        .order_by("-created_at", "-id")
        .first()
    )
    latest_order = (
        await Order.filter(client_id=client.id, manager_id__isnull=False)
        .order_by("-created_at", "-id")
        .first()
    )
    dated: list[tuple[datetime, int | None]] = [
        (r.created_at, getattr(r, "manager_id", None))
        for r in (latest_request, latest_order)
        if r is not None
    ]
    candidates += [m for _, m in sorted(dated, key=lambda x: x[0], reverse=True)]
    for staff_id in candidates:
        accounts = await _active_staff_accounts(staff_id)
        if accounts:
            return accounts
    return [a for a in await staff_accounts(RELAY_ROLES) if a.reachable]


async def manager_of(client: Client) -> Staff | None:
    """The staff member the client talks to, when there is exactly one."""
    targets = await relay_targets(client)
    staff: dict[int, Staff] = {a.staff.id: a.staff for a in targets if a.staff is not None}
    return next(iter(staff.values())) if len(staff) == 1 else None


@dataclass(frozen=True, slots=True)
class Message:
    """What one side wrote: text and/or a photo or document."""

    text: str
    media: Media | None = None

    @property
    def history_text(self) -> str:
        if self.media is None:
            return self.text
        label = f"[{self.media.kind}]"
        return f"{label} {self.text}".strip()


def _media_for(target: MessengerAccount, source_channel: str, media: Media | None) -> Media | None:
    """A platform file id only means something on its own platform."""
    if media is not None and target.channel == source_channel and media.file_ref:
        return media
    return None


async def relay_to_staff(
    services: Services, client: Client, account: MessengerAccount, message: Message
) -> int:
    """Record the client's message in their history and copy it to their manager(s)."""
    inbound = await services.outbox.record_inbound(account, message.history_text, kind="relay-in")
    name = client.display_name
    phone = mask_phone(client.phone)
    sent = 0
    for target in await relay_targets(client):
        staff: Staff = target.staff  # type: ignore[assignment]
        t = services.translator(staff.locale)
        media = _media_for(target, account.channel, message.media)
        header = t("relay-staff-header", name=name, phone=phone, id=str(client.id))
        body = message.text
        if message.media is not None and media is None:
            body = f"{t('relay-media-elsewhere', kind=message.media.kind)}\n{body}".strip()
        reply = Reply(
            f"{header}\n\n{body}".strip(),
            rows([Button(t("relay-reply-button"), encode("reply", client.id))]),
            media=media,
        )
        row = await services.outbox.enqueue(
            target,
            reply,
            kind="relay",
            dedupe_key=f"relay:{inbound.id}:a{target.id}",
            meta={"relay_client": client.id, "relay_inbound": inbound.id},
        )
        sent += row is not None
    if not sent:  # nobody on the team can receive it yet: kept for the first who can
        await HeldMessage.get_or_create(inbound_id=inbound.id, defaults={"client_id": client.id})
    return sent


async def relayed_client_for(account: MessengerAccount, reply_to: str | None) -> int | None:
    """The client behind the bot message a staff member replied to, if it was a relayed one."""
    if not reply_to:
        return None
    rows_ = await OutboxMessage.filter(
        account_id=account.id, channel=account.channel, platform_message_id=reply_to
    ).order_by("-id")
    for row in rows_:
        client_id = (row.meta or {}).get("relay_client")
        if client_id is not None:
            return int(client_id)
    return None


async def answer_client(
    services: Services,
    staff: Staff,
    staff_account: MessengerAccount,
    client: Client,
    message: Message,
) -> OutboxMessage | None:
    """Send a staff member's answer to the client; None when the client cannot be reached."""
    account = await reach(services, client)
    if account is None:
        return None
    t = services.translator(client.locale)
    media = _media_for(account, staff_account.channel, message.media)
    body = message.text
    if message.media is not None and media is None:
        body = f"{t('relay-media-elsewhere', kind=message.media.kind)}\n{body}".strip()
    reply = Reply(f"{t('relay-client-header', name=staff.name)}\n\n{body}".strip(), media=media)
    return await services.outbox.enqueue(
        account,
        reply,
        kind="relay-answer",
        meta={"relay_staff": staff.id, "relay_from_account": staff_account.id},
    )
