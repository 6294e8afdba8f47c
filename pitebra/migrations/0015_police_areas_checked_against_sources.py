from django.db import migrations

from pitebra.register import load_police_areas


def sync_areas(apps, schema_editor):
    load_police_areas(
        apps.get_model("pitebra", "PoliceRegion"),
        apps.get_model("pitebra", "LocalPoliceArea"),
        apps.get_model("pitebra", "Municipality"),
    )


class Migration(migrations.Migration):
    """The local police areas as checked against Polisen's and the municipalities' pages:
    98 areas (107 before), Stockholm city's 2025 split, Malmö's two areas, Kalmar's 2018 areas."""

    dependencies = [
        ("pitebra", "0014_organisation_numbers_of_all_municipalities"),
    ]

    operations = [
        migrations.RunPython(sync_areas, migrations.RunPython.noop),
    ]
