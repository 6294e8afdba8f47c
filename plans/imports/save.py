"""The import's writes, in one place: all rows or none, and history only where something changed.

Both the web flow and the commands call `plan_import_save` and `facts_import_save`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from pitebra import pagecache
from pitebra.models import Organisation, PriorityArea
from pitebra.versioning import StaleVersion
from pitebra.versioning.history import one_entry_per_save

from ..models import Activity, Cause, Goal, Indicator, Problem, SituationPicture, Strategy
from ..services.status import activities_created_in_bulk, activity_save
from .choices import save_choices
from .compare import FK_FIELDS, M2M_FIELDS, target_strategy
from .values import key

IMPORTED_PROBLEM = "Orsaker från importerad plan"  # data: shown in the Swedish situation picture


class _Creator:
    """Creates each new organisation, cause and area once, however many rows name it."""

    def __init__(self, plan):
        self.plan = plan
        self.made = {}

    def resolve(self, kind, ref):
        action, value = ref
        if action == "use":
            return int(value)
        memo = (kind, key(value))
        if memo not in self.made:
            self.made[memo] = getattr(self, f"make_{kind}")(value).pk
        return self.made[memo]

    def make_organisation(self, name):
        agreement = self.plan.agreement
        found = Organisation.objects.of_agreement(agreement).filter(name__iexact=name).first()
        return found or Organisation.objects.create(
            name=name[:200], kind=Organisation.Kind.PARTNER, agreement=agreement
        )

    def make_area(self, name):
        agreement = self.plan.agreement
        position = (agreement.priority_areas.aggregate(m=Max("position"))["m"] or 0) + 1
        return PriorityArea.objects.create(agreement=agreement, name=name[:200], position=position)

    def make_cause(self, text):
        agreement = self.plan.agreement
        picture = (
            SituationPicture.objects.filter(agreement=agreement, year=self.plan.year)
            .order_by("-version")
            .first()
            or SituationPicture.objects.filter(agreement=agreement).order_by("-year").first()
            or SituationPicture.objects.create(agreement=agreement, year=self.plan.year)
        )
        problem, _created = Problem.objects.get_or_create(picture=picture, title=IMPORTED_PROBLEM)
        return Cause.objects.create(problem=problem, description=text[:500])


def _strategy(plan, row, creator, cache):
    area_id = creator.resolve("area", row.area)
    goal_title = row.goal or PriorityArea.objects.get(pk=area_id).overarching_goal or row.title
    goal_key = ("goal", area_id, key(goal_title))
    if goal_key not in cache:
        goal = Goal.objects.filter(plan=plan, priority_area_id=area_id, title__iexact=goal_title)
        cache[goal_key] = goal.first() or Goal.objects.create(
            plan=plan, priority_area_id=area_id, title=goal_title[:300],
            position=plan.goals.count() + 1,
        )  # fmt: skip
    goal = cache[goal_key]
    strategy_title = row.strategy or goal_title
    strategy_key = ("strategy", goal.pk, key(strategy_title))
    if strategy_key not in cache:
        found = goal.strategies.filter(title__iexact=strategy_title).first()
        cache[strategy_key] = found or Strategy.objects.create(
            goal=goal, title=strategy_title[:300], position=goal.strategies.count() + 1
        )
    return cache[strategy_key]


def seen_versions(plan) -> dict[str, int]:
    """The version of every activity of the plan as the preview saw it."""
    return {str(pk): v for pk, v in Activity.objects.in_plan(plan).values_list("pk", "version")}


PROGRESS_EVERY = 250  # rows between two progress reports: a write each, not one per row


def plan_import_save(*, preview, seen: dict[str, int] | None = None, progress=None, by=None):
    """Write a checked PlanPreview: new and changed activities; unchanged rows are not saved.

    `seen` (from `seen_versions` at the preview) makes each update check that the activity is
    still as it was previewed; without it, the version loaded with the preview is checked, so a
    save by someone else during the import is never overwritten (ValidationError, all or
    nothing). Each activity gets one history entry, and only if something changed; a changed
    status or traffic light joins the status history as by `by`.

    First every row is checked (`progress(done, total)` is called as it goes, outside any
    transaction so that another connection sees it); then everything is written in one
    transaction. New activities without links are inserted in bulk with their history
    (`by` is the history's user); changed ones are saved one by one (their version check).
    """
    plan = preview.plan
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    rows = [row for row in preview.rows if row.state != "unchanged"]
    counts["unchanged"] = len(preview.rows) - len(rows)
    prepared = []
    for done, row in enumerate(rows):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, len(rows))
        prepared.append(_prepared(row, seen, plan.agreement.municipality))
    if progress:
        progress(len(rows), len(rows))
    creator = _Creator(plan)
    cache = {}
    with transaction.atomic(), one_entry_per_save():
        in_bulk = []
        for row, activity, links in prepared:
            is_new = activity.pk is None
            if is_new:
                activity.strategy = _strategy(plan, row, creator, cache)
                counts["created"] += 1
            else:
                if target_strategy(row, preview) is not None:
                    activity.strategy = _strategy(plan, row, creator, cache)
                counts["updated"] += 1
            if "responsible_organisation" in row.values:
                activity.responsible_organisation_id = creator.resolve(
                    "organisation", row.values["responsible_organisation"]
                )
            ids = {
                name: [creator.resolve(kind, ref) for ref in refs]
                for name, (kind, refs) in links.items()
            }
            if is_new and not any(ids.values()):
                in_bulk.append(activity)
                continue
            activity._history_user = by  # the worker has no request to take it from
            _save_one(activity, row, by)
            for name, linked in ids.items():
                current = set() if is_new else preview.links[name].get(activity.pk, set())
                if current != set(linked):
                    getattr(activity, name).set(linked)
        if in_bulk:
            # No save() and no signal per row: the history in bulk, the cache bumped once.
            created = bulk_create_with_history(in_bulk, Activity, batch_size=500, default_user=by)
            activities_created_in_bulk(created, by=by)
            pagecache.bump(plan.agreement)
        _remember(preview, creator)
    return counts


def _prepared(row, seen, municipality):
    """(row, activity with the row's plain values, links to resolve), checked as the model
    checks every activity; a row that fails stops the import with its line number."""
    activity = row.activity
    if activity is None:
        activity = Activity(position=row.line)
        if "responsible_organisation" not in row.values:
            activity.responsible_organisation = municipality
    elif seen is not None:
        activity.version = seen.get(str(activity.pk), 0)
    links = {}
    for name, value in row.values.items():
        if name in M2M_FIELDS:
            links[name] = ("organisation" if name == "partners" else "cause", value)
        elif name == "responsible_organisation":
            continue  # resolved when written: it may be an organisation to create
        elif name in FK_FIELDS:
            setattr(activity, f"{name}_id", value)
        else:
            setattr(activity, name, value)
    # Every rule of a valid activity (`Activity.clean()`: a contact, the dates' order) and the
    # fields' own validators (e.g. no personal identity numbers); the links are resolved from
    # the agreement's own records when written. Not the constraints: Django checks each with a
    # query (5,000 queries for 5,000 rows), and clean() says the same of the one there is
    # (start before end), which the database still enforces when the rows are written.
    try:
        activity.full_clean(
            exclude=["strategy", "responsible_organisation", "contact_user"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        raise ValidationError(
            _("Row %(line)s: %(error)s") % {"line": row.line, "error": " ".join(error.messages)},
            code="invalid",
        ) from error
    return row, activity, links


def _save_one(activity, row, by):
    try:
        activity_save(activity=activity, by=by)
    except StaleVersion as stale:
        raise ValidationError(
            _(
                "Row %(line)s: “%(title)s” was changed by someone else after the "
                "preview. Nothing was imported: upload the file again to see the plan "
                "as it is now."
            )
            % {"line": row.line, "title": stale.current.title},
            code="stale",
        ) from stale


def _remember(preview, creator):
    choices = [
        ("column-plan", header, field)
        for header, field in zip(preview.table.headers, preview.columns, strict=True)
        if header
    ]
    for question in preview.questions:
        if question.kind == "activity":
            continue
        answer = preview.answers.get(question.name, question.default)
        if answer == "create":
            made = creator.made.get((question.kind, key(question.text)))
            answer = f"use:{made}" if made else answer
        choices.append((question.kind, question.text, answer))
    save_choices(preview.agreement, choices)


def facts_import_save(*, preview) -> tuple[int, int]:
    """Write a checked FactsPreview: all values or none; returns (created, updated)."""
    from .facts import observations_write

    with transaction.atomic():
        made = {}
        for row in preview.rows:
            if row.indicator[0] == "create":
                name = row.indicator[1]
                if key(name) not in made:
                    made[key(name)] = Indicator.objects.get_or_create(
                        agreement=preview.agreement, name=name[:200]
                    )[0]
        result = observations_write(preview, made)
        preview.remember(made)
    return result
