"""The report off the request path: drafts and publishing queued for the background worker."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks import task_backends

from followup.models import PublishedReport, ReportRendering
from followup.tasks import render_report_draft
from plans.models import Activity

from ..factories import make_plan_tree

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued(settings):
    """The production queue: tasks wait in the database until a worker runs them."""
    settings.TASKS = DB_TASKS  # django-tasks resets its backends when TASKS changes
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"


def run_worker():
    """The real worker loop, once through the queue. It closes connections between tasks,
    which would end the test's transaction: that one call is skipped here."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def test_the_draft_request_returns_at_once_and_the_worker_makes_the_commands_bytes(
    queued, client_for, agreement, member, tmp_path, django_assert_max_num_queries
):
    make_plan_tree(agreement, year=2024, activities=2)
    client = client_for(member)
    url = reverse("followup:report-draft-pdf", args=[agreement.pk, 2024])

    response = client.get(url)
    rendering = ReportRendering.objects.get()
    status_url = reverse("followup:report-draft", args=[agreement.pk, 2024, rendering.pk])
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == status_url
    assert rendering.status == "queued" and rendering.pdf is None  # nothing rendered yet
    waiting = client.get(status_url).content.decode()
    assert "PDF-utkastet görs just nu" in waiting
    assert "data-wait-for-rendering" in waiting and "wait-for-rendering.js" in waiting

    run_worker()

    done = client.get(status_url).content.decode()
    file_url = reverse("followup:report-draft-file", args=[agreement.pk, 2024, rendering.pk])
    assert file_url in done and "wait-for-rendering" not in done
    from_worker = client.get(file_url).content
    output = tmp_path / "rapport.pdf"
    call_command("yearend_report", agreement=agreement.pk, year=2024, output=output, stdout=None)
    assert from_worker == output.read_bytes()

    # Unchanged content: served from the last rendering, nothing queued again.
    again = client.get(url)
    assert again.status_code == HTTPStatus.OK and again.content == from_worker
    assert ReportRendering.objects.count() == 1

    # Changed content: a new rendering is queued.
    Activity.objects.update(title="Ändrad aktivitet")
    assert client.get(url).status_code == HTTPStatus.FOUND
    assert ReportRendering.objects.filter(status="queued").count() == 1


def test_publishing_is_queued_and_offered_once_the_worker_is_done(
    queued, client_for, agreement, coordinator
):
    make_plan_tree(agreement, year=2024, activities=1)
    client = client_for(coordinator)
    response = client.post(
        reverse("followup:report-publish", args=[agreement.pk, 2024]),
        {"understood": "on"},
        follow=True,
    )
    page = response.content.decode()
    assert "publiceras just nu" in page
    assert not PublishedReport.objects.exists()

    run_worker()

    page = client.get(reverse("followup:report-list", args=[agreement.pk])).content.decode()
    assert "publiceras just nu" not in page
    assert reverse("followup:report-download", args=[agreement.pk, 2024, 1]) in page
    assert ReportRendering.objects.get().published == PublishedReport.objects.get()


def test_a_failed_draft_says_so_and_can_be_tried_again(
    queued, client_for, agreement, member, monkeypatch
):
    make_plan_tree(agreement, year=2024, activities=1)
    client = client_for(member)
    url = reverse("followup:report-draft-pdf", args=[agreement.pk, 2024])
    client.get(url)
    rendering = ReportRendering.objects.get()

    def broken(html):
        raise RuntimeError("no fonts")

    monkeypatch.setattr("followup.tasks.render_pdf", broken)
    with pytest.raises(RuntimeError):
        render_report_draft.call(rendering.pk)
    page = client.get(reverse("followup:report-draft", args=[agreement.pk, 2024, rendering.pk]))
    assert "PDF-utkastet kunde inte göras" in page.content.decode()
    monkeypatch.undo()
    assert client.get(url).status_code == HTTPStatus.FOUND  # queued again
    run_worker()
    assert client.get(url).content.startswith(b"%PDF")


def test_drafts_are_only_for_members_of_the_agreement(
    client_for, agreement, member, reader, outsider
):
    make_plan_tree(agreement, year=2024, activities=1)
    client_for(member).get(reverse("followup:report-draft-pdf", args=[agreement.pk, 2024]))
    rendering = ReportRendering.objects.get()
    args = [agreement.pk, 2024, rendering.pk]
    for name in ["followup:report-draft", "followup:report-draft-file"]:
        assert client_for(reader).get(reverse(name, args=args)).status_code == 403
        assert client_for(outsider).get(reverse(name, args=args)).status_code == 404
