"""Thinning (gallring): a dry run lists what would go; the worker removes it under the named
decision and logs it; public records are never thinned."""

import datetime
import io
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import models
from django.utils import timezone
from django_tasks import task_backends

from pitebra.models import ThinningLog
from security.models import AuditEvent

from ..factories import make_plan_tree

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def old_and_new(agreement, member):
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=365 * 3)
    AuditEvent.objects.create(action="login", user=member, username="medlem", at=long_ago)
    recent = AuditEvent.objects.create(action="login", user=member, username="medlem")
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=now - datetime.timedelta(days=1)
    )
    make_plan_tree(agreement)
    return {"recent": recent}


def _counts():
    from plans.models import Activity

    return {
        "audit": AuditEvent.objects.count(),
        "sessions": Session.objects.count(),
        "activities": Activity.objects.count(),
    }


def test_the_dry_run_lists_what_would_go_and_removes_nothing(old_and_new):
    before = _counts()
    out = io.StringIO()
    call_command("thin", dry_run=True, stdout=out)
    text = out.getvalue()
    assert "security.AuditEvent (Granskningslogg): 1 rows older than" in text
    assert "under GB-2026:1" in text
    assert "sessions.Session" in text
    assert "plans.Activity" not in text  # a public record
    assert _counts() == before
    assert not ThinningLog.objects.exists()


def test_the_worker_thins_under_the_decision_and_logs_it(old_and_new, settings):
    settings.TASKS = DB_TASKS
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    before = _counts()
    call_command("thin", enqueue=True, stdout=io.StringIO())
    assert _counts() == before  # queued, not done in the request
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    after = _counts()
    assert after["audit"] == before["audit"] - 1
    assert AuditEvent.objects.filter(pk=old_and_new["recent"].pk).exists()
    assert after["sessions"] == before["sessions"] - 1
    assert after["activities"] == before["activities"]
    logs = {log.model: log for log in ThinningLog.objects.all()}
    assert logs["security.AuditEvent"].count == 1
    assert logs["security.AuditEvent"].decision == "GB-2026:1"
    # The thinning log is itself kept: its declaration is a public record.
    from pitebra.dataprotection.declarations import PUBLIC_RECORD, declaration_for

    assert declaration_for(ThinningLog).retention == PUBLIC_RECORD
    # Nothing else was due: a second run removes and logs nothing.
    from pitebra.dataprotection.thinning import thin

    assert thin() == []


def test_published_report_renderings_are_never_thinned(agreement, member):
    from followup.models import ReportRendering
    from pitebra.dataprotection.thinning import due

    long_ago = timezone.now() - datetime.timedelta(days=800)
    for kind in ("draft", "publish"):
        rendering = ReportRendering.objects.create(
            agreement=agreement, year=2024, kind=kind, requested_by=member
        )
        models.QuerySet.update(
            ReportRendering.objects.filter(pk=rendering.pk), requested_at=long_ago
        )
    [item] = [i for i in due() if i.label == "followup.ReportRendering"]
    assert item.count == 1
    assert list(item.queryset.values_list("kind", flat=True)) == ["draft"]
