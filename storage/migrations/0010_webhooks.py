from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0009_broadcast')]

    initial = False

    operations = [
        ops.CreateModel(
            name='WebhookEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('uid', fields.CharField(unique=True, max_length=40)),
                ('type', fields.CharField(max_length=40)),
                ('ref', fields.CharField(unique=True, max_length=191)),
                ('data', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('client_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'webhook_events', 'app': 'models', 'indexes': [Index(fields=['type', 'created_at']), Index(fields=['client_id'])], 'pk_attr': 'id', 'table_description': 'One thing that happened, published once.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WebhookDelivery',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('models.WebhookEvent', source_field='event_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('endpoint', fields.CharField(max_length=64)),
                ('url', fields.CharField(max_length=500)),
                ('attempt', fields.IntField()),
                ('status_code', fields.IntField(null=True)),
                ('ok', fields.BooleanField()),
                ('error', fields.TextField(null=True, unique=False)),
                ('response', fields.TextField(null=True, unique=False)),
                ('duration_ms', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'webhook_deliveries', 'app': 'models', 'indexes': [Index(fields=['event_id', 'created_at']), Index(fields=['endpoint', 'created_at'])], 'pk_attr': 'id', 'table_description': 'The delivery log: one row per HTTP attempt.'},
            bases=['Model'],
        ),
    ]
