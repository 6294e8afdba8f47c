"""The annual wheel: the SVG read back, the table beside it, access, the memory of last year,
the debrief and its proposals, and next year's wheel after the roll-over."""

import datetime
import math
import re
import xml.etree.ElementTree as ET
from http import HTTPStatus

import pytest
from django.urls import reverse

from followup.models import Debrief
from followup.wheel import angle_of
from plans.models import Activity, RiskPeriod, RiskPeriodDates
from plans.services.plan import plan_roll_over

from ..factories import (
    make_activity,
    make_goal,
    make_log_entry,
    make_meeting,
    make_plan,
    make_strategy,
)

D = datetime.date


def wheel_url(agreement, year):
    return reverse("followup:wheel", args=[agreement.pk, year])


def svg_of(response):
    html = response.content.decode()
    # Our own page, parsed to read the drawing back.
    return ET.fromstring(html[html.index("<svg") : html.index("</svg>") + 6])  # noqa: S314


def arc_angles(d):
    """The start and end angle (degrees clockwise from the top) of an arc path `M x y A … x y`."""
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    start, end = numbers[0:2], numbers[-2:]

    def angle(x, y):
        return math.degrees(math.atan2(x - 400, 400 - y)) % 360

    return angle(*start), angle(*end)


@pytest.fixture
def periods(agreement):
    valborg = RiskPeriod.objects.create(
        agreement=agreement, name="Valborg", rule="fixed", month=4, day=30, days=2
    )
    midsummer = RiskPeriod.objects.create(
        agreement=agreement, name="Midsommar", rule="holiday", holiday="midsummer_eve", days=2
    )
    summer = RiskPeriod.objects.create(agreement=agreement, name="Sommarlov", rule="entered")
    for year, start, end in [
        (2024, D(2024, 6, 14), D(2024, 8, 19)),
        (2025, D(2025, 6, 14), D(2025, 8, 18)),
    ]:
        RiskPeriodDates.objects.create(period=summer, year=year, start=start, end=end)
    easter = RiskPeriod.objects.create(
        agreement=agreement, name="Påsklov", rule="easter", offset_days=-2, days=4
    )
    return {"valborg": valborg, "midsummer": midsummer, "summer": summer, "easter": easter}


EXPECTED_2025 = {
    "Valborg": (D(2025, 4, 30), D(2025, 5, 1)),
    "Midsommar": (D(2025, 6, 20), D(2025, 6, 21)),
    "Sommarlov": (D(2025, 6, 14), D(2025, 8, 18)),
    "Påsklov": (D(2025, 4, 18), D(2025, 4, 21)),
}


def test_each_periods_arc_starts_and_ends_at_the_angles_of_its_dates(
    client_for, member, agreement, periods
):
    response = client_for(member).get(wheel_url(agreement, 2025))
    assert response.status_code == HTTPStatus.OK
    group = next(g for g in svg_of(response).iter("g") if g.get("class") == "wheel-periods")
    seen = {}
    for link in group.iter("a"):
        name = link.get("aria-label").split(": ", 1)[1].split(",")[0]
        seen[name] = arc_angles(link.find("path").get("d"))
    assert set(seen) == set(EXPECTED_2025)
    for name, (start, end) in EXPECTED_2025.items():
        first, after = seen[name]
        assert first == pytest.approx(angle_of(start, 2025), abs=0.01), name
        assert after == pytest.approx(angle_of(end + datetime.timedelta(days=1), 2025), abs=0.01)
    # Midsummer lies inside the summer holiday: side by side, not on top of each other.
    paths = {link.get("aria-label").split(",")[0]: link.find("path") for link in group.iter("a")}
    assert paths["Riskperiod: Midsommar"].get("class") != paths["Riskperiod: Sommarlov"].get(
        "class"
    )


