from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_money')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SharedSecret',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('value', fields.CharField(max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'shared_secrets', 'app': 'models', 'pk_attr': 'name', 'table_description': 'A secret every process must agree on, generated once (e.g. the sandbox signing key).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='PaymentIntent',
            name='last_checked_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AlterModelOptions(
            name='ProcessedUpdate',
            options={'table': 'processed_updates', 'app': 'models', 'unique_together': (('channel', 'key'),), 'pk_attr': 'id', 'table_description': 'Platform updates taken (Telegram update_id, Viber message_token).'},
        ),
        ops.AddField(
            model_name='ProcessedUpdate',
            name='done',
            field=fields.BooleanField(default=True),
        ),
        ops.AddField(
            model_name='ProcessedUpdate',
            name='lease_until',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='ProviderEvent',
            name='attempts',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='ProviderEvent',
            name='body_sha256',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='ProviderEvent',
            name='body_size',
            field=fields.IntField(null=True),
        ),
        ops.AddIndex(
            model_name='ProviderEvent',
            index=Index(fields=['outcome', 'received_at']),
        ),
    ]
