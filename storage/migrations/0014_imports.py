from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from storage.models.money import EntryKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0013_chat')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OpeningBonus',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('reference', fields.CharField(unique=True, max_length=191)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='opening_bonuses', on_delete=OnDelete.CASCADE)),
                ('points', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'opening_bonuses', 'app': 'models', 'pk_attr': 'id', 'table_description': "Bonus points a client brought from the agency's old books, granted once per reference."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReportChart',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token', fields.CharField(unique=True, max_length=64)),
                ('png', fields.BinaryField()),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'report_charts', 'app': 'models', 'indexes': [Index(fields=['expires_at'])], 'pk_attr': 'id', 'table_description': 'A rendered report chart, served once signed by ``GET /reports/chart/{token}.png`` until'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Client',
            name='email',
            field=fields.CharField(null=True, max_length=254),
        ),
        ops.AddField(
            model_name='Client',
            name='tags',
            field=fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AlterField(
            model_name='LedgerEntry',
            name='kind',
            field=fields.CharEnumField(description='PAYMENT: payment\nORDER_CHARGE: order_charge\nREFUND: refund\nADJUSTMENT: adjustment\nBONUS: bonus\nOPENING: opening', enum_type=EntryKind, max_length=16),
        ),
    ]
