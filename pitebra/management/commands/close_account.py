"""Close an account: access ends now and the person is replaced by a pseudonym everywhere."""

from django.core.management.base import BaseCommand, CommandError

from pitebra.dataprotection.erasure import close_account
from pitebra.models import User


class Command(BaseCommand):
    help = (
        "End USERNAME's access at once and replace their name, username, e-mail and phone "
        "everywhere by a pseudonym. Published reports are public records and stay as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username}.")
        erasure = close_account(user)
        self.stdout.write(
            f"Closed: now {erasure.pseudonym} ({erasure.rows_changed} rows rewritten). "
            "Published reports are unchanged."
        )
