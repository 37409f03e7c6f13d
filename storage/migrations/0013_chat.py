from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0012_mailings')]

    initial = False

    operations = [
        ops.CreateModel(
            name='HeldMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('inbound', fields.OneToOneField('models.OutboxMessage', source_field='inbound_id', db_constraint=True, to_field='id', related_name='held', on_delete=OnDelete.CASCADE)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='held_messages', on_delete=OnDelete.CASCADE)),
                ('handed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('handed_to', fields.ForeignKeyField('models.Staff', source_field='handed_to_id', null=True, db_constraint=True, to_field='id', related_name='held_handed', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'held_messages', 'app': 'models', 'indexes': [Index(fields=['handed_at', 'id'])], 'pk_attr': 'id', 'table_description': 'One client message kept for the first staff member who can answer it.'},
            bases=['Model'],
        ),
    ]
