"""The completeness check of a situation picture: what the law asks for and what is missing."""

from dataclasses import dataclass

from .models import Cause, Observation, SituationPicture


@dataclass
class IndicatorAge:
    name: str
    newest_year: int | None
    age: int | None  # years between the newest value and the picture's year


@dataclass
class Completeness:
    law_parts: list
    indicator_ages: list[IndicatorAge]
    problems_without_evidence: list
    causes_without_activity: list
    has_problems: bool

    @property
    def complete(self):
        return (
            all(present for _label, present in self.law_parts)
            and self.has_problems
            and not self.problems_without_evidence
            and not self.causes_without_activity
        )


def completeness_for(picture: SituationPicture) -> Completeness:
    """Uses the picture's prefetched problems (with indicators, observations and sources)."""
    problems = list(picture.problems.all())
    indicators = {}
    for problem in problems:
        for indicator in problem.indicators.all():
            indicators[indicator.pk] = indicator.name
        for observation in problem.observations.all():
            indicators[observation.indicator_id] = observation.indicator.name
    newest = (
        Observation.objects.filter(indicator__in=list(indicators)).newest_year_by_indicator()
        if indicators
        else {}
    )
    ages = [
        IndicatorAge(
            name=name,
            newest_year=newest.get(pk),
            age=(picture.year - newest[pk]) if pk in newest else None,
        )
        for pk, name in sorted(indicators.items(), key=lambda item: item[1])
    ]
    causes_without_activity = list(
        Cause.objects.filter(problem__picture=picture, activities__isnull=True)
        .select_related("problem")
        .distinct()
    )
    return Completeness(
        law_parts=picture.law_parts(),
        indicator_ages=ages,
        problems_without_evidence=[p for p in problems if not p.has_evidence()],
        causes_without_activity=causes_without_activity,
        has_problems=bool(problems),
    )
