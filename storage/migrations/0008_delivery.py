from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0007_mailings')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Job',
            name='claim_token',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddIndex(
            model_name='Job',
            index=Index(fields=['status', 'lease_until']),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='claim_token',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='lane',
            field=fields.CharField(default='direct', max_length=8),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='paced_until',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='parts_sent',
            field=fields.IntField(default=0),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['status', 'lane', 'not_before', 'id']),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['status', 'lease_until']),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['channel', 'external_id', 'status']),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['staff_id', 'status']),
        ),
    ]
