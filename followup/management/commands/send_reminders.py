"""E-mail each responsible person a digest of their overdue and soon-due activities and
missing evaluations. Meant to run once a week from cron or a systemd timer (see README)."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from pitebra.models import User

from ...overview import SOON_DAYS, digest_for


class Command(BaseCommand):
    help = "E-mail each contact person a digest of overdue, soon-due and unevaluated activities."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Count as if it were this day (YYYY-MM-DD); default: today in Stockholm.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get a digest; send nothing."
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        today = today or timezone.localdate()
        sent = 0
        people = (
            User.objects.filter(
                is_active=True, receives_reminders=True, responsible_activities__isnull=False
            )
            .exclude(email="")
            .distinct()
            .order_by("pk")
        )
        with translation.override(settings.LANGUAGE_CODE):
            for user in people:
                digest = digest_for(user, today)
                if not any(digest.values()):
                    continue
                if dry_run:
                    self.stdout.write(f"{user.email}: {sum(map(len, digest.values()))} items")
                    continue
                send_digest(user=user, digest=digest, today=today)
                sent += 1
        self.stdout.write(self.style.SUCCESS(f"Reminders sent: {sent}"))


def send_digest(*, user, digest, today):
    context = {
        "user": user,
        "today": today,
        "soon_days": SOON_DAYS,
        "site_url": settings.SITE_URL,
        "settings_path": reverse("reminder-settings"),
        **digest,
    }
    subject = render_to_string("followup/email/reminder_subject.txt", context).strip()
    body = render_to_string("followup/email/reminder_digest.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
