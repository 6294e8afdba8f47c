"""Restore an agreement archive written by export_agreement: all of it, or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pitebra.transfer.restore import ArchiveError, import_agreement


class Command(BaseCommand):
    help = (
        "Import an agreement archive (export_agreement) with new ids. Its people are created "
        "inactive without a password (or, with --match-users, matched to existing accounts of "
        "the same username that are not staff); second factors, sessions, permissions and "
        "groups are never restored, and audit events are marked as imported. Refuses an "
        "archive holding anything an export does not, whose SHA-256 sums do not match or whose "
        "schema version this installation does not have."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The zip file to import.")
        parser.add_argument(
            "--match-users",
            action="store_true",
            help=(
                "Give the archive's people the existing accounts with exactly the same "
                "username (never a staff or superuser account) instead of new inactive ones."
            ),
        )

    def handle(self, *args, archive, match_users=False, **options):
        try:
            agreement, summary = import_agreement(archive, match_users=match_users)
        except ArchiveError as error:
            raise CommandError(f"Refused, nothing imported: {error}") from error
        created = sum(summary["created"].values())
        matched = sum(summary["matched"].values())
        self.stdout.write(
            f"Imported {agreement} as agreement {agreement.pk}: {created} records created, "
            f"{matched} existing users or organisations matched. Audit events are marked as "
            f"imported from archive {summary['archive_sha256']}."
        )
        for old, new in sorted(summary["renamed"].items()):
            self.stdout.write(f"  {old}: an account here has that username; created as {new}")
        for name, count in sorted(summary["skipped"].items()):
            self.stdout.write(f"  skipped {count} {name} (history of rows that no longer exist)")
