"""On PostgreSQL the audit trail cannot be changed or removed by the app's own database user:
a trigger refuses UPDATE and DELETE, except thinning through the function that logs itself and
closing an account. Run with DATABASE_URL=postgres://…; skipped on SQLite."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from pitebra.dataprotection.erasure import close_account
from pitebra.dataprotection.thinning import thin
from pitebra.models import ThinningLog
from security.models import AuditEvent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def _sql(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def events(member):
    old = AuditEvent.objects.create(
        action="login",
        user=member,
        username=member.username,
        at=timezone.now() - datetime.timedelta(days=3 * 365),
    )
    new = AuditEvent.objects.create(action="login", user=member, username=member.username)
    return old, new


def test_the_apps_database_user_cannot_update_or_delete_audit_events(events):
    old, _ = events
    with pytest.raises(DatabaseError, match="append-only: UPDATE refused"):
        _sql("UPDATE security_auditevent SET summary = 'forged' WHERE id = %s", [old.pk])
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"):
        _sql("DELETE FROM security_auditevent WHERE id = %s", [old.pk])
    # The ORM's plain paths, past the model's own guards, meet the same refusal.
    from django.db.models import QuerySet

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        QuerySet.delete(AuditEvent.objects.filter(pk=old.pk))
    assert AuditEvent.objects.filter(pk=old.pk, summary="").exists()


def test_thinning_goes_through_the_function_that_logs_itself(events):
    old, new = events
    logs = thin()
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=new.pk).exists()
    log = ThinningLog.objects.get(model="security.AuditEvent")
    assert log.count == 1 and log.decision == "GB-2026:1" and log in logs
    # The function switched the permission off again: nothing else may delete.
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"):
        _sql("DELETE FROM security_auditevent WHERE id = %s", [new.pk])


def test_closing_an_account_may_rewrite_its_audit_events(events, member):
    close_account(member)
    assert not AuditEvent.objects.filter(username="medlem").exists()
