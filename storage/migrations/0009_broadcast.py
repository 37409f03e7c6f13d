from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0008_delivery')]

    initial = False

    operations = [
        ops.AddField(
            model_name='OutboxMessage',
            name='batch_key',
            field=fields.CharField(null=True, max_length=48),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['batch_key', 'status']),
        ),
    ]
