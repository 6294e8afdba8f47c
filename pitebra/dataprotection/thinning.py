"""Thinning (gallring): rows past their declared period are removed under the named decision,
and each removal is written to the thinning log, which is itself kept.

Runs as a task of the background worker (`tasks.thin_task`), enqueued daily by `manage.py thin
--enqueue` (deploy/pitebra-thinning.timer); `manage.py thin --dry-run` lists what would go.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from ..models import ThinningLog
from .declarations import THINNED, declared_models


@dataclass
class Due:
    label: str
    record_type: str
    decision: str
    cutoff: datetime.datetime
    count: int
    queryset: models.QuerySet
    function: str = ""


def due(now=None):
    """What thinning would remove now: one entry per record type with rows past their period."""
    now = now or timezone.now()
    result = []
    for model, declaration in declared_models():
        if declaration is None or declaration.retention != THINNED or not declaration.dated_by:
            continue
        cutoff = now - datetime.timedelta(days=365 * declaration.years)
        queryset = model._base_manager.filter(
            **{f"{declaration.dated_by}__lt": cutoff}, **dict(declaration.thinned_only)
        )
        count = queryset.count()
        if count:
            result.append(
                Due(
                    model._meta.label,
                    declaration.record_type,
                    declaration.decision,
                    cutoff,
                    count,
                    queryset,
                    declaration.thinning_function,
                )
            )
    return result


def _thin_in_database(item):
    """A table the database guards (the audit trail on PostgreSQL): its own function removes
    the rows and writes the thinning log."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {item.function}(%s, %s)", [item.cutoff, item.decision])
        cursor.fetchone()
    return ThinningLog.objects.filter(model=item.label, cutoff=item.cutoff).latest("pk")


@transaction.atomic
def thin(now=None):
    """Remove what is due and log it; returns the log rows written."""
    logs = []
    for item in due(now):
        if item.function and connection.vendor == "postgresql":
            logs.append(_thin_in_database(item))
            continue
        # The plain QuerySet.delete: the audit trail's own refuses every other path.
        removed = models.QuerySet.delete(item.queryset)[1].get(item.label, 0)
        logs.append(
            ThinningLog.objects.create(
                model=item.label, count=removed, cutoff=item.cutoff, decision=item.decision
            )
        )
    return logs
