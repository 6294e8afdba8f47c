"""Thinning (gallring) per the declarations: list what would go, or have the worker do it."""

from django.core.management.base import BaseCommand

from pitebra.dataprotection.tasks import thin_task
from pitebra.dataprotection.thinning import due


class Command(BaseCommand):
    help = (
        "Thin records past their declared period under the named decisions. --dry-run lists "
        "what would go; --enqueue hands the thinning to the background worker (run it daily)."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--dry-run", action="store_true", help="List what would go.")
        group.add_argument("--enqueue", action="store_true", help="Queue it for the worker.")

    def handle(self, *args, dry_run, enqueue, **options):
        if dry_run:
            items = due()
            for item in items:
                self.stdout.write(
                    f"{item.label} ({item.record_type}): {item.count} rows older than "
                    f"{item.cutoff:%Y-%m-%d}, under {item.decision}"
                )
            if not items:
                self.stdout.write("Nothing is due for thinning.")
            return
        result = thin_task.enqueue()
        self.stdout.write(f"Thinning queued for the worker (task {result.id}).")
