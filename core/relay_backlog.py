"""Client messages written while nobody on the team could receive them.

A new agency switches the bot on before anyone has redeemed a staff invite; a client who writes
to "Contact manager" meanwhile is told the message is saved (:func:`core.relay.relay_to_staff`
relayed it to nobody). Such a message is held here, and the first staff member who can answer
client messages (:data:`core.relay.RELAY_ROLES`) gets them when they join: in the order they
were written, each with who wrote it and when, with the usual Reply button.

Exactly once: a held message is marked handed over in the same transaction that queues its
copies (a conditional update, so two processes, a re-join or a second manager joining find
nothing left), and each copy carries the relay's own dedupe key.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from core.clients import mask_phone
from core.contract import Button, Reply, rows
from core.payloads import encode
from core.relay import RELAY_ROLES, relay_targets
from core.services import Services
from storage.models import Client, HeldMessage, OutboxMessage, Role, Staff


async def waiting() -> int:
    return await HeldMessage.filter(handed_at__isnull=True).count()


async def hand_over(services: Services, staff: Staff) -> int:
    """Queue every held message for whoever answers its client now that ``staff`` joined;
    the number of messages handed over (0 when ``staff`` cannot answer clients)."""
    if Role(staff.role) not in RELAY_ROLES or not staff.active:
        return 0
    handed = 0
    for held in await HeldMessage.filter(handed_at__isnull=True).order_by("id").only("id"):
        handed += await _hand_one(services, held.id, staff)
    return handed


async def _hand_one(services: Services, held_id: int, staff: Staff) -> int:
    async with in_transaction():
        won = await HeldMessage.filter(id=held_id, handed_at__isnull=True).update(
            handed_at=services.clock.now(), handed_to_id=staff.id
        )
        if not won:
            return 0  # another process (or an earlier join) handed it over
        held = await HeldMessage.get(id=held_id).prefetch_related("inbound", "client")
        client: Client = held.client
        inbound: OutboxMessage = held.inbound
        text = str((inbound.body or {}).get("text") or "")
        for target in await relay_targets(client):
            member: Staff = target.staff  # type: ignore[assignment]
            t = services.translator(member.locale)
            header = t(
                "relay-held-header",
                name=client.display_name,
                phone=mask_phone(client.phone),
                id=str(client.id),
                when=t.datetime(
                    inbound.not_before, services.rules.agency.tz
                ),  # the clock it came at
            )
            reply = Reply(
                f"{header}\n\n{text}".strip(),
                rows([Button(t("relay-reply-button"), encode("reply", client.id))]),
            )
            await services.outbox.enqueue(
                target,
                reply,
                kind="relay",
                dedupe_key=f"relay:{inbound.id}:a{target.id}",
                meta={"relay_client": client.id, "relay_inbound": inbound.id},
            )
    return 1
