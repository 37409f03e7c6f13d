from tortoise import migrations
from tortoise.migrations import operations as ops
from storage.models.identity import ClaimStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PhoneClaim',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('account', fields.ForeignKeyField('models.MessengerAccount', source_field='account_id', db_constraint=True, to_field='id', related_name='phone_claims', on_delete=OnDelete.CASCADE)),
                ('claimant', fields.ForeignKeyField('models.Client', source_field='claimant_id', null=True, db_constraint=True, to_field='id', related_name='claims_made', on_delete=OnDelete.SET_NULL)),
                ('target', fields.ForeignKeyField('models.Client', source_field='target_id', db_constraint=True, to_field='id', related_name='claims_on', on_delete=OnDelete.CASCADE)),
                ('phone', fields.CharField(max_length=20)),
                ('status', fields.CharEnumField(default=ClaimStatus.PENDING, description='PENDING: pending\nPROVEN: proven\nREJECTED: rejected\nCLOSED: closed', enum_type=ClaimStatus, max_length=16)),
                ('code_hash', fields.CharField(null=True, max_length=64)),
                ('code_salt', fields.CharField(null=True, max_length=32)),
                ('code_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('code_sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('staff_asked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decided_by', fields.ForeignKeyField('models.Staff', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name='claims_decided', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'phone_claims', 'app': 'models', 'indexes': [Index(fields=['phone', 'created_at']), Index(fields=['account_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A messenger account says it is the client who owns ``phone``.'},
            bases=['Model'],
        ),
    ]
