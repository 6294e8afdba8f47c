"""Remove audit events older than the retention period (PITEBRA_AUDIT_RETENTION_DAYS)."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from security.models import AuditEvent


class Command(BaseCommand):
    help = "Remove audit events older than --older-than DAYS (default: the retention setting)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.PITEBRA_AUDIT_RETENTION_DAYS,
            metavar="DAYS",
            help="Remove events older than this many days (default %(default)s).",
        )

    def handle(self, *args, older_than, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 day.")
        before = timezone.now() - datetime.timedelta(days=older_than)
        removed, _ = AuditEvent.objects.prune(before)
        self.stdout.write(f"Removed {removed} audit events from before {before:%Y-%m-%d %H:%M}.")
