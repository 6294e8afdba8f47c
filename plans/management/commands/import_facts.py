"""python manage.py import_facts --agreement ID FILE [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from plans.imports.columns import FACT_FIELDS
from plans.imports.facts import FactsPreview
from plans.imports.report import command_agreement, command_preview
from plans.imports.save import facts_import_save
from security.audit import Action, record


class Command(BaseCommand):
    help = (
        "Import indicator values from a .csv, .xlsx or .xls table (indicator, period, area, "
        "value), with the agreement's saved mapping or the automatic one. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agreement", type=int, required=True)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done")

    def handle(self, *args, agreement, file, dry_run, **options):
        with translation.override(None):
            found = command_agreement(agreement)
            out = self.stdout.write
            preview = command_preview(
                lambda data: FactsPreview(agreement=found, data=data), file, FACT_FIELDS, out
            )
            if preview.errors:
                raise CommandError("Nothing was imported.\n" + "\n".join(preview.errors))
            counts = preview.counts()
            summary = (
                "{new} new, {changed} changed, {unchanged} unchanged values".format(**counts)
                + f"; {preview.missing} missing values ('..', '-', empty) skipped"
                + (
                    f"; {preview.skipped_by_choice} rows skipped"
                    if preview.skipped_by_choice
                    else ""
                )
            )
            if dry_run:
                out(f"Dry run, nothing saved: {summary}.")
                return
            facts_import_save(preview=preview)
            record(Action.IMPORT, agreement=found, summary="facts file command")
            out(self.style.SUCCESS(f"Imported: {summary}."))
