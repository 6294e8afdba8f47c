import csv
from pathlib import Path

from django.db import migrations, models

REGISTER = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"


def load_register(apps, schema_editor):
    Municipality = apps.get_model("pitebra", "Municipality")
    with REGISTER.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        Municipality.objects.bulk_create(
            Municipality(
                code=row["code"],
                name=row["name"],
                county_code=row["county_code"],
                county_name=row["county_name"],
                organisation_number=row["organisation_number"],
            )
            for row in rows
        )


class Migration(migrations.Migration):
    dependencies = [
        ("pitebra", "0009_data_version_per_agreement"),
    ]

    operations = [
        migrations.CreateModel(
            name="Municipality",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(help_text="SCB's four-digit kommunkod, also the municipality's id in Kolada.", max_length=4, unique=True, verbose_name="municipality code")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("county_code", models.CharField(max_length=2, verbose_name="county code")),
                ("county_name", models.CharField(max_length=100, verbose_name="county")),
                ("organisation_number", models.CharField(blank=True, max_length=11, verbose_name="organisation number")),
            ],
            options={
                "verbose_name": "municipality",
                "verbose_name_plural": "municipalities",
                "ordering": ["name"],
            },
        ),
        migrations.RunPython(load_register, migrations.RunPython.noop),
    ]
