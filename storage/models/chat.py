"""Client messages that reached nobody: relayed while no staff member could receive them."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from storage.models.delivery import OutboxMessage
from storage.models.people import Client, Staff


class HeldMessage(Model):
    """One client message kept for the first staff member who can answer it.

    ``inbound`` (the message in the client's history) is unique, so a message is held once;
    ``handed_at`` is set in the same transaction that queues its copies, so it is handed over
    once, whoever joins next and however many processes run.
    """

    id = fields.IntField(primary_key=True)
    inbound: fields.OneToOneRelation[OutboxMessage] = fields.OneToOneField(
        "models.OutboxMessage", related_name="held", on_delete=fields.CASCADE
    )
    inbound_id: int
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="held_messages", on_delete=fields.CASCADE
    )
    client_id: int
    handed_at = fields.DatetimeField(null=True)
    handed_to: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="held_handed", null=True, on_delete=fields.SET_NULL
    )
    handed_to_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "held_messages"
        indexes = (("handed_at", "id"),)
