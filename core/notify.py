"""Messages to staff, through the outbox: to one staff member, or to every active one of a role."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from core.audit import audit
from core.contract import AnyButton, Button, Reply
from core.i18n import T
from core.payloads import encode
from core.services import Services
from core.staff import routes
from storage.models import Client, MessengerAccount, Order, Role, Staff

AnyRow = tuple[AnyButton, ...]


async def staff_accounts(roles: Iterable[Role]) -> list[MessengerAccount]:
    return await MessengerAccount.filter(
        staff__active=True, staff__role__in=[r.value for r in roles]
    ).prefetch_related("staff")


async def notify_roles(
    services: Services,
    roles: Iterable[Role],
    render: Callable[[T], Reply],
    *,
    kind: str,
    dedupe_key: str,
    details: dict[str, Any] | None = None,
    audited: bool = True,
) -> int:
    """Enqueue ``render(t)`` (in each staff member's language) for every active staff account.
    ``details``: what the audit entry of this notice keeps besides its recipients; ``audited``
    False for a copy of a notice already audited (one event, one line in the log)."""
    sent = 0
    for account in await staff_accounts(roles):
        staff: Staff = account.staff  # type: ignore[assignment]
        reply = render(services.translator(staff.locale))
        row = await services.outbox.enqueue(
            account, reply, kind=kind, dedupe_key=f"{dedupe_key}:a{account.id}"
        )
        sent += row is not None
    if audited:
        details = {**(details or {}), "recipients": sent}
        await audit("system", kind, subject=dedupe_key, details=details)
    return sent


# ---- routed notifications: the assigned manager, else every manager and admin ----------------

ROUTED_ROLES = (Role.MANAGER, Role.ADMIN)


async def assigned_accounts(staff_id: int | None) -> list[MessengerAccount]:
    """The reachable accounts of one staff member, if that member is active."""
    if staff_id is None:
        return []
    return await MessengerAccount.filter(
        staff_id=staff_id, staff__active=True, subscribed=True, blocked=False
    ).prefetch_related("staff")


async def staff_chat_account(services: Services) -> MessengerAccount | None:
    """The staff group chat of ``rules.delivery.staff_chat`` (``"telegram:<chat id>"``), if set."""
    channel, _, chat_id = services.rules.delivery.staff_chat.partition(":")
    if not channel or not chat_id or channel not in services.channels:
        return None
    account, _ = await MessengerAccount.get_or_create(channel=channel, external_id=chat_id)
    return account


def card_buttons(t: T, *, order_id: int | None = None, client_id: int | None = None) -> AnyRow:
    """ "Open the order" / "Open the client" buttons the staff desk understands."""
    row: list[Button] = []
    if order_id is not None:
        row.append(Button(t("st-open-order"), encode(routes.ORDER, order_id)))
    if client_id is not None:
        row.append(Button(t("st-open-client"), encode(routes.CLIENT, client_id)))
    return tuple(row)


def _with_cards(reply: Reply, cards: AnyRow) -> Reply:
    return replace(reply, buttons=(*reply.buttons, cards)) if cards else reply


async def notify_staff(
    services: Services,
    assigned: Iterable[int | None],
    render: Callable[[T], Reply],
    *,
    kind: str,
    dedupe_key: str,
    order_id: int | None = None,
    client_id: int | None = None,
    meta: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> int:
    """Send ``render(t)`` to the first of ``assigned`` (staff ids) that is active and reachable,
    else to every active manager and admin; also to the staff group chat when one is configured.

    Each copy carries buttons opening the order / client card. Returns the number of messages
    queued (a repeated ``dedupe_key`` queues nothing).
    """
    targets: list[MessengerAccount] = []
    for staff_id in assigned:
        targets = await assigned_accounts(staff_id)
        if targets:
            break
    else:
        targets = [a for a in await staff_accounts(ROUTED_ROLES) if a.reachable]
    sent = 0
    for account in targets:
        staff: Staff = account.staff  # type: ignore[assignment]
        t = services.translator(staff.locale)
        reply = _with_cards(render(t), card_buttons(t, order_id=order_id, client_id=client_id))
        row = await services.outbox.enqueue(
            account, reply, kind=kind, dedupe_key=f"{dedupe_key}:a{account.id}", meta=meta
        )
        sent += row is not None
    group = await staff_chat_account(services)
    if group is not None:
        t = services.translator(services.rules.agency.default_locale)
        reply = _with_cards(render(t), card_buttons(t, order_id=order_id, client_id=client_id))
        row = await services.outbox.enqueue(
            group, reply, kind=kind, dedupe_key=f"{dedupe_key}:group", meta=meta
        )
        sent += row is not None
    await audit(
        "system",
        kind,
        subject=f"order:{order_id}" if order_id is not None else f"client:{client_id or ''}",
        details={**(details or {}), "recipients": sent, "key": dedupe_key},
    )
    return sent


async def notify_order_staff(
    services: Services,
    order: Order,
    render: Callable[[T], Reply],
    *,
    kind: str,
    dedupe_key: str,
    meta: dict[str, Any] | None = None,
) -> int:
    """Tell the order's manager (else the client's manager, else all managers and admins)."""
    client = await Client.get_or_none(id=order.client_id)
    assigned = [order.manager_id, client.manager_id if client else None]
    return await notify_staff(
        services,
        assigned,
        render,
        kind=kind,
        dedupe_key=dedupe_key,
        order_id=order.id,
        client_id=order.client_id,
        meta=meta,
    )


async def notify_client_staff(
    services: Services,
    client: Client,
    render: Callable[[T], Reply],
    *,
    kind: str,
    dedupe_key: str,
    meta: dict[str, Any] | None = None,
) -> int:
    """Tell the client's manager (else all managers and admins)."""
    return await notify_staff(
        services,
        [client.manager_id],
        render,
        kind=kind,
        dedupe_key=dedupe_key,
        client_id=client.id,
        meta=meta,
    )
