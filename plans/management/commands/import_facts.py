"""python manage.py import_facts --agreement ID FILE [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from pitebra.models import Agreement
from plans.imports.columns import FACT_FIELDS
from plans.imports.facts import FactsPreview
from plans.imports.report import column_lines, question_lines
from plans.imports.save import facts_import_save
from plans.imports.table import TableError
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
            found = Agreement.objects.filter(pk=agreement).select_related("municipality").first()
            if found is None:
                raise CommandError(f"No agreement has the id {agreement}.")
            try:
                preview = FactsPreview(agreement=found, data=Path(file).read_bytes())
            except (OSError, TableError) as error:
                raise CommandError(f"Nothing was imported. {error}") from error
            out = self.stdout.write
            out(f"Header on row {preview.table.header_line}. Columns:")
            for line in column_lines(preview, FACT_FIELDS):
                out(f"  {line}")
            for line in preview.messages:
                out(line)
            questions = question_lines(preview)
            if questions:
                out("Not known by name (automatic choice):")
                for line in questions:
                    out(f"  {line}")
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
