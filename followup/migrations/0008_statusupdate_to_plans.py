# The status history moved to the plan (plans.StatusUpdate), where the status is saved. Only
# Django's picture of the models changes: the table and its rows stay where they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0007_merge_wheel_and_council'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='StatusUpdate')],
            database_operations=[],
        ),
    ]