def test_every_mark_is_a_named_link_and_the_table_has_the_same_content(
    client_for, member, agreement, periods
):
    plan = make_plan(agreement, year=2025)
    strategy = make_strategy(make_goal(plan))
    make_activity(strategy, title="Nattvandring Valborg", risk_period=periods["valborg"])
    make_activity(strategy, title="Trygghetsvandring", start=D(2025, 9, 1), end=D(2025, 9, 30))
    make_meeting(agreement, date=D(2025, 3, 11), title="Arbetsgruppens möte")
    response = client_for(member).get(wheel_url(agreement, 2025))
    svg = svg_of(response)
    marks = [e for e in svg.iter() if e.tag in ("path", "circle", "rect")]
    links = list(svg.iter("a"))
    labels = [a.get("aria-label") for a in links]
    assert all(label and a.get("href") for label, a in zip(labels, links, strict=True))
    drawn = sum(1 for a in links for e in a.iter() if e.tag in ("path", "circle", "rect"))
    guides = sum(
        1 for g in svg.iter("g") if g.get("class") == "wheel-guides" for _ in g.iter("circle")
    )
    assert drawn == len(marks) - guides  # every mark but the ring guides is a link
    html = response.content.decode()
    table = html[html.index("<table") :]
    for text in [
        "Nattvandring Valborg",
        "Trygghetsvandring",
        "Arbetsgruppens möte",
        "Förberedelse: Valborg",
        "Genomförandeplanen antagen",
        "30 apr–1 maj",
        "20 jun–21 jun",
    ]:
        assert text in table and any(text in label for label in labels), (text, labels)
    # The period's activity sits on the period's dates.
    assert "Aktivitet: Nattvandring Valborg, 30 apr–1 maj (Valborg)" in labels


def test_the_suggested_preparation_meeting_opens_a_filled_in_meeting_form(
    client_for, member, agreement, periods
):
    client = client_for(member)
    svg = svg_of(client.get(wheel_url(agreement, 2025)))
    prep = next(
        a
        for a in svg.iter("a")
        if "Valborg" in a.get("aria-label") and "möte" in a.get("aria-label")
    )
    assert "date=2025-04-07" in prep.get("href")  # three weeks before, on the Monday
    form = client.get(prep.get("href")).content.decode()
    assert 'value="2025-04-07"' in form and "Förberedelse: Valborg" in form
    assert (
        client.get(
            reverse("followup:meeting-create", args=[agreement.pk]) + "?date=2025-02-31"
        ).status_code
        == HTTPStatus.OK
    )


def test_another_agreements_wheel_is_not_found_and_a_reader_may_not_open_it(
    client_for, outsider, reader, agreement, periods
):
    assert client_for(outsider).get(wheel_url(agreement, 2025)).status_code == HTTPStatus.NOT_FOUND
    url = reverse("followup:debrief", args=[agreement.pk, 2025, periods["valborg"].pk])
    assert client_for(outsider).get(url).status_code == HTTPStatus.NOT_FOUND
    assert client_for(reader).get(wheel_url(agreement, 2025)).status_code == HTTPStatus.FORBIDDEN


def test_a_year_outside_the_agreement_and_anothers_period_are_not_found(
    client_for, member, agreement, other_agreement
):
    client = client_for(member)
    assert client.get(wheel_url(agreement, 2031)).status_code == HTTPStatus.NOT_FOUND
    theirs = RiskPeriod.objects.create(agreement=other_agreement, name="Deras", month=4, day=30)
    url = reverse("followup:debrief", args=[agreement.pk, 2025, theirs.pk])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_the_wheel_of_many_activities_takes_a_fixed_number_of_queries(
    client_for, member, agreement, periods, django_assert_max_num_queries, monkeypatch
):
    from pitebra import paging

    # Drawn one by one (past a page of activities the ring sums them per month instead).
    monkeypatch.setattr(paging, "PAGE_ROWS", 500)
    plan = make_plan(agreement, year=2025)
    strategy = make_strategy(make_goal(plan))
    Activity.objects.bulk_create(
        Activity(
            strategy=strategy,
            title=f"Aktivitet {n}",
            responsible_organisation=agreement.municipality,
            contact_name="K",
            start=D(2025, 1, 1) + datetime.timedelta(days=n % 300),
            end=D(2025, 1, 1) + datetime.timedelta(days=n % 300 + 10),
            position=n,
        )
        for n in range(200)
    )
    client = client_for(member)
    with django_assert_max_num_queries(40):
        response = client.get(wheel_url(agreement, 2025))
    assert response.content.decode().count('aria-label="Aktivitet: Aktivitet ') == 200


def test_last_years_work_in_the_period_is_remembered(client_for, member, agreement, periods):
    plan = make_plan(agreement, year=2024)
    activity = make_activity(make_strategy(make_goal(plan)), risk_period=periods["valborg"])
    make_log_entry(activity, date=D(2024, 4, 30), description="Nattvandring i Stadsparken")
    make_log_entry(activity, date=D(2024, 3, 1), description="Utanför perioden")
    Debrief.objects.create(
        period=periods["valborg"], year=2024, what_to_change="Börja informera tidigare"
    )
    client = client_for(member)
    html = client.get(wheel_url(agreement, 2025)).content.decode()
    assert "2024: 1 loggning" in html
    page = client.get(reverse("followup:debrief", args=[agreement.pk, 2025, periods["valborg"].pk]))
    text = page.content.decode()
    assert "Nattvandring i Stadsparken" in text and "Utanför perioden" not in text
    assert "Börja informera tidigare" in text


