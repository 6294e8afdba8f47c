"""Load the demo (`demo.seed`): the Piteå agreement 2023–2025 as signed, its successor running
from the current year, a second agreement and demo users. Running it twice changes nothing."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.seed import seed
from pitebra import pagecache


class Command(BaseCommand):
    help = "Load demo data: the Piteå agreement 2023–2025, a second agreement and demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (demo users have a published password).",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Count the current year's demo from this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args, force=False, today=None, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates users with a published password; it refuses to run with "
                "DJANGO_DEBUG off. Add --force if this really is a demo installation."
            )
        with transaction.atomic():
            seed(today=today)
            pagecache.bump()  # the demo writes in bulk, which sends no signal
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
