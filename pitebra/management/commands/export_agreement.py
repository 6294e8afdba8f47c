"""Write one agreement, with its files, PDFs and history, into a zip archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pitebra.models import Agreement
from pitebra.transfer.archive import export_agreement


class Command(BaseCommand):
    help = (
        "Export every record of one agreement (organisations, working group without passwords "
        "or second factors, facts, pictures, plans with history, follow-up, meetings, reports "
        "with their frozen PDFs, documents with their files) as a zip with SHA-256 sums."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agreement", type=int, required=True, help="The agreement's id.")
        parser.add_argument("--output", type=Path, required=True, help="The zip file to write.")

    def handle(self, *args, agreement, output, **options):
        found = Agreement.objects.filter(pk=agreement).first()
        if found is None:
            raise CommandError(f"No agreement with id {agreement}.")
        data = export_agreement(found)
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error}") from error
        self.stdout.write(f"Wrote {output} ({len(data):,} bytes) for {found}.")
