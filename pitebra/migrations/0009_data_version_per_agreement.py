from django.db import migrations, models


def forget_the_one_version(apps, schema_editor):
    # The one installation-wide token gives way to one per agreement and one shared: a part
    # cached under the old token is simply never found again.
    apps.get_model("pitebra", "DataVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pitebra", "0008_public_page"),
    ]

    operations = [
        migrations.RunPython(forget_the_one_version, migrations.RunPython.noop),
        migrations.AddField(
            model_name="dataversion",
            name="scope",
            field=models.CharField(
                default="shared",
                help_text="'shared', or 'agreement:<id>'.",
                max_length=40,
                unique=True,
                verbose_name="scope",
            ),
            preserve_default=False,
        ),
    ]
