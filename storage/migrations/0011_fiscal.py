from tortoise import migrations
from tortoise.migrations import operations as ops
from storage.models.fiscal import FiscalStatus
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_webhooks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FiscalReceipt',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('uid', fields.CharField(unique=True, max_length=36)),
                ('reference', fields.CharField(unique=True, max_length=191)),
                ('is_return', fields.BooleanField(default=False)),
                ('client_id', fields.IntField()),
                ('order_id', fields.IntField(null=True)),
                ('amount', fields.BigIntField()),
                ('currency', fields.CharField(max_length=3)),
                ('title', fields.CharField(max_length=128)),
                ('status', fields.CharEnumField(default=FiscalStatus.PENDING, description='PENDING: pending\nDONE: done\nFAILED: failed', enum_type=FiscalStatus, max_length=16)),
                ('fiscal_code', fields.CharField(null=True, max_length=64)),
                ('attempts', fields.IntField(default=0)),
                ('error', fields.TextField(null=True, unique=False)),
                ('alerted', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('done_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'fiscal_receipts', 'app': 'models', 'indexes': [Index(fields=['order_id']), Index(fields=['client_id']), Index(fields=['status', 'created_at'])], 'pk_attr': 'id', 'table_description': 'Fiscal receipts: one per ledger reference.'},
            bases=['Model'],
        ),
    ]
