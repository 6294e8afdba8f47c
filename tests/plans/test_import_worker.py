"""The plan import saved by the background worker: queued by the confirmation, its progress on
the page, every row or none, with history and an audit event for the user who confirmed."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from pitebra.models import Organisation
from plans.imports.plan import PlanPreview
from plans.imports.save import plan_import_save
from plans.models import Activity, Goal, ImportJob
from security.models import AuditEvent

from ..factories import make_member
from .messy_files import messy_agreement, messy_plan_xlsx
from .test_import_web import _columns, _questions

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued(settings):
    """The production queue: tasks wait in the database until a worker runs them."""
    settings.TASKS = DB_TASKS


def run_worker():
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


def _confirm(client, url):
    """Upload the messy plan, answer every question by creating, and confirm."""
    html = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", messy_plan_xlsx())})
    html = html.content.decode()
    data = {"columns": str(len(_columns(html))), **_columns(html), "confirm": "1"}
    for _legend, (name, options) in _questions(html).items():
        data[name] = next(
            (v for label, v in options.items() if label.startswith("Skapa")),
            next(iter(options.values())),
        )
    return client.post(url, data)


@pytest.fixture
def messy(db):
    agreement, plan = messy_agreement()
    member = make_member(agreement, "member", username="kommun")
    return agreement, plan, member


def test_the_worker_saves_the_import_and_the_page_shows_its_progress(queued, client_for, messy):
    agreement, plan, member = messy
    client = client_for(member)
    url = reverse("plans:plan-import", args=[agreement.pk, 2025])
    response = _confirm(client, url)

    job = ImportJob.objects.get()
    job_url = reverse("plans:plan-import-job", args=[agreement.pk, 2025, job.pk])
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == job_url
    assert not Activity.objects.in_plan(plan).exists()  # the request only queued it
    waiting = client.get(job_url).content.decode()
    assert "0 av 8 rader kontrollerade" in waiting
    assert '<progress id="import-progress"' in waiting and 'max="8" value="0"' in waiting
    assert "data-wait-for-rendering" in waiting

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("done", 8, 8)
    assert job.data == b""  # the file is not kept
    done = client.get(job_url).content.decode()
    assert "Importerade: 8 nya och 0 ändrade aktiviteter" in done
    assert "data-wait-for-rendering" not in done
    activities = Activity.objects.in_plan(plan)
    assert activities.count() == 8
    # One history entry per new activity, by the person who confirmed; one audit event.
    records = Activity.history.filter(id__in=activities.values("pk"))
    assert records.count() == 8 and {r.history_user for r in records} == {member}
    assert {r.history_type for r in records} == {"+"}
    event = AuditEvent.objects.get(action="import")
    assert event.user == member and event.agreement == agreement


def test_progress_is_reported_as_the_rows_are_checked(messy, monkeypatch):
    _agreement, plan, _member = messy
    answers = {}
    preview = PlanPreview(plan=plan, data=messy_plan_xlsx())
    for question in preview.questions:
        answers[question.name] = "create" if question.kind != "activity" else question.default
    preview = PlanPreview(plan=plan, data=messy_plan_xlsx(), answers=answers)
    monkeypatch.setattr("plans.imports.save.PROGRESS_EVERY", 3)
    reported = []
    plan_import_save(preview=preview, progress=lambda done, total: reported.append(done))
    assert reported == [0, 3, 6, 8]


def test_a_row_that_fails_while_saving_leaves_nothing_of_the_import(queued, client_for, messy):
    """The worker writes in one transaction: goals, organisations and the rows already
    written go with the failing row, and the page says which row failed."""
    agreement, plan, member = messy
    client = client_for(member)
    url = reverse("plans:plan-import", args=[agreement.pk, 2025])
    goals, organisations = Goal.objects.count(), Organisation.objects.count()
    _confirm(client, url)
    job = ImportJob.objects.get()

    real_save = Activity.save

    def fails_on_the_last_row(self, *args, **kwargs):
        if self.title == "Medborgardialog":
            raise AssertionError("disk full")
        return real_save(self, *args, **kwargs)

    with (
        mock.patch.object(Activity, "save", fails_on_the_last_row),
        mock.patch("plans.imports.save.bulk_create_with_history", side_effect=AssertionError),
    ):
        run_worker()

    job.refresh_from_db()
    assert job.status == "failed"
    assert not Activity.objects.in_plan(plan).exists()
    assert (Goal.objects.count(), Organisation.objects.count()) == (goals, organisations)
    page = client.get(reverse("plans:plan-import-job", args=[agreement.pk, 2025, job.pk]))
    assert "Inget sparades" in page.content.decode()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_a_row_refused_by_the_model_names_its_line_and_saves_nothing(queued, client_for, messy):
    agreement, plan, member = messy
    client = client_for(member)
    _confirm(client, reverse("plans:plan-import", args=[agreement.pk, 2025]))
    job = ImportJob.objects.get()
    real_clean = Activity.clean

    def refuse_one(self):
        if self.title == "Skolpolis i högstadiet":
            from django.core.exceptions import ValidationError

            raise ValidationError("Ange en kontaktperson.")
        return real_clean(self)

    with mock.patch.object(Activity, "clean", refuse_one):
        run_worker()
    job.refresh_from_db()
    assert job.status == "failed" and job.errors == ["Rad 7: Ange en kontaktperson."]
    assert not Activity.objects.in_plan(plan).exists()
    page = client.get(reverse("plans:plan-import-job", args=[agreement.pk, 2025, job.pk]))
    assert "Rad 7: Ange en kontaktperson." in page.content.decode()


def test_an_import_job_is_only_for_the_agreements_members(client_for, messy, outsider):
    agreement, plan, member = messy
    job = ImportJob.objects.create(plan=plan, requested_by=member, rows_total=1)
    url = reverse("plans:plan-import-job", args=[agreement.pk, 2025, job.pk])
    assert client_for(member).get(url).status_code == HTTPStatus.OK
    assert client_for(outsider).get(url).status_code == HTTPStatus.NOT_FOUND
