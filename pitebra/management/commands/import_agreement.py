"""Restore an agreement archive written by export_agreement: all of it, or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pitebra.transfer.restore import ArchiveError, import_agreement


class Command(BaseCommand):
    help = (
        "Import an agreement archive (export_agreement) with new ids. Users are matched by "
        "username or e-mail, or created inactive without a password. Refuses an archive whose "
        "SHA-256 sums do not match or whose schema version this installation does not have."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The zip file to import.")

    def handle(self, *args, archive, **options):
        try:
            agreement, summary = import_agreement(archive)
        except ArchiveError as error:
            raise CommandError(f"Refused, nothing imported: {error}") from error
        created = sum(summary["created"].values())
        matched = sum(summary["matched"].values())
        self.stdout.write(
            f"Imported {agreement} as agreement {agreement.pk}: {created} records created, "
            f"{matched} existing users or organisations matched."
        )
        for name, count in sorted(summary["skipped"].items()):
            self.stdout.write(f"  skipped {count} {name} (history of rows that no longer exist)")
