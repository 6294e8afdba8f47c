"""The public pages as a visitor and a shared cache see them: what is shown, the same figures
as the year-end report, the switch, and the caching headers (ETag, 304, no session)."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from followup.models import PublishedReport, YearEndReport
from followup.report.content import build_report
from plans.models import Place
from tests.factories import (
    make_activity,
    make_goal,
    make_log_entry,
    make_plan,
    make_promise,
    make_strategy,
    make_user,
)

TODAY = datetime.date(2024, 6, 12)


@pytest.fixture
def world(agreement):
    agreement.public = True
    agreement.public_contact = "trygghet@kommun.example"
    agreement.save()
    Place.objects.create(agreement=agreement, name="Öjebyn")
    plan = make_plan(agreement, 2024, status="adopted", adopted_on=datetime.date(2024, 2, 1))
    strategy = make_strategy(make_goal(plan, title="Tryggare centrum"))
    shown = make_activity(
        strategy,
        title="Nattvandring i Öjebyn",
        places="Öjebyn, Storgatan 5",
        contact_name="Intern kontakt",
        status="ongoing",
        public=True,
    )
    hidden = make_activity(strategy, title="Intern planering", contact_name="X")
    promise = make_promise(plan, promise="Fem insatser i veckan", target_count=5)
    promise.target_period = "week"
    promise.save()
    for day in (10, 11, 12):
        make_log_entry(shown, date=datetime.date(2024, 6, day), citizen_promise=promise)
    make_log_entry(hidden, date=datetime.date(2024, 6, 11), citizen_promise=promise, occasions=2)
    report = YearEndReport.objects.create(agreement=agreement, year=2024)
    by = make_user()
    for version in (1, 2):
        PublishedReport.objects.create(
            report=report,
            version=version,
            pdf=b"%PDF-1.7 v" + bytes([48 + version]),
            published_by=by,
            correction_reason="Fel siffra i tabell 2" if version == 2 else "",
        )
    return {
        "agreement": agreement,
        "plan": plan,
        "shown": shown,
        "hidden": hidden,
        "promise": promise,
    }


def test_the_page_shows_what_was_published(client, world):
    agreement = world["agreement"]
    body = client.get(reverse("public:agreement-year", args=[agreement.pk, 2024])).content
    text = body.decode()
    assert "Nattvandring i Öjebyn" in text
    assert "Intern planering" not in text
    assert "Storgatan" not in text  # places at district level only
    assert "Intern kontakt" not in text
    assert "trygghet@kommun.example" in text
    assert agreement.municipality.name in text and agreement.police_area.name in text
    assert "version 1 (PDF)" in text and "version 2 (PDF)" in text
    assert "Fel siffra i tabell 2" in text


def test_promise_figures_equal_the_reports(client, world, monkeypatch):
    """Counted from the log, hidden activities' work included, as the report counts it."""
    agreement, plan = world["agreement"], world["plan"]
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
    report = build_report(agreement, 2024, today=TODAY)
    (_promise, progress) = report.promise_progress[0]
    assert progress.total == 5  # 3 entries of 1 and one of 2 (on an internal activity)
    page = client.get(reverse("public:promise", args=[agreement.pk, world["promise"].pk]))
    text = page.content.decode()
    assert f'<dd class="col-sm-9">{progress.total}</dd>' in text
    assert "Nattvandring i Öjebyn" in text  # the evidence: the public activity that carries it
    assert "Intern planering" not in text
    assert plan.year == 2024


def test_a_page_that_is_off_is_not_found(client, world):
    agreement = world["agreement"]
    agreement.public = False
    agreement.save()
    for url in [
        reverse("public:agreement", args=[agreement.pk]),
        reverse("public:activity", args=[agreement.pk, world["shown"].pk]),
        reverse("public:promise", args=[agreement.pk, world["promise"].pk]),
        reverse("public:report", args=[agreement.pk, 2024, 1]),
        reverse("public:agreement-csv", args=[agreement.pk, "activities"]),
    ]:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url
    assert agreement.title not in client.get(reverse("public:index")).content.decode()


