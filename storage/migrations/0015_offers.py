from tortoise import migrations
from tortoise.migrations import operations as ops
from storage.models.offers import OfferStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0014_imports')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Order',
            name='supplier',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.CreateModel(
            name='TourOffer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('request', fields.ForeignKeyField('models.TourRequest', source_field='request_id', db_constraint=True, to_field='id', related_name='offers', on_delete=OnDelete.CASCADE)),
                ('client', fields.ForeignKeyField('models.Client', source_field='client_id', db_constraint=True, to_field='id', related_name='offers', on_delete=OnDelete.CASCADE)),
                ('manager', fields.ForeignKeyField('models.Staff', source_field='manager_id', null=True, db_constraint=True, to_field='id', related_name='offers', on_delete=OnDelete.SET_NULL)),
                ('round', fields.IntField(default=1)),
                ('position', fields.IntField()),
                ('hotel', fields.CharField(max_length=128)),
                ('stars', fields.IntField(null=True)),
                ('country', fields.CharField(max_length=64)),
                ('resort', fields.CharField(default='', max_length=64)),
                ('start_date', fields.DateField()),
                ('end_date', fields.DateField()),
                ('nights', fields.IntField()),
                ('room', fields.CharField(max_length=64)),
                ('meal', fields.CharField(max_length=8)),
                ('price', fields.BigIntField()),
                ('currency', fields.CharField(max_length=3)),
                ('operator', fields.CharField(max_length=64)),
                ('photo', fields.CharField(null=True, max_length=512)),
                ('link', fields.CharField(null=True, max_length=512)),
                ('status', fields.CharEnumField(default=OfferStatus.OPEN, description='OPEN: open\nCHOSEN: chosen\nCLOSED: closed\nEXPIRED: expired', enum_type=OfferStatus, max_length=16)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('chosen_key', fields.CharField(null=True, unique=True, max_length=32)),
                ('chosen_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('order', fields.OneToOneField('models.Order', source_field='order_id', null=True, db_constraint=True, to_field='id', related_name='offer', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'tour_offers', 'app': 'models', 'unique_together': (('request_id', 'round', 'position'),), 'indexes': [Index(fields=['status', 'expires_at'])], 'pk_attr': 'id', 'table_description': 'One option (hotel, dates, price, operator …) offered for a tour request.'},
            bases=['Model'],
        ),
    ]
