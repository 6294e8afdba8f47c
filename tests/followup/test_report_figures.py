"""A report that adds up: the log's dates, the same figures as the follow-up pages, the
evaluation texts, ISO weeks, charts that end at the report's year, plurals and "reported to"."""

import datetime
import io
from http import HTTPStatus

from django.core.management import call_command
from django.urls import reverse

from followup.forms.work import LogEntryForm
from followup.models import PublishedReport
from followup.overview import year_overview
from followup.progress import weeks_in_year
from followup.report.content import build_report
from followup.report.render import report_html, report_pdf

from ..factories import (
    make_activity,
    make_evaluation,
    make_indicator,
    make_log_entry,
    make_observation,
    make_picture,
    make_plan_tree,
    make_promise,
)
from .test_report import pdf_text

D = datetime.date
TODAY = D(2026, 12, 1)


def _log_form(agreement, user, activity, day):
    data = {
        "activity": activity.pk,
        "date": day.isoformat(),
        "description": "Kvällsvandring",
        "occasions": "2",
        "organisation": agreement.municipality.pk,
    }
    return LogEntryForm(data, agreement=agreement, user=user, today=TODAY)


def test_a_log_entry_outside_the_plan_year_is_refused_in_swedish(client_for, agreement, member):
    _plan, strategy = make_plan_tree(agreement, year=2025, activities=1)
    activity = strategy.activities.get()
    form = _log_form(agreement, member, activity, D(2026, 1, 2))
    assert not form.is_valid()
    assert form.errors["date"] == [
        "Datumet måste ligga inom aktivitetens planår 2025: arbete ett annat år loggas på "
        "det årets aktivitet."
    ]
    assert _log_form(agreement, member, activity, D(2025, 12, 31)).is_valid()

    url = reverse("followup:log-create", args=[agreement.pk])
    response = client_for(member).post(
        url,
        {
            "activity": activity.pk,
            "date": "2024-12-31",
            "description": "För tidigt",
            "occasions": "1",
            "organisation": agreement.municipality.pk,
        },
    )
    assert response.status_code == HTTPStatus.OK
    assert "aktivitetens planår 2025" in response.content.decode()
    assert not activity.log_entries.exists()


