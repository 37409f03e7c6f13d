from tortoise import migrations
from tortoise.migrations import operations as ops
from storage.models.loyalty import PointsKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0015_offers')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CommissionEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('staff', fields.ForeignKeyField('models.Staff', source_field='staff_id', db_constraint=True, to_field='id', related_name='commissions', on_delete=OnDelete.CASCADE)),
                ('order', fields.ForeignKeyField('models.Order', source_field='order_id', null=True, db_constraint=True, to_field='id', related_name='commissions', on_delete=OnDelete.SET_NULL)),
                ('amount', fields.BigIntField()),
                ('currency', fields.CharField(max_length=3)),
                ('base', fields.BigIntField()),
                ('basis', fields.CharField(max_length=8)),
                ('rate_bp', fields.IntField()),
                ('reference', fields.CharField(unique=True, max_length=191)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'commission_entries', 'app': 'models', 'indexes': [Index(fields=['staff_id', 'created_at'])], 'pk_attr': 'id', 'table_description': "One accrual (or reversal) of a manager's commission, in the order's currency."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CommissionRule',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('staff', fields.OneToOneField('models.Staff', source_field='staff_id', db_constraint=True, to_field='id', related_name='commission_rule', on_delete=OnDelete.CASCADE)),
                ('paid_bp', fields.IntField(default=0)),
                ('margin_bp', fields.IntField(default=0)),
                ('set_by', fields.ForeignKeyField('models.Staff', source_field='set_by_id', null=True, db_constraint=True, to_field='id', related_name='+', on_delete=OnDelete.SET_NULL)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'commission_rules', 'app': 'models', 'pk_attr': 'id', 'table_description': "A manager's own commission rule (without one, ``[commissions]`` applies)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PointsEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='points', on_delete=OnDelete.CASCADE)),
                ('points', fields.BigIntField()),
                ('kind', fields.CharEnumField(description='ACCRUE: accrue\nREFERRAL: referral\nADJUST: adjust\nSPEND: spend\nRETURN: return\nREVERSE: reverse\nEXPIRE: expire', enum_type=PointsKind, max_length=16)),
                ('reference', fields.CharField(unique=True, max_length=191)),
                ('order', fields.ForeignKeyField('models.Order', source_field='order_id', null=True, db_constraint=True, to_field='id', related_name='points', on_delete=OnDelete.SET_NULL)),
                ('intent', fields.ForeignKeyField('models.PaymentIntent', source_field='intent_id', null=True, db_constraint=True, to_field='id', related_name='points', on_delete=OnDelete.SET_NULL)),
                ('staff', fields.ForeignKeyField('models.Staff', source_field='staff_id', null=True, db_constraint=True, to_field='id', related_name='points_entries', on_delete=OnDelete.SET_NULL)),
                ('lot_id', fields.IntField(null=True)),
                ('value', fields.BigIntField(default=0)),
                ('currency', fields.CharField(default='', max_length=3)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reason', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'points_entries', 'app': 'models', 'indexes': [Index(fields=['client_id', 'created_at']), Index(fields=['order_id']), Index(fields=['intent_id'])], 'pk_attr': 'id', 'table_description': "One movement of a client's points. A positive entry is a *lot* that expires at"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Referral',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('inviter', fields.ForeignKeyField('models.Client', source_field='inviter_id', db_constraint=True, to_field='id', related_name='invited', on_delete=OnDelete.CASCADE)),
                ('friend', fields.OneToOneField('models.Client', source_field='friend_id', db_constraint=True, to_field='id', related_name='invited_by', on_delete=OnDelete.CASCADE)),
                ('rewarded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'referrals', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Who invited whom: one per invited client (unique), never re-linked. ``rewarded_at`` is'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReferralCode',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client', fields.OneToOneField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='referral_code', on_delete=OnDelete.CASCADE)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'referral_codes', 'app': 'models', 'pk_attr': 'id', 'table_description': "A client's own invite code (the deep link a friend opens)."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Order',
            name='net_price',
            field=fields.BigIntField(null=True),
        ),
    ]
