"""Two people saving the same first record at once: one row, a message, never a 500.

The second request is simulated by creating the row after the page's form was checked and
before it is saved (the moment a real second request would hit the unique constraint); on
PostgreSQL two threads also really post at once.
"""

import threading
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from followup import services
from followup.forms.report import ReportNarrativeForm
from followup.forms.work import EvaluationForm
from followup.models import Evaluation, PublishedReport, YearEndReport
from pitebra.models import Membership
from plans.models import Approval
from plans.services.situation import picture_approve

from ..factories import make_activity, make_member, make_picture, make_plan_tree

SAVED_MEANWHILE = "Någon annan sparade detta i samma ögonblick"
EVALUATION = {"done_as_planned": "yes", "verdict": "continue", "lessons": "Mina lärdomar"}


def _create_after_validation(monkeypatch, form_class, create):
    """The other request's row appears between checking the form and saving it."""
    original = form_class.is_valid

    def is_valid(self):
        valid = original(self)
        create()
        return valid

    monkeypatch.setattr(form_class, "is_valid", is_valid)


def test_simultaneous_first_evaluations_save_one_and_tell_the_second(
    monkeypatch, client_for, agreement, member
):
    plan, strategy = make_plan_tree(agreement, activities=0)
    activity = make_activity(strategy)
    url = reverse("followup:evaluation-edit", args=[agreement.pk, activity.pk])
    client = client_for(member)
    assert client.get(url).status_code == HTTPStatus.OK
    _create_after_validation(
        monkeypatch,
        EvaluationForm,
        lambda: Evaluation.objects.create(
            activity=activity, year=plan.year, done_as_planned="no", verdict="stop"
        ),
    )
    response = client.post(url, EVALUATION, follow=True)
    assert response.status_code == HTTPStatus.OK
    assert SAVED_MEANWHILE in response.content.decode()
    evaluation = Evaluation.objects.get()  # one row: the first one's
    assert (evaluation.verdict, evaluation.lessons) == ("stop", "")


def test_simultaneous_first_report_texts_save_one_and_tell_the_second(
    monkeypatch, client_for, agreement, coordinator
):
    url = reverse("followup:report-edit", args=[agreement.pk, 2024])
    client = client_for(coordinator)
    assert client.get(url).status_code == HTTPStatus.OK
    _create_after_validation(
        monkeypatch,
        ReportNarrativeForm,
        lambda: YearEndReport.objects.create(agreement=agreement, year=2024, foreword="Först"),
    )
    response = client.post(url, {"foreword": "Sedan", "conclusions": "", "proposed_revisions": ""})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert SAVED_MEANWHILE in page and "Först" in page
    assert YearEndReport.objects.get().foreword == "Först"


def test_an_approval_given_meanwhile_is_a_message_not_a_500(agreement):
    officer = make_member(
        agreement, Membership.Role.MEMBER, username="polisen", organisation=agreement.police_area
    )
    picture = make_picture(agreement, 2024)

    def other_officer_first(sender, instance, **kwargs):
        if instance.pk is None:
            pre_save.disconnect(other_officer_first, sender=Approval)
            Approval.objects.bulk_create([Approval(picture=picture, party="police", user=officer)])

    pre_save.connect(other_officer_first, sender=Approval)
    try:
        with pytest.raises(ValidationError) as refused:
            picture_approve(picture=picture, user=officer)
    finally:
        pre_save.disconnect(other_officer_first, sender=Approval)
    assert refused.value.code == "already_approved"
    assert "Polisen har redan godkänt" in refused.value.messages[0]


@pytest.mark.django_db(transaction=True)
def test_report_pdf_is_rendered_before_the_publishing_lock(monkeypatch, agreement, coordinator):
    """While WeasyPrint works, nothing of the report is locked or written yet."""
    seen = []

    def render(*, agreement, year, version, correction=""):
        seen.append((connection.in_atomic_block, YearEndReport.objects.exists(), version))
        return b"%PDF-1.7 test"

    monkeypatch.setattr(services, "report_render", render)
    published = services.report_publish(agreement=agreement, year=2024, by=coordinator)
    assert seen == [(False, False, 1)]  # outside any transaction, before the report row exists
    assert bytes(published.pdf) == b"%PDF-1.7 test"


def test_a_version_published_while_rendering_is_not_overwritten(
    monkeypatch, agreement, coordinator
):
    calls = []

    def render(*, agreement, year, version, correction=""):
        calls.append((version, correction))
        if len(calls) == 1:  # someone else publishes version 1 while this one renders
            report = YearEndReport.objects.create(agreement=agreement, year=year)
            PublishedReport.objects.create(
                report=report, version=1, pdf=b"%PDF other", published_by=coordinator
            )
        return f"%PDF mine v{version}".encode()

    monkeypatch.setattr(services, "report_render", render)
    published = services.report_publish(
        agreement=agreement, year=2024, by=coordinator, reason="Siffrorna i avsnitt 5."
    )
    assert calls == [(1, ""), (2, "Siffrorna i avsnitt 5.")] and published.version == 2
    assert bytes(PublishedReport.objects.get(version=1).pdf) == b"%PDF other"


def test_a_first_version_that_became_a_correction_meanwhile_asks_for_a_reason(
    monkeypatch, agreement, coordinator
):
    def render(*, agreement, year, version, correction=""):
        if version == 1:  # someone else publishes version 1 while this one renders
            report = YearEndReport.objects.create(agreement=agreement, year=year)
            PublishedReport.objects.create(
                report=report, version=1, pdf=b"%PDF other", published_by=coordinator
            )
        return b"%PDF mine"

    monkeypatch.setattr(services, "report_render", render)
    with pytest.raises(ValidationError) as refused:
        services.report_publish(agreement=agreement, year=2024, by=coordinator)
    assert refused.value.code == "correction_reason"
    assert list(PublishedReport.objects.values_list("version", flat=True)) == [1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_two_threads_evaluating_at_once_on_postgresql(agreement, member):
    plan, strategy = make_plan_tree(agreement, activities=0)
    activity = make_activity(strategy)
    url = reverse("followup:evaluation-edit", args=[agreement.pk, activity.pk])
    both_loaded = threading.Barrier(2, timeout=20)

    def wait_for_the_other(sender, instance, **kwargs):
        if instance.pk is None:
            both_loaded.wait()  # both found no evaluation; both now insert

    pre_save.connect(wait_for_the_other, sender=Evaluation)
    results = []

    def post(lessons):
        try:
            client = Client()
            client.force_login(member)
            response = client.post(url, {**EVALUATION, "lessons": lessons})
            results.append((response.status_code, response["Location"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(f"Tråd {n}",)) for n in (1, 2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        pre_save.disconnect(wait_for_the_other, sender=Evaluation)
    assert sorted(results) == sorted(
        [
            (HTTPStatus.FOUND, reverse("followup:evaluation-list", args=[agreement.pk, 2024])),
            (HTTPStatus.FOUND, url),
        ]
    )
    assert Evaluation.objects.count() == 1
