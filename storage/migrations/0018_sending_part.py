from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0017_api')]

    initial = False

    operations = [
        ops.AddField(
            model_name='OutboxMessage',
            name='sending_part',
            field=fields.IntField(null=True),
        ),
    ]
