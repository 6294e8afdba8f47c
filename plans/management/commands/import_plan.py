"""python manage.py import_plan --agreement ID --year Y FILE [--dry-run]"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from plans.imports.columns import PLAN_FIELDS
from plans.imports.plan import PlanPreview
from plans.imports.report import command_agreement, command_preview
from plans.imports.save import plan_import_save
from plans.models import ImplementationPlan
from security.audit import Action, record


class Command(BaseCommand):
    help = (
        "Import a plan from the group's own .xlsx, .xls or .csv file, with the agreement's saved "
        "mapping or the automatic one. All or nothing; importing the same file again changes "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agreement", type=int, required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done")

    def handle(self, *args, agreement, year, file, dry_run, **options):
        with translation.override(None):
            found = command_agreement(agreement)
            plan = ImplementationPlan.objects.filter(agreement=found, year=year).first()
            if plan is None:
                raise CommandError(f"The agreement has no plan for {year}.")
            out = self.stdout.write
            preview = command_preview(
                lambda data: PlanPreview(plan=plan, data=data), file, PLAN_FIELDS, out
            )
            for row in preview.rows:
                detail = f" ({', '.join(row.changed)})" if row.changed else ""
                warn = "".join(f" [{w}]" for w in row.warnings)
                out(f"Row {row.line}: {row.state}{detail}: {row.title}{warn}")
            if plan.is_adopted:
                out("Warning: the plan is adopted.")
            if preview.errors:
                raise CommandError("Nothing was imported.\n" + "\n".join(preview.errors))
            counts = preview.counts()
            summary = "{new} new, {changed} changed, {unchanged} unchanged".format(**counts)
            if dry_run:
                out(f"Dry run, nothing saved: {summary}.")
                return
            try:
                plan_import_save(preview=preview)
            except ValidationError as error:
                raise CommandError("\n".join(error.messages)) from error
            record(Action.IMPORT, agreement=found, obj=plan, summary="plan file command")
            out(self.style.SUCCESS(f"Imported: {summary}."))
