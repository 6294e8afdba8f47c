"""What was promised when: each public promise's and activity's earlier wording, from the
history django-simple-history keeps of every save, and the wording as it stood at a year's end.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from pitebra.personal_data import findings_in
from plans.models import Activity, CitizenPromise

ACTIVITY_TEXTS = ["title", "description", "operational_goal", "target_group"]
ACTIVITY_STATE = ["status", "start", "end"]
PROMISE_TEXTS = ["promise", "unit"]
PROMISE_STATE = ["target_count", "target_period"]


@dataclass
class Wording:
    """One recorded state of an item's public fields."""

    date: datetime.datetime
    values: dict

    def apply_to(self, item):
        for name, value in self.values.items():
            setattr(item, name, value)


@dataclass
class Change:
    last_changed: datetime.datetime | None = None  # the last change of a public text
    earlier: list = field(default_factory=list)  # [Wording], newest first, public texts only
    as_of: Wording | None = None  # the state at `until`, when asked


def activity_changes(pks, *, until=None):
    return _changes(Activity, pks, ACTIVITY_TEXTS, ACTIVITY_STATE, until, gate="public")


def promise_changes(pks, *, until=None):
    return _changes(CitizenPromise, pks, PROMISE_TEXTS, PROMISE_STATE, until, gate=None)


def _end_of(day):
    moment = datetime.datetime.combine(day, datetime.time.max)
    return timezone.make_aware(moment)


def _changes(model, pks, texts, state, until, *, gate):
    """{pk: Change} from one query over the items' history, oldest record first.

    Only records that were public (an activity's `public` flag then) count, and an earlier
    wording holding personal data (written before the check existed) is left out.
    """
    if not pks:
        return {}
    columns = ["id", "history_date", *texts, *state, *([gate] if gate else [])]
    rows = model.history.filter(id__in=pks).order_by("id", "history_date", "history_id")
    limit = _end_of(until) if until else None
    result = {}
    previous = {}
    for row in rows.values(*columns):
        pk = row["id"]
        change = result.setdefault(pk, Change())
        if gate and not row[gate]:
            continue
        wording = {name: row[name] for name in texts}
        if limit is None or row["history_date"] <= limit:
            change.as_of = Wording(row["history_date"], {n: row[n] for n in (*texts, *state)})
        before = previous.get(pk)
        if before is not None and before.values != wording:
            change.last_changed = row["history_date"]
            if not any(findings_in(text) for text in before.values.values()):
                change.earlier.insert(0, before)
        previous[pk] = Wording(row["history_date"], wording)
    if limit is not None:
        for change in result.values():
            if change.as_of is not None and change.as_of.date > limit:
                change.as_of = None
    return result
