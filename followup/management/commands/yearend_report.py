"""Write an operating year's report as PDF: the same document as the draft download."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from followup.report.render import report_pdf
from pitebra.models import Agreement


class Command(BaseCommand):
    help = "Write the year-end report of an agreement's operating year as a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("--agreement", type=int, required=True, help="The agreement's id.")
        parser.add_argument("--year", type=int, required=True, help="The operating year.")
        parser.add_argument("--output", type=Path, required=True, help="Where to write the PDF.")

    def handle(self, *args, agreement, year, output, **options):
        found = Agreement.objects.filter(pk=agreement).first()
        if found is None:
            raise CommandError(f"No agreement with id {agreement}.")
        if not found.covers(year):
            raise CommandError(
                f"{year} is not an operating year of the agreement "
                f"({found.first_year}–{found.last_year})."
            )
        data = report_pdf(found, year)
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error}") from error
        self.stdout.write(f"Wrote {output} ({len(data):,} bytes).")
