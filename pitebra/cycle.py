"""The five-step cycle per operating year, as the dashboard shows it."""

from dataclasses import dataclass

from .models import Agreement, StepStatus

Step = StepStatus.Step
State = StepStatus.State


@dataclass(frozen=True)
class StepCell:
    step: int
    label: str
    state: str
    state_label: str


@dataclass(frozen=True)
class CycleYear:
    year: int
    steps: list[StepCell]

    @property
    def current_step(self):
        """The first step not yet done, or None when the whole year is done."""
        return next((cell for cell in self.steps if cell.state != State.DONE), None)


def cycle_for(agreement: Agreement) -> list[CycleYear]:
    """Every operating year of the agreement with the state of each of the five steps.

    Until the later steps derive their states from their own data, coordinators set them;
    a step without a recorded state is not started.
    """
    recorded = {
        (status.year, status.step): status.state
        for status in StepStatus.objects.filter(agreement=agreement)
    }
    labels = dict(State.choices)
    return [
        CycleYear(
            year=year,
            steps=[
                StepCell(
                    step=step.value,
                    label=step.label,
                    state=(state := recorded.get((year, step.value), State.NOT_STARTED)),
                    state_label=labels[state],
                )
                for step in Step
            ],
        )
        for year in agreement.years
    ]
