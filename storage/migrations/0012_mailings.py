from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0011_fiscal')]

    initial = False

    operations = [
        ops.AddField(
            model_name='OutboxMessage',
            name='replace_key',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['replace_key', 'status']),
        ),
    ]
