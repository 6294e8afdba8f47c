"""Remove a user's second factor from the command line (the operator's own lost phone)."""

from django.core.management.base import BaseCommand, CommandError

from pitebra.models import User
from security import two_factor
from security.audit import Action, record


class Command(BaseCommand):
    help = "Remove every second factor of a user; they enrol again at their next login."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        two_factor.reset(user)
        record(Action.TWO_FACTOR_RESET, obj=user, summary="command line")
        self.stdout.write(f"The second factor of {username} was reset.")
