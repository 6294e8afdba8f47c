"""The joint situation picture: two-party agreement, read-only once agreed, versions.

One module past 300 lines: the tests share the two parties' staff and the approval helper at
the top, as the step is one page with its rules.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

from pitebra.models import Membership, Organisation
from plans.models import Approval, Cause, Problem, SituationPicture

from ..factories import (
    make_cause,
    make_indicator,
    make_member,
    make_picture,
    make_problem,
    make_source,
)


@pytest.fixture
def officer(agreement):
    """A police member: approves for the police."""
    return make_member(
        agreement, Membership.Role.MEMBER, username="polisen", organisation=agreement.police_area
    )


@pytest.fixture
def official(agreement):
    """A municipal member: approves for the municipality."""
    return make_member(
        agreement,
        Membership.Role.MEMBER,
        username="kommunen",
        organisation=agreement.municipality,
    )


def _approve(client_for, user, picture):
    url = reverse("plans:situation-approve", args=[picture.agreement_id, picture.pk])
    return client_for(user).post(url, follow=True)


def test_a_member_starts_the_years_picture(client_for, agreement, member):
    url = reverse("plans:situation-start", args=[agreement.pk, 2024])
    response = client_for(member).post(url)
    picture = SituationPicture.objects.get(agreement=agreement, year=2024)
    assert response.status_code == HTTPStatus.FOUND
    assert (picture.version, picture.is_agreed) == (1, False)
    client_for(member).post(url)  # a second click opens the same picture
    assert SituationPicture.objects.count() == 1


def test_a_year_outside_the_agreement_is_404(client_for, agreement, member):
    url = reverse("plans:situation-start", args=[agreement.pk, 2031])
    assert client_for(member).post(url).status_code == HTTPStatus.NOT_FOUND


def test_the_picture_is_agreed_when_both_parties_approve(client_for, agreement, officer, official):
    picture = make_picture(agreement)
    page = _approve(client_for, officer, picture).content.decode()
    picture.refresh_from_db()
    assert not picture.is_agreed
    assert "Den andra partens godkännande behövs fortfarande" in page

    page = _approve(client_for, official, picture).content.decode()
    picture.refresh_from_db()
    assert picture.is_agreed
    assert "lägesbilden är gemensam" in page
    approvals = {a.party: a.user for a in picture.approvals.all()}
    assert approvals == {"police": officer, "municipality": official}
    assert "polisen" in page and "kommunen" in page  # who approved is shown


def test_one_party_cannot_approve_twice(client_for, agreement, officer):
    picture = make_picture(agreement)
    _approve(client_for, officer, picture)
    colleague = make_member(agreement, username="kollega", organisation=agreement.police_area)
    page = _approve(client_for, colleague, picture).content.decode()
    assert "Polisen har redan godkänt den här versionen" in page
    assert picture.approvals.count() == 1
    picture.refresh_from_db()
    assert not picture.is_agreed


@pytest.mark.parametrize("organisation", ["partner", "other_municipality", None])
def test_only_staff_of_the_parties_may_approve(client_for, agreement, organisation):
    orgs = {
        "partner": Organisation.objects.create(name="Skolan", kind="partner"),
        "other_municipality": Organisation.objects.create(name="Grannkommun", kind="municipality"),
        None: None,
    }
    user = make_member(agreement, username="annan", organisation=orgs[organisation])
    picture = make_picture(agreement)
    url = reverse("plans:situation-approve", args=[agreement.pk, picture.pk])
    assert client_for(user).post(url).status_code == HTTPStatus.FORBIDDEN
    assert not Approval.objects.exists()


def test_readers_cannot_approve(client_for, agreement):
    reader = make_member(
        agreement, Membership.Role.READER, username="lasaren", organisation=agreement.police_area
    )
    picture = make_picture(agreement)
    url = reverse("plans:situation-approve", args=[agreement.pk, picture.pk])
    assert client_for(reader).post(url).status_code == HTTPStatus.FORBIDDEN


def _agreed_picture(client_for, agreement, officer, official):
    picture = make_picture(agreement, analysis="Analys v1")
    problem = make_problem(picture, title="Klotter i centrum")
    make_cause(problem, description="Sen sanering")
    problem.indicators.add(make_indicator(agreement))
    problem.sources.add(make_source(agreement))
    _approve(client_for, officer, picture)
    _approve(client_for, official, picture)
    picture.refresh_from_db()
    assert picture.is_agreed
    return picture, problem


def test_an_agreed_picture_is_read_only(client_for, agreement, officer, official, member):
    picture, problem = _agreed_picture(client_for, agreement, officer, official)
    client = client_for(member)
    edit = reverse("plans:situation-edit", args=[agreement.pk, picture.pk])
    page = client.post(edit, {"analysis": "Ändrad"}, follow=True).content.decode()
    assert "skrivskyddad" in page
    problem_edit = reverse("plans:problem-edit", args=[agreement.pk, problem.pk])
    client.post(problem_edit, {"title": "Ändrad", "trend": "stable", "seriousness": "low"})
    client.post(reverse("plans:problem-create", args=[agreement.pk, picture.pk]), {"title": "Ny"})
    client.post(reverse("plans:problem-delete", args=[agreement.pk, problem.pk]))
    picture.refresh_from_db()
    problem.refresh_from_db()
    assert picture.analysis == "Analys v1"
    assert problem.title == "Klotter i centrum"
    assert Problem.objects.count() == 1
    detail = client.get(reverse("plans:situation-detail", args=[agreement.pk, picture.pk]))
    text = detail.content.decode()
    assert "Redigera texterna" not in text
    assert "Starta en ny version" in text


def test_changing_an_agreed_picture_starts_a_new_version(
    client_for, agreement, officer, official, member
):
    picture, problem = _agreed_picture(client_for, agreement, officer, official)
    client = client_for(member)
    response = client.post(
        reverse("plans:situation-new-version", args=[agreement.pk, picture.pk]), follow=True
    )
    new = SituationPicture.objects.get(agreement=agreement, year=2024, version=2)
    assert "Version 2 har startats" in response.content.decode()
    assert not new.is_agreed
    assert new.approvals.count() == 0
    assert new.analysis == "Analys v1"
    copy = new.problems.get()
    assert copy.pk != problem.pk
    assert copy.title == "Klotter i centrum"
    assert list(copy.causes.values_list("description", flat=True)) == ["Sen sanering"]
    assert list(copy.indicators.all()) == list(problem.indicators.all())
    assert list(copy.sources.all()) == list(problem.sources.all())

    # The new version is editable; the agreed one stays as it was, readable.
    client.post(
        reverse("plans:situation-edit", args=[agreement.pk, new.pk]),
        {"analysis": "Analys v2", "loaded_version": new.edit_version},
    )
    new.refresh_from_db()
    picture.refresh_from_db()
    assert new.analysis == "Analys v2"
    assert picture.analysis == "Analys v1"
    assert picture.is_agreed
    old = client.get(reverse("plans:situation-detail", args=[agreement.pk, picture.pk]))
    assert "Analys v1" in old.content.decode()
    assert "En nyare version finns" in old.content.decode()

    # A second click on the old version does not start a third.
    client.post(reverse("plans:situation-new-version", args=[agreement.pk, picture.pk]))
    assert SituationPicture.objects.filter(agreement=agreement, year=2024).count() == 2


def test_a_draft_gets_no_new_version(client_for, agreement, member):
    picture = make_picture(agreement)
    url = reverse("plans:situation-new-version", args=[agreement.pk, picture.pk])
    page = client_for(member).post(url, follow=True).content.decode()
    assert "Bara en gemensam lägesbild" in page
    assert SituationPicture.objects.count() == 1


def test_editing_a_draft_withdraws_earlier_approvals(client_for, agreement, officer, member):
    picture = make_picture(agreement)
    _approve(client_for, officer, picture)
    assert picture.approvals.count() == 1
    client_for(member).post(
        reverse("plans:situation-edit", args=[agreement.pk, picture.pk]),
        {"analysis": "Ny text", "loaded_version": picture.edit_version},
    )
    assert picture.approvals.count() == 0


def _problem_data(**overrides):
    data = {
        "title": "Otrygghet vid busstationen",
        "description": "Grupper samlas kvällstid.",
        "where": "Busstationen",
        "when": "Vardagskvällar",
        "affected": "Resenärer",
        "trend": "increasing",
        "seriousness": "high",
        "seriousness_note": "",
        "position": "0",
        "causes-TOTAL_FORMS": "2",
        "causes-INITIAL_FORMS": "0",
        "causes-MIN_NUM_FORMS": "0",
        "causes-MAX_NUM_FORMS": "1000",
        "causes-0-description": "Dålig belysning",
        "causes-1-description": "",
    }
    data.update(overrides)
    return data


def test_a_member_adds_a_problem_with_causes_and_evidence(client_for, agreement, member):
    picture = make_picture(agreement)
    area = agreement.priority_areas.create(name="Trygga miljöer")
    place = picture.agreement.places.create(name="Centrum")
    indicator = make_indicator(agreement)
    url = reverse("plans:problem-create", args=[agreement.pk, picture.pk])
    response = client_for(member).post(
        url,
        _problem_data(
            priority_area=str(area.pk), places=[str(place.pk)], indicators=[str(indicator.pk)]
        ),
    )
    assert response.status_code == HTTPStatus.FOUND
    problem = Problem.objects.get()
    assert problem.picture == picture
    assert problem.priority_area == area
    assert list(problem.places.all()) == [place]
    assert list(problem.indicators.all()) == [indicator]
    assert list(problem.causes.values_list("description", flat=True)) == ["Dålig belysning"]


def test_problem_form_refuses_another_agreements_evidence(
    client_for, agreement, other_agreement, member
):
    picture = make_picture(agreement)
    make_indicator(agreement, name="Eget nyckeltal")
    foreign = make_indicator(other_agreement)
    url = reverse("plans:problem-create", args=[agreement.pk, picture.pk])
    page = client_for(member).post(url, _problem_data(indicators=[str(foreign.pk)]))
    assert page.status_code == HTTPStatus.OK
    assert "Välj ett giltigt alternativ" in page.content.decode()
    assert not Problem.objects.exists()


PERSONAL_NUMBER = "Anmäld person 811218-9876 i centrum"


@pytest.mark.parametrize("field", ["title", "description", "where", "when", "affected"])
def test_problem_text_with_a_personal_number_is_refused_and_kept(
    client_for, agreement, member, field
):
    picture = make_picture(agreement)
    url = reverse("plans:problem-create", args=[agreement.pk, picture.pk])
    page = client_for(member).post(url, _problem_data(**{field: PERSONAL_NUMBER}))
    text = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "personnummer" in text
    assert "811218-9876" in text  # what was typed is still in the form, nothing lost
    assert not Problem.objects.exists()
    assert not Cause.objects.exists()


def test_a_cause_with_a_personal_number_is_refused(client_for, agreement, member):
    picture = make_picture(agreement)
    url = reverse("plans:problem-create", args=[agreement.pk, picture.pk])
    page = client_for(member).post(url, _problem_data(**{"causes-0-description": PERSONAL_NUMBER}))
    assert "personnummer" in page.content.decode()
    assert not Problem.objects.exists()


@pytest.mark.parametrize(
    "field", ["crime_extent", "crime_consequences", "other_information", "analysis"]
)
def test_picture_text_with_a_personal_number_is_refused(client_for, agreement, member, field):
    picture = make_picture(agreement)
    url = reverse("plans:situation-edit", args=[agreement.pk, picture.pk])
    page = client_for(member).post(url, {field: "Se 19811218-9876 för detaljer"})
    assert page.status_code == HTTPStatus.OK
    assert "personnummer" in page.content.decode()
    picture.refresh_from_db()
    assert getattr(picture, field) == ""


def test_completeness_check_lists_missing_parts_and_old_facts(client_for, agreement, member):
    from ..factories import make_observation

    picture = make_picture(agreement, year=2025, crime_extent="Omfattning", analysis="Analys")
    indicator = make_indicator(agreement, name="Trygghet i skolan")
    make_observation(indicator, 2022, 80)
    with_evidence = make_problem(picture, title="Med underlag")
    with_evidence.indicators.add(indicator)
    make_problem(picture, title="Utan underlag")
    page = client_for(member).get(
        reverse("plans:situation-detail", args=[agreement.pk, picture.pk])
    )
    check = page.context["check"]
    assert [present for _label, present in check.law_parts] == [True, False, False, True]
    assert [(row.name, row.newest_year, row.age) for row in check.indicator_ages] == [
        ("Trygghet i skolan", 2022, 3)
    ]
    assert [p.title for p in check.problems_without_evidence] == ["Utan underlag"]
    text = page.content.decode()
    assert "Fullständighetskontroll" in text
    assert "saknas" in text


def test_new_place_tags_are_created_once_and_linked(client_for, agreement, member):
    picture = make_picture(agreement)
    agreement.places.create(name="Centrum")
    url = reverse("plans:problem-create", args=[agreement.pk, picture.pk])
    client_for(member).post(url, _problem_data(add_places="Sjulnäs, Centrum ,,"))
    problem = Problem.objects.get()
    assert sorted(problem.places.values_list("name", flat=True)) == ["Centrum", "Sjulnäs"]
    assert agreement.places.count() == 2


def test_saving_without_a_change_keeps_the_approval(client_for, agreement, officer, member):
    picture = make_picture(agreement, analysis="Samma")
    _approve(client_for, officer, picture)
    client_for(member).post(
        reverse("plans:situation-edit", args=[agreement.pk, picture.pk]), {"analysis": "Samma"}
    )
    assert picture.approvals.count() == 1


def test_adding_a_problem_withdraws_earlier_approvals(client_for, agreement, officer, member):
    picture = make_picture(agreement)
    _approve(client_for, officer, picture)
    url = reverse("plans:problem-create", args=[agreement.pk, picture.pk])
    assert client_for(member).post(url, _problem_data()).status_code == HTTPStatus.FOUND
    assert picture.approvals.count() == 0


def test_a_problem_records_when_it_happens_as_choices_and_keeps_them_in_a_new_version(
    client_for, agreement, member
):
    from pitebra.copying import copied_values

    problem_values = copied_values(make_problem(make_picture(agreement, 2023)))
    assert {"times_of_day", "weekdays", "seasons"} <= set(problem_values)
    picture = make_picture(agreement, 2024)
    problem = make_problem(picture, title="Oro vid busstationen")
    url = reverse("plans:problem-edit", args=[agreement.pk, problem.pk])
    form = client_for(member).get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, [], "")}
    for key, value in list(data.items()):
        if isinstance(value, list):
            data[key] = [getattr(v, "pk", v) for v in value]
    data.update(
        title="Oro vid busstationen",
        times_of_day=["evening", "night"],
        weekdays=["fri", "sat"],
        seasons=["winter"],
        when="kring lönehelger",
        **{"causes-TOTAL_FORMS": "0", "causes-INITIAL_FORMS": "0"},
    )
    response = client_for(member).post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    problem.refresh_from_db()
    assert (problem.times_of_day, problem.weekdays, problem.seasons) == (
        ["evening", "night"],
        ["fri", "sat"],
        ["winter"],
    )
    assert problem.when_display() == "Kväll, Natt · Fredag, Lördag · Vinter · kring lönehelger"
    page = client_for(member).get(
        reverse("plans:situation-detail", args=[agreement.pk, picture.pk])
    )
    assert "Kväll, Natt · Fredag, Lördag · Vinter" in page.content.decode()