def test_a_debrief_is_written_after_the_period_and_its_proposal_becomes_next_years_activity(
    client_for, member, agreement, periods, monkeypatch
):
    from django.utils import timezone

    make_strategy(make_goal(make_plan(agreement, year=2025)), title="Trygg Valborg")
    url = reverse("followup:debrief", args=[agreement.pk, 2024, periods["valborg"].pk])
    client = client_for(member)
    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2024, 4, 15))
    assert client.post(url, {"what_worked": "x"}).status_code == HTTPStatus.NOT_FOUND
    assert not Debrief.objects.exists()

    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2024, 5, 6))
    response = client.post(
        url,
        {
            "what_worked": "Samverkan med nattvandrarna",
            "what_to_change": "Fler vuxna",
            "proposals": "Brev till vårdnadshavare\nFler nattvandrare",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    debrief = Debrief.objects.get()
    assert debrief.proposal_list == ["Brev till vårdnadshavare", "Fler nattvandrare"]
    page = client.get(url).content.decode()
    proposal_url = reverse(
        "followup:debrief-proposal", args=[agreement.pk, 2024, periods["valborg"].pk, 1]
    )
    assert proposal_url in page
    form = client.get(proposal_url).content.decode()
    assert 'value="2025-04-30"' in form  # next year's Valborg
    strategy = agreement.plans.get(year=2025).goals.get().strategies.get()
    response = client.post(
        proposal_url,
        {
            "strategy": strategy.pk,
            "title": "Brev till vårdnadshavare",
            "responsible_organisation": agreement.municipality.pk,
            "contact_user": member.pk,
            "start": "2025-04-30",
            "end": "2025-05-01",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    activity = Activity.objects.get(title="Brev till vårdnadshavare")
    assert activity.risk_period == periods["valborg"] and activity.strategy == strategy
    assert client.get(proposal_url[:-2] + "9/").status_code == HTTPStatus.NOT_FOUND


def test_next_years_wheel_is_ready_when_the_plan_is_rolled_over(
    client_for, member, agreement, periods
):
    plan = make_plan(agreement, year=2024)
    make_activity(
        make_strategy(make_goal(plan)),
        title="Nattvandring Valborg",
        risk_period=periods["valborg"],
        start=D(2024, 4, 30),
        end=D(2024, 5, 1),
    )
    plan_roll_over(plan=plan, to_year=2025)
    carried = Activity.objects.get(strategy__goal__plan__year=2025)
    assert (carried.start, carried.end) == (D(2025, 4, 30), D(2025, 5, 1))
    html = client_for(member).get(wheel_url(agreement, 2025)).content.decode()
    assert "Aktivitet: Nattvandring Valborg, 30 apr–1 maj (Valborg)" in html
    assert "Riskperiod: Midsommar, 20 jun–21 jun" in html


def test_the_demo_wheel_has_midsummer_eve_on_the_right_friday_and_in_the_calendar(client, demo):
    current, user = demo["current"], demo["users"]["samordnare"]
    client.force_login(user)
    for year, day in [(2026, "19 jun"), (2027, "25 jun")]:
        html = client.get(wheel_url(current, year)).content.decode()
        table = html[html.index("<table") : html.index("</table>")]
        row = next(r for r in table.split("<tr") if "period" in r and ">Midsommar<" in r)
        assert f"{day}–" in row, (year, row)
    for name in [
        "Valborg",
        "Skolavslutning",
        "Sommarlov",
        "Skolstart",
        "Halloween",
        "Nyårsafton",
        "Piteå Dansar och Ler",
    ]:
        assert name in html
    token = user.new_calendar_token()
    feed = client.get(f"/calendar/{token}.ics").content.decode()
    assert "DTSTART;VALUE=DATE:20260619" in feed and "DTSTART;VALUE=DATE:20270625" in feed
    assert "SUMMARY:Midsommar" in feed


def test_todays_mark_points_at_today_and_only_in_its_own_year(agreement):
    from followup.wheel import build_wheel

    wheel = build_wheel(agreement, 2025, D(2025, 7, 2))
    x, y = wheel.today_line[2:]
    angle = math.degrees(math.atan2(x - 400, 400 - y)) % 360
    assert angle == pytest.approx(angle_of(D(2025, 7, 2), 2025) + 360 / 365 / 2, abs=0.01)
    assert build_wheel(agreement, 2025, D(2026, 1, 5)).today_line is None
