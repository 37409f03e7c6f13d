"""Clients, staff and the messenger accounts they talk to us from."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    ACCOUNTANT = "accountant"


class Client(Model):
    """A tourist. Identified by a normalised E.164 phone, never by a messenger id."""

    id = fields.IntField(primary_key=True)
    phone = fields.CharField(max_length=20, null=True, unique=True)
    first_name = fields.CharField(max_length=100, default="")
    last_name = fields.CharField(max_length=100, default="")
    birthday = fields.DateField(null=True)
    gender = fields.CharField(max_length=10, null=True)
    email = fields.CharField(max_length=254, null=True)
    tags: list[str] = fields.JSONField(default=list)  # lower-case labels, sorted (core/imports)
    locale = fields.CharField(max_length=5, default="uk")
    marketing_consent = fields.BooleanField(null=True)  # None: not asked yet
    lead_source = fields.CharField(max_length=64, null=True)
    bonus_points = fields.IntField(default=0)
    card_number = fields.CharField(max_length=32, null=True, unique=True)
    manager: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="clients", null=True, on_delete=fields.SET_NULL
    )
    manager_id: int | None
    forget_requested_at = fields.DatetimeField(null=True)
    erased_at = fields.DatetimeField(null=True)  # personal data wiped (core/erasure.py)
    last_activity_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "clients"

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or (self.phone or "")


class Staff(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    role = fields.CharEnumField(Role, max_length=16)
    locale = fields.CharField(max_length=5, default="uk")
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "staff"


class StaffInvite(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    role = fields.CharEnumField(Role, max_length=16)
    name = fields.CharField(max_length=100)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    created_by: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="invites", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="invite", null=True, on_delete=fields.SET_NULL
    )
    staff_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "staff_invites"


class MessengerAccount(Model):
    """One user on one messenger, linked to a client, to a staff member, or (new) to nobody."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=16)
    external_id = fields.CharField(max_length=64)
    name = fields.CharField(max_length=128, default="")
    language = fields.CharField(max_length=16, null=True)  # the messenger's hint
    client: fields.ForeignKeyNullableRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="accounts", null=True, on_delete=fields.SET_NULL
    )
    client_id: int | None
    staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="accounts", null=True, on_delete=fields.SET_NULL
    )
    staff_id: int | None
    subscribed = fields.BooleanField(default=True)
    blocked = fields.BooleanField(default=False)
    last_inbound_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "messenger_accounts"
        unique_together = (("channel", "external_id"),)

    @property
    def reachable(self) -> bool:
        return self.subscribed and not self.blocked