def test_the_operators_command_lists_entries_outside_their_plan_year(agreement):
    _plan, strategy = make_plan_tree(agreement, year=2025, activities=1)
    activity = strategy.activities.get()
    make_log_entry(activity, date=D(2025, 6, 1))
    stray = make_log_entry(activity, date=D(2026, 1, 15))  # saved before the check existed
    out = io.StringIO()
    call_command("log_outside_plan_year", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "1 loggposter utanför aktivitetens planår."
    assert f"logg {stray.pk}\t2026-01-15\tplanår 2025" in lines[0]


def test_report_production_totals_equal_the_follow_up_pages(client_for, agreement, member):
    plan, strategy = make_plan_tree(agreement, year=2025, activities=2)
    first, second = strategy.activities.all()
    make_log_entry(first, date=D(2025, 3, 1), occasions=4, people_reached=30)
    make_log_entry(second, date=D(2025, 9, 1), occasions=2, people_reached=5)
    make_log_entry(first, date=D(2026, 1, 10), occasions=10, people_reached=99)  # a stray

    report = build_report(agreement, 2025, today=TODAY)
    overview = year_overview(plan, TODAY)
    page_occasions = sum(g.occasions for g in overview.goals)
    page_people = sum(g.people for g in overview.goals)
    assert report.production_totals["occasions"] == page_occasions == 6
    assert report.production_totals["people"] == page_people == 35

    url = reverse("followup:evaluation-list", args=[agreement.pk, 2025])
    page = client_for(member).get(url).content.decode()
    assert "loggen räknar 6 gånger och 35 nådda personer" in page
    html = report_html(report, for_pdf=True)
    assert "6 tillfällen" in html and "35 nådda personer" in html


def test_week_counts_agree_on_the_page_and_in_the_report(client_for, member, agreement):
    assert (weeks_in_year(2020), weeks_in_year(2025), weeks_in_year(2026)) == (53, 52, 53)
    agreement.first_year = 2020
    agreement.save()
    for year, weeks in [(2020, 53), (2025, 52)]:
        plan, strategy = make_plan_tree(agreement, year=year, activities=1)
        promise = make_promise(plan, target_period="week", target_count=1)
        make_log_entry(strategy.activities.get(), date=D(year, 2, 3), citizen_promise=promise)
        url = reverse("followup:followup-year", args=[agreement.pk, year])
        page = client_for(member).get(url).content.decode()
        assert f"1 av {weeks}" in page
        html = report_html(build_report(agreement, year, today=TODAY), for_pdf=True)
        assert f"Målet nått under 1 av {weeks} perioder." in html


def test_the_evaluation_texts_are_in_the_pdf(agreement):
    _plan, strategy = make_plan_tree(agreement, year=2024, activities=1)
    make_evaluation(
        strategy.activities.get(),
        production_comment="Tolv vandringar i stället för tio.",
        what_worked="Föreningarna ställde upp.",
        what_did_not_work="Kallelserna kom sent.",
        effect_assessment="Tryggheten ökade något i centrum.",
        comparison_scope="Länet",
        lessons="Boka lokaler i god tid.",
    )
    text = pdf_text(report_pdf(agreement, 2024, today=TODAY))
    texts = {
        "production": ["Tolv vandringar i stället för tio."],
        "process": ["Föreningarna ställde upp.", "Kallelserna kom sent."],
        "effect": ["Tryggheten ökade något i centrum.", "Länet"],
        "lessons": ["Boka lokaler i god tid."],
    }
    for expected in texts.values():
        for sentence in expected:
            assert sentence in text, sentence
    # ... and each in its own section of the report.
    html = report_html(build_report(agreement, 2024, today=TODAY), for_pdf=True)
    for section, expected in texts.items():
        body = html.split(f'<section id="{section}">')[1].split("</section>")[0]
        for sentence in expected:
            assert sentence in body, (section, sentence)


def test_charts_end_at_the_reports_year(agreement):
    indicator = make_indicator(agreement, name="Anmälda brott")
    for year, value in [(2022, 10), (2023, 11), (2024, 12), (2025, 99)]:
        make_observation(indicator, year, value)
    effect = build_report(agreement, 2024, today=TODAY).effects[0]
    assert [year for year, _values in effect.chart["rows"]] == [2022, 2023, 2024]
    assert "2025" not in effect.chart["chart"]


def test_plurals_and_reported_to_come_from_the_agreement(agreement):
    agreement.reported_to = "Kommunstyrelsen"
    agreement.save()
    plan, strategy = make_plan_tree(agreement, year=2024, activities=1)
    make_log_entry(strategy.activities.get(), occasions=1, people_reached=1)
    promise = make_promise(plan, target_count=1, unit="medborgardialoger")
    make_log_entry(make_activity(strategy), citizen_promise=promise)
    html = report_html(build_report(agreement, 2024, today=TODAY), for_pdf=True)
    assert "Rapporteras till Kommunstyrelsen." in html and "Folkhälsorådet" not in html
    assert "loggade 2 poster" in html and "1 medborgardialoger" not in html
    assert "Medborgardialoger: 1 totalt." in html and "Medborgardialoger: 1 per år" in html


def test_the_publish_page_lists_what_is_incomplete_before_publishing(
    client_for, agreement, coordinator, member
):
    _plan, strategy = make_plan_tree(agreement, year=2024, activities=2)
    first, second = strategy.activities.all()
    make_evaluation(first)
    make_picture(agreement, year=2024)  # a draft: nobody has agreed it
    url = reverse("followup:report-publish", args=[agreement.pk, 2024])
    assert client_for(member).get(url).status_code == HTTPStatus.FORBIDDEN
    page = client_for(coordinator).get(url).content.decode()
    assert "Innan du publicerar" in page
    assert "Lägesbilden (version 1) är ett utkast" in page
    assert "1 aktivitet har inte utvärderats:" in page and second.title in page
    assert "Steg 5, Uppföljning och utvärdering" in page
    assert not PublishedReport.objects.exists()  # looking publishes nothing


def test_publishing_from_the_preview_goes_through_the_confirmation_page(
    client_for, agreement, coordinator
):
    make_plan_tree(agreement, year=2024, activities=1)
    url = reverse("followup:report-publish", args=[agreement.pk, 2024])
    preview = client_for(coordinator).get(
        reverse("followup:report-preview", args=[agreement.pk, 2024])
    )
    page = preview.content.decode()
    assert f'href="{url}"' in page  # a link to the page that lists what is incomplete
    assert f'action="{url}"' not in page  # never a button that publishes at once


def test_publishing_needs_the_explicit_tick(client_for, agreement, coordinator):
    make_plan_tree(agreement, year=2024, activities=1)
    url = reverse("followup:report-publish", args=[agreement.pk, 2024])
    page = client_for(coordinator).post(url)
    assert page.status_code == HTTPStatus.BAD_REQUEST
    html = page.content.decode()
    assert "Jag förstår att rapporten blir en allmän handling och inte kan ändras" in html
    assert "Kryssa i rutan för att publicera" in html
    assert not PublishedReport.objects.exists()
