# The status history moved here from followup, beside the status it records. The table keeps
# its name (followup_statusupdate) and its rows: only Django's picture of the models changes,
# and the content type is carried over so the admin's permissions and log still point at it.

import django.db.models.deletion
import pitebra.validators
from django.conf import settings
from django.db import migrations, models


def carry_content_type(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='plans', model='statusupdate').exists():
        ContentType.objects.filter(app_label='followup', model='statusupdate').update(
            app_label='plans'
        )


def carry_content_type_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    if not ContentType.objects.filter(app_label='followup', model='statusupdate').exists():
        ContentType.objects.filter(app_label='plans', model='statusupdate').update(
            app_label='followup'
        )


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0006_merge_public_page_and_wheel'),
        ('followup', '0008_statusupdate_to_plans'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='StatusUpdate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('traffic_light', models.CharField(blank=True, choices=[('green', 'Green'), ('yellow', 'Yellow'), ('red', 'Red')], max_length=10, verbose_name='traffic light')),
                        ('previous_traffic_light', models.CharField(blank=True, choices=[('green', 'Green'), ('yellow', 'Yellow'), ('red', 'Red')], max_length=10, verbose_name='previous traffic light')),
                        ('status', models.CharField(choices=[('planned', 'Planned'), ('ongoing', 'Ongoing'), ('done', 'Done'), ('postponed', 'Postponed'), ('cancelled', 'Cancelled')], max_length=20, verbose_name='status')),
                        ('comment', models.TextField(help_text='Why the status changed, in a sentence or two.', validators=[pitebra.validators.validate_no_personal_identity_number], verbose_name='comment')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='changed at')),
                        ('activity', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_updates', to='plans.activity', verbose_name='activity')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by')),
                    ],
                    options={
                        'verbose_name': 'status update',
                        'verbose_name_plural': 'status updates',
                        'db_table': 'followup_statusupdate',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(carry_content_type, carry_content_type_back),
    ]