def test_an_internal_activity_has_no_public_page(client, world):
    url = reverse("public:activity", args=[world["agreement"].pk, world["hidden"].pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.django_db(transaction=True)  # the data version moves when a write commits
def test_pages_are_cached_by_anyone_and_revalidated(client, world, django_assert_max_num_queries):
    url = reverse("public:agreement", args=[world["agreement"].pk])
    first = client.get(url)
    assert first.status_code == HTTPStatus.OK
    with django_assert_max_num_queries(1):  # the data version; then the stored response
        cached = client.get(url)
    assert cached.content == first.content
    for header in ["Content-Security-Policy", "X-Content-Type-Options", "ETag"]:
        assert cached[header] == first[header]
    assert first["Cache-Control"].startswith("public, max-age=")
    assert "cookie" not in first.get("Vary", "").lower()
    assert not first.cookies
    assert "sessionid" not in first.cookies and "csrftoken" not in first.cookies
    etag = first["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again["ETag"] == etag
    world["shown"].title = "Nattvandring i Öjebyn och Centrum"
    world["shown"].save()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == HTTPStatus.OK  # a committed write makes a new version
    assert "Nattvandring i Öjebyn och Centrum" in changed.content.decode()


def test_a_published_pdf_is_served_as_published(client, world):
    url = reverse("public:report", args=[world["agreement"].pk, 2024, 2])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 v2"
    assert response["Cache-Control"] == "public, max-age=31536000"
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304


def test_the_pages_need_no_javascript_and_print_cleanly(client, world):
    text = client.get(reverse("public:agreement", args=[world["agreement"].pk])).content.decode()
    assert "<script" not in text
    assert "css/public.css" in text


def test_only_reading_is_allowed(client, world):
    url = reverse("public:agreement", args=[world["agreement"].pk])
    assert client.post(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_agreement_pages_link_to_the_public_page(client_for, world, coordinator):
    agreement = world["agreement"]
    page = client_for(coordinator).get(reverse("agreement-detail", args=[agreement.pk]))
    assert reverse("public:agreement", args=[agreement.pk]) in page.content.decode()


def test_a_long_year_lists_a_goals_activities_when_the_visitor_opens_it(
    client, world, monkeypatch, other_agreement, django_assert_max_num_queries
):
    """Over COLLAPSE_AFTER public activities each goal shows its numbers per status and a
    link; `?open=` lists the goals asked for, no others, and never an internal activity."""
    from public import content

    monkeypatch.setattr(content, "COLLAPSE_AFTER", 2)
    agreement, plan = world["agreement"], world["plan"]
    second = make_strategy(make_goal(plan, title="Trygga skolvägar"))
    for n in range(3):
        make_activity(second, title=f"Skolväg {n}", public=True, status="done")
    make_activity(second, title="Intern skolvägsplan", status="done")
    foreign = make_goal(make_plan(other_agreement, 2024), title="Annan kommuns mål")
    url = reverse("public:agreement-year", args=[agreement.pk, 2024])
    with django_assert_max_num_queries(20):
        closed = client.get(url).content.decode()
    assert "Nattvandring i Öjebyn" not in closed and "Skolväg 0" not in closed
    assert "Klart: 3" in closed  # the three public ones; the internal one is not counted
    goal = second.goal
    assert f'href="?open={goal.pk}#goal-{goal.pk}"' in closed
    assert "Visa de 3 aktiviteterna" in closed
    opened = client.get(f"{url}?open={goal.pk},{foreign.pk},x").content.decode()
    assert all(f"Skolväg {n}" in opened for n in range(3))
    assert "Intern skolvägsplan" not in opened
    assert "Nattvandring i Öjebyn" not in opened  # its goal stays closed
    assert "Annan kommuns mål" not in opened
    assert "Dölj aktiviteterna" in opened
