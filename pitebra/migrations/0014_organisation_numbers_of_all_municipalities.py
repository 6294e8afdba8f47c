from django.db import migrations

from pitebra.register import update_organisation_numbers


def write_numbers(apps, schema_editor):
    update_organisation_numbers(apps.get_model("pitebra", "Municipality"))


class Migration(migrations.Migration):
    """All 290 organisation numbers (Skolverket's register), Piteå's corrected: it had Luleå's."""

    dependencies = [
        ("pitebra", "0013_police_areas"),
    ]

    operations = [
        migrations.RunPython(write_numbers, migrations.RunPython.noop),
    ]
