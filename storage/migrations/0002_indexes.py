from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='LedgerEntry',
            index=Index(fields=['client_id', 'currency']),
        ),
        ops.AddIndex(
            model_name='Order',
            index=Index(fields=['client_id', 'created_at']),
        ),
        ops.AddIndex(
            model_name='Order',
            index=Index(fields=['status', 'due_date']),
        ),
        ops.AddIndex(
            model_name='OutboxMessage',
            index=Index(fields=['client_id', 'created_at']),
        ),
        ops.AddIndex(
            model_name='PaymentIntent',
            index=Index(fields=['status', 'created_at']),
        ),
        ops.AddIndex(
            model_name='PaymentIntent',
            index=Index(fields=['order_id']),
        ),
        ops.AddIndex(
            model_name='TourRequest',
            index=Index(fields=['status', 'created_at']),
        ),
    ]
