"""List log entries dated outside their activity's plan year, for the operator to move or fix.

Such entries were accepted before the log checked dates; no figure counts them any more, and
this command shows which they are (it changes nothing).
"""

from django.core.management.base import BaseCommand

from followup.models import LogEntry


class Command(BaseCommand):
    help = "List log entries dated outside their activity's plan year (changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--agreement", type=int, help="Only this agreement (its id).")

    def handle(self, *args, agreement=None, **options):
        entries = LogEntry.objects.outside_own_plan_year().select_related(
            "activity__strategy__goal__plan__agreement"
        )
        if agreement is not None:
            entries = entries.for_agreement(agreement)
        count = 0
        for entry in entries.order_by("activity__strategy__goal__plan__agreement", "date", "pk"):
            plan = entry.activity.strategy.goal.plan
            self.stdout.write(
                f"{plan.agreement.title}\tlogg {entry.pk}\t{entry.date:%Y-%m-%d}\t"
                f"planår {plan.year}\t{entry.activity.title}"
            )
            count += 1
        self.stdout.write(f"{count} loggposter utanför aktivitetens planår.")
