from django.db import migrations, models

from pitebra.register import load_municipalities


def load_register(apps, schema_editor):
    load_municipalities(apps.get_model("pitebra", "Municipality"))


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
