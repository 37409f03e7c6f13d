"""What imports and reports keep: opening bonus points carried over, rendered report charts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from storage.models.people import Client


class OpeningBonus(Model):
    """Bonus points a client brought from the agency's old books, granted once per reference.

    The points themselves are added to ``Client.bonus_points`` (what the balance screen shows);
    this row is the idempotency key (``import:bonus:<client id>``) and the audit of where they came
    from, so a points ledger can adopt them as its opening entries.
    """

    id = fields.IntField(primary_key=True)
    reference = fields.CharField(max_length=191, unique=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="opening_bonuses", on_delete=fields.CASCADE
    )
    client_id: int
    points = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "opening_bonuses"


class ReportChart(Model):
    """A rendered report chart, served once signed by ``GET /reports/chart/{token}.png`` until
    ``expires_at`` (messengers fetch pictures by URL; any process may serve it)."""

    id = fields.IntField(primary_key=True)
    token = fields.CharField(max_length=64, unique=True)
    png = fields.BinaryField()
    expires_at = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "report_charts"
        indexes = (("expires_at",),)
