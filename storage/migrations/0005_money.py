from tortoise import migrations
from tortoise.migrations import operations as ops
from storage.models.refunds import RefundStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_erasure')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Refund',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('intent', fields.ForeignKeyField('models.PaymentIntent', source_field='intent_id', db_constraint=True, to_field='id', related_name='refunds', on_delete=OnDelete.CASCADE)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='refunds', on_delete=OnDelete.CASCADE)),
                ('order', fields.ForeignKeyField('models.Order', source_field='order_id', null=True, db_constraint=True, to_field='id', related_name='refunds', on_delete=OnDelete.SET_NULL)),
                ('provider', fields.CharField(max_length=16)),
                ('amount', fields.BigIntField()),
                ('currency', fields.CharField(max_length=3)),
                ('status', fields.CharEnumField(default=RefundStatus.REQUESTED, description='REQUESTED: requested\nDONE: done\nFAILED: failed', enum_type=RefundStatus, max_length=16)),
                ('provider_key', fields.CharField(null=True, unique=True, max_length=191)),
                ('staff', fields.ForeignKeyField('models.Staff', source_field='staff_id', null=True, db_constraint=True, to_field='id', related_name='refunds', on_delete=OnDelete.SET_NULL)),
                ('note', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'refunds', 'app': 'models', 'indexes': [Index(fields=['intent_id', 'status'])], 'pk_attr': 'id', 'table_description': 'A refund of (part of) one provider payment.'},
            bases=['Model'],
        ),
    ]
