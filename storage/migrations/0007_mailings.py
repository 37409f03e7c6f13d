from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from storage.models.mailings import MailingStatus, RecipientOutcome
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_edges')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Mailing',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('status', fields.CharEnumField(default=MailingStatus.DRAFT, description='DRAFT: draft\nSCHEDULED: scheduled\nSENDING: sending\nPAUSED: paused\nDONE: done\nCANCELLED: cancelled', enum_type=MailingStatus, max_length=16)),
                ('texts', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('picture_url', fields.CharField(null=True, max_length=512)),
                ('links', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('segment', fields.TextField(default='', unique=False)),
                ('rate', fields.IntField(null=True)),
                ('run_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('snapshot_cursor', fields.IntField(default=0)),
                ('snapshot_done', fields.BooleanField(default=False)),
                ('paced_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('feed_round', fields.IntField(default=0)),
                ('created_by', fields.ForeignKeyField('models.Staff', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='mailings', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'mailings', 'app': 'models', 'indexes': [Index(fields=['status', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One mailing: content per language, the segment expression and where sending stands.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MailingRecipient',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('mailing', fields.ForeignKeyField('models.Mailing', source_field='mailing_id', db_constraint=True, to_field='id', related_name='recipients', on_delete=OnDelete.CASCADE)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='mailings_received', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('models.MessengerAccount', source_field='account_id', null=True, db_constraint=True, to_field='id', related_name='+', on_delete=OnDelete.SET_NULL)),
                ('outcome', fields.CharEnumField(default=RecipientOutcome.PENDING, description='PENDING: pending\nSENT: sent\nDELIVERED: delivered\nSEEN: seen\nFAILED: failed\nBLOCKED: blocked\nUNSUBSCRIBED: unsubscribed\nCANCELLED: cancelled', enum_type=RecipientOutcome, max_length=16)),
                ('outbox', fields.ForeignKeyField('models.OutboxMessage', source_field='outbox_id', null=True, db_constraint=True, to_field='id', related_name='+', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'mailing_recipients', 'app': 'models', 'unique_together': (('mailing_id', 'client_id'),), 'indexes': [Index(fields=['mailing_id', 'outcome']), Index(fields=['client_id', 'created_at'])], 'pk_attr': 'id', 'table_description': "One client of a mailing's audience, snapshotted when sending starts. Unique per mailing."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Segment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=64)),
                ('expression', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'segments', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A segment expression saved under a name, for chat, CLI and API alike.'},
            bases=['Model'],
        ),
    ]
