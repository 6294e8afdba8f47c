"""Background work (django-tasks, run by `manage.py db_worker`): the plan import's save.

A 5,000-row plan took 27.5 s to save inside the request, against gunicorn's 30 s timeout. The
request now queues an ImportJob and shows its progress; the worker checks every row (the
progress bar moves as it goes) and then writes all rows or none in one transaction.
"""

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from security.audit import Action, record

from .imports.plan import PlanPreview
from .imports.save import plan_import_save
from .models import ImportJob

logger = logging.getLogger(__name__)


@task()
def import_plan(job_id: int) -> None:
    """Save a confirmed plan import: every row checked, then all written or none."""
    job = ImportJob.objects.select_related("plan__agreement", "requested_by").filter(pk=job_id)
    job = job.first()
    if job is None or job.status != ImportJob.Status.QUEUED:
        return
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])

    def progress(done, total):
        # Outside the import's transaction: the page reads it while the worker goes on.
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, rows_total=total)

    try:
        preview = PlanPreview(
            plan=job.plan, data=bytes(job.data), columns=job.columns, answers=job.answers
        )
        if preview.errors:
            raise ValidationError(list(preview.errors))
        counts = plan_import_save(
            preview=preview, seen=job.seen, progress=progress, by=job.requested_by
        )
    except ValidationError as error:
        _finish(job, ImportJob.Status.FAILED, errors=list(error.messages))
        return
    except Exception:
        logger.exception("Plan import %s failed", job.pk)
        _finish(job, ImportJob.Status.FAILED, errors=[])
        raise
    record(
        Action.IMPORT,
        user=job.requested_by,
        agreement=job.plan.agreement,
        obj=job.plan,
        summary="plan file",
    )
    _finish(job, ImportJob.Status.DONE, counts=counts)


def _finish(job, status, *, counts=None, errors=None):
    job.refresh_from_db(fields=["rows_done", "rows_total"])
    job.status, job.finished_at = status, timezone.now()
    job.counts, job.errors = counts or {}, errors or []
    job.data = b""  # the file is not kept once it is imported or refused
    job.save(update_fields=["status", "finished_at", "counts", "errors", "data"])
