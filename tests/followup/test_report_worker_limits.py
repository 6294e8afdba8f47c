"""The report at any size: the activities in a compact table or an annex (the group's choice),
the worker's renders capped in memory and one at a time per machine, and an unchanged draft
found without building the report."""

import fcntl
import subprocess
from http import HTTPStatus
from unittest import mock

import pytest
from django.urls import reverse

from followup.models import ReportRendering, YearEndReport
from followup.report import isolation
from followup.report.content import build_report
from followup.report.render import report_html
from plans.models import Activity

from ..factories import make_evaluation, make_log_entry, make_plan_tree
from .test_report_worker import queued, run_worker  # noqa: F401 – the production queue


def _section(html, name):
    return html.split(f'<section id="{name}">')[1].split("</section>")[0]


def test_the_activities_stand_in_a_compact_table_or_in_an_annex_as_the_group_chooses(
    client_for, agreement, coordinator
):
    _plan, strategy = make_plan_tree(agreement, year=2024, activities=2)
    first = strategy.activities.first()
    make_log_entry(first, hours=3)
    make_evaluation(first, production_comment="Tolv vandringar i stället för tio.")

    html = report_html(build_report(agreement, 2024), for_pdf=True)
    plan_section = _section(html, "plan")
    assert first.title in plan_section and "1 post, 3 tim." in plan_section
    assert 'id="annex-activities"' not in html and "Bilaga C" not in html
    assert "Tolv vandringar i stället för tio." in _section(html, "production")

    edit = client_for(coordinator).get(reverse("followup:report-edit", args=[agreement.pk, 2024]))
    assert "I en bilaga, med summor per mål i avsnitten" in edit.content.decode()
    client_for(coordinator).post(
        reverse("followup:report-edit", args=[agreement.pk, 2024]),
        {"foreword": "", "conclusions": "", "proposed_revisions": ""}
        | {"activity_detail": "appendix"},
    )
    assert YearEndReport.objects.get().activity_detail == "appendix"

    html = report_html(build_report(agreement, 2024), for_pdf=True)
    assert first.title not in _section(html, "plan")
    assert "Varje aktivitet listas i bilaga C." in _section(html, "plan")
    annex = _section(html, "annex-activities")
    assert "Bilaga C. Planens aktiviteter" in annex and first.title in annex
    assert '<a href="#annex-activities">Bilaga C. Planens aktiviteter</a>' in html  # contents
    # The rest of the report keeps its sections in their order.
    order = [html.index(f'<section id="{name}">') for name in ("plan", "production", "lessons")]
    assert order == sorted(order)


def test_the_worker_renders_in_a_child_of_capped_memory(
    queued,  # noqa: F811
    client_for,
    agreement,
    member,
    settings,
):
    """A report beyond the cap fails alone, as a failed draft; the worker goes on."""
    make_plan_tree(agreement, year=2024, activities=1)
    client = client_for(member)
    url = reverse("followup:report-draft-pdf", args=[agreement.pk, 2024])
    settings.PITEBRA_PDF_MEMORY_MB = 48  # not even WeasyPrint loads in that
    client.get(url)
    run_worker()
    rendering = ReportRendering.objects.get()
    assert rendering.status == "failed" and "could not be rendered" in rendering.error

    settings.PITEBRA_PDF_MEMORY_MB = 2048
    assert client.get(url).status_code == HTTPStatus.FOUND  # queued again
    run_worker()
    assert client.get(url).content.startswith(b"%PDF")


def test_the_child_sets_its_address_space_limit_first(monkeypatch):
    monkeypatch.setenv("PITEBRA_PDF_MEMORY_MB", "1234")
    limits = []
    stdin = mock.Mock()
    stdin.buffer.read.return_value = b"<p>x</p>"
    with (
        mock.patch.object(isolation.resource, "setrlimit", lambda *a: limits.append(a)),
        mock.patch.object(isolation.sys, "stdin", stdin),
        mock.patch("followup.report.pdf.render_pdf", side_effect=RuntimeError("stop")),
        pytest.raises(RuntimeError),
    ):
        isolation._child()
    limit = 1234 * 1024 * 1024
    assert limits == [(isolation.resource.RLIMIT_AS, (limit, limit))]


def test_one_render_at_a_time_per_machine(settings, tmp_path):
    """While a child renders, the machine's lock is held: another worker's render waits."""
    settings.PITEBRA_PDF_LOCK = str(tmp_path / "pdf.lock")
    seen = []

    def child(*args, **kwargs):
        with open(settings.PITEBRA_PDF_LOCK) as other:  # noqa: PTH123 – another worker's view
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
                seen.append("free")
            except BlockingIOError:
                seen.append("held")
        return subprocess.CompletedProcess(args, 0, stdout=b"%PDF-1.7", stderr=b"")

    with mock.patch.object(isolation.subprocess, "run", child):
        assert isolation.render_in_child("<p>x</p>") == b"%PDF-1.7"
    assert seen == ["held"]
    with open(settings.PITEBRA_PDF_LOCK) as after:  # noqa: PTH123
        fcntl.flock(after, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released once the child is done


@pytest.mark.django_db(transaction=True)
def test_an_unchanged_draft_is_found_without_building_the_report(client_for, agreement, member):
    _plan, strategy = make_plan_tree(agreement, year=2024, activities=2)
    client = client_for(member)
    url = reverse("followup:report-draft-pdf", args=[agreement.pk, 2024])
    first = client.get(url)  # the immediate backend of the tests renders at once
    assert first.content.startswith(b"%PDF")

    with mock.patch("followup.report.jobs.build_report", side_effect=AssertionError("built")):
        again = client.get(url)
    assert again.content == first.content and ReportRendering.objects.count() == 1

    activity = Activity.objects.filter(strategy=strategy).first()
    activity.title = "Ändrad aktivitet"
    activity.save()  # committed: the agreement's data version changes
    client.get(url)
    assert ReportRendering.objects.count() == 2
