"""What is still incomplete in an operating year, shown before a coordinator publishes."""

from dataclasses import dataclass, field

from pitebra.cycle import State, cycle_for
from plans.models import Activity, ImplementationPlan, SituationPicture

from ..overview import followed_in_plan


@dataclass
class Readiness:
    steps_not_done: list = field(default_factory=list)  # StepCell
    picture: SituationPicture | None = None
    plan: ImplementationPlan | None = None
    not_evaluated: list = field(default_factory=list)  # Activity

    @property
    def picture_agreed(self):
        return self.picture is not None and self.picture.is_agreed

    @property
    def complete(self):
        return (
            not self.steps_not_done
            and self.picture_agreed
            and self.plan is not None
            and not self.not_evaluated
        )


def publish_readiness(agreement, year: int) -> Readiness:
    """The five steps not done, the year's newest situation picture, and the activities of
    the year's plan that have no evaluation (cancelled and carried-over ones need none)."""
    cycle_year = next((y for y in cycle_for(agreement) if y.year == year), None)
    steps = [c for c in cycle_year.steps if c.state != State.DONE] if cycle_year else []
    picture = (
        SituationPicture.objects.filter(agreement=agreement, year=year).order_by("-version").first()
    )
    plan = ImplementationPlan.objects.filter(agreement=agreement, year=year).first()
    missing = []
    if plan is not None:
        activities = followed_in_plan(
            plan, "strategy__goal__position", "strategy__position", "position", "pk"
        )
        missing = [
            a
            for a in activities
            if not a.evaluated and not a.carried_over and a.status != Activity.Status.CANCELLED
        ]
    return Readiness(steps, picture, plan, missing)
