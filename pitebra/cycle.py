"""The five-step cycle per operating year, as the dashboard shows it.

Each step's state comes from the step's own data where an app has registered a deriver for it
(`register_step_deriver` in the app's `AppConfig.ready`); otherwise from what a coordinator set
(`StepStatus`); otherwise it is not started.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .models import Agreement, StepStatus

Step = StepStatus.Step
State = StepStatus.State

# step -> function(agreement, years) -> {year: state}; years missing from the answer fall back.
StepDeriver = Callable[[Agreement, Iterable[int]], dict[int, str]]
_derivers: dict[int, StepDeriver] = {}


def register_step_deriver(step: int, deriver: StepDeriver) -> None:
    """Let an app derive a step's state from its data (one call covers all years)."""
    _derivers[step] = deriver


@dataclass(frozen=True)
class StepCell:
    step: int
    label: str
    state: str
    state_label: str
    derived: bool
    by_hand: bool = False  # what a coordinator set, shown as such beside the derived states


@dataclass(frozen=True)
class CycleYear:
    year: int
    steps: list[StepCell]


def cycle_for(agreement: Agreement) -> list[CycleYear]:
    """Every operating year of the agreement with the state of each of the five steps."""
    years = agreement.years
    recorded = {
        (status.year, status.step): status.state
        for status in StepStatus.objects.filter(agreement=agreement)
    }
    derived = {step: deriver(agreement, years) for step, deriver in _derivers.items()}
    labels = dict(State.choices)

    def cell(year, step):
        from_data = derived.get(step.value, {}).get(year)
        state = from_data or recorded.get((year, step.value), State.NOT_STARTED)
        by_hand = from_data is None and (year, step.value) in recorded
        return StepCell(
            step.value, step.label, state, labels[state], from_data is not None, by_hand
        )

    return [CycleYear(year, [cell(year, step) for step in Step]) for year in years]
