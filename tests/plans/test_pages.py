"""The facts and situation-picture pages: who may open them, what they show, and how many
queries they take (a fixed number, however much data there is)."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from pitebra.models import Membership, Organisation
from plans.models import Observation

from ..factories import (
    make_cause,
    make_indicator,
    make_member,
    make_observation,
    make_picture,
    make_problem,
    make_source,
)

PAGES = [
    "plans:indicator-list",
    "plans:indicator-create",
    "plans:import-csv",
    "plans:import-kolada",
    "plans:document-list",
    "plans:source-list",
    "plans:situation-list",
]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", HTTPStatus.OK),
        ("member", HTTPStatus.OK),
        ("reader", HTTPStatus.FORBIDDEN),
        ("outsider", HTTPStatus.NOT_FOUND),
    ],
)
def test_role_table_for_facts_and_situation_pages(
    request, client_for, agreement, name, role, status
):
    user = request.getfixturevalue(role)
    assert client_for(user).get(reverse(name, args=[agreement.pk])).status_code == status


def test_anonymous_users_are_sent_to_login(client, agreement):
    response = client.get(reverse("plans:indicator-list", args=[agreement.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


def _other_agreements_objects(agreement):
    indicator = make_indicator(agreement)
    picture = make_picture(agreement)
    problem = make_problem(picture)
    source = make_source(agreement)
    return {
        "indicator": indicator,
        "picture": picture,
        "problem": problem,
        "source": source,
    }


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("plans:indicator-detail", "indicator"),
        ("plans:indicator-edit", "indicator"),
        ("plans:situation-detail", "picture"),
        ("plans:situation-edit", "picture"),
        ("plans:problem-create", "picture"),
        ("plans:problem-edit", "problem"),
        ("plans:source-edit", "source"),
    ],
)
def test_another_agreements_records_are_404_through_my_agreement(
    client_for, agreement, other_agreement, member, name, key
):
    foreign = _other_agreements_objects(other_agreement)[key]
    url = reverse(name, args=[agreement.pk, foreign.pk])
    assert client_for(member).get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "name", ["plans:situation-approve", "plans:situation-new-version", "plans:problem-delete"]
)
def test_another_agreements_records_are_404_for_posts(
    client_for, agreement, other_agreement, member, name
):
    objects = _other_agreements_objects(other_agreement)
    target = objects["problem"] if name == "plans:problem-delete" else objects["picture"]
    url = reverse(name, args=[agreement.pk, target.pk])
    assert client_for(member).post(url).status_code == HTTPStatus.NOT_FOUND


def test_readers_do_not_see_the_facts_tabs(client_for, agreement, reader, member):
    page = client_for(reader).get(reverse("agreement-detail", args=[agreement.pk]))
    assert "Lägesbild" not in page.content.decode()
    page = client_for(member).get(reverse("agreement-detail", args=[agreement.pk]))
    assert "Fakta" in page.content.decode()
    assert "Lägesbild" in page.content.decode()


def _facts(agreement, n):
    for i in range(n):
        indicator = make_indicator(agreement, name=f"Nyckeltal {i}")
        for year in (2022, 2023, 2024):
            make_observation(indicator, year, 100 + i)
            make_observation(indicator, year, 200 + i, scope=Observation.Scope.COUNTRY)


@pytest.mark.parametrize("n", [3, 30])
def test_facts_page_query_count_does_not_grow(
    client_for, agreement, member, django_assert_max_num_queries, n
):
    _facts(agreement, n)
    client = client_for(member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("plans:indicator-list", args=[agreement.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count('role="img"') == n


@pytest.mark.parametrize("n", [3, 30])
def test_indicator_page_query_count_does_not_grow(
    client_for, agreement, member, django_assert_max_num_queries, n
):
    indicator = make_indicator(agreement)
    for year in range(2000, 2000 + n):
        make_observation(indicator, year, year - 1990)
    client = client_for(member)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("plans:indicator-detail", args=[agreement.pk, indicator.pk]))
    assert response.status_code == HTTPStatus.OK


def _picture_with_problems(agreement, n):
    picture = make_picture(agreement, year=2024)
    indicator = make_indicator(agreement)
    observation = make_observation(indicator, 2023, 5)
    source = make_source(agreement)
    area = agreement.priority_areas.create(name="Barn och unga")
    for i in range(n):
        problem = make_problem(picture, title=f"Problem {i}", priority_area=area)
        problem.indicators.add(indicator)
        problem.observations.add(observation)
        problem.sources.add(source)
        problem.places.create(agreement=agreement, name=f"Plats {i}")
        make_cause(problem)
        make_cause(problem)
    return picture


@pytest.mark.parametrize("n", [3, 30])
def test_situation_page_query_count_does_not_grow(
    client_for, agreement, member, django_assert_max_num_queries, n
):
    picture = _picture_with_problems(agreement, n)
    client = client_for(member)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("plans:situation-detail", args=[agreement.pk, picture.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count('<article class="border') == n


@pytest.mark.parametrize("n", [3, 30])
def test_situation_list_and_dashboard_query_counts_do_not_grow(
    client_for, agreement, member, django_assert_max_num_queries, n
):
    _facts(agreement, n)
    _picture_with_problems(agreement, n)
    client = client_for(member)
    with django_assert_max_num_queries(8):
        assert (
            client.get(reverse("plans:situation-list", args=[agreement.pk])).status_code
            == HTTPStatus.OK
        )
    with django_assert_max_num_queries(22):  # 17, and at most 5 for the year at a glance
        assert (
            client.get(reverse("agreement-detail", args=[agreement.pk])).status_code
            == HTTPStatus.OK
        )


def test_facts_page_shows_chart_and_table_with_escaped_names(client_for, agreement, member):
    indicator = make_indicator(agreement, name="<script>alert(1)</script> brott", unit="%")
    make_observation(indicator, 2023, "12.5")
    make_observation(indicator, 2023, "20", scope=Observation.Scope.COUNTRY)
    page = client_for(member).get(reverse("plans:indicator-list", args=[agreement.pk]))
    text = page.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text
    assert "Kommunen" in text
    assert "Hela riket" in text
    assert "12,5" in text
    assert "<caption id=" in text


def test_demo_pages_show_the_example_facts(client_for, demo):
    client = client_for(demo["users"]["kommun"])
    pitea = demo["pitea"]
    facts = client.get(reverse("plans:indicator-list", args=[pitea.pk])).content.decode()
    assert "Anmälda brott totalt" in facts
    assert "Elever i åk 8 som känner sig trygga i skolan" in facts
    situation = client.get(reverse("plans:situation-list", args=[pitea.pk])).content.decode()
    assert "Verksamhetsår 2024" in situation
    assert "gemensam 2024-03-14" in situation
    assert "utkast" in situation


def test_a_partner_member_is_not_offered_approval(client_for, agreement):
    partner = Organisation.objects.create(name="Bostadsbolaget", kind="partner")
    user = make_member(agreement, Membership.Role.MEMBER, username="partner", organisation=partner)
    picture = make_picture(agreement)
    url = reverse("plans:situation-detail", args=[agreement.pk, picture.pk])
    page = client_for(user).get(url)
    assert page.status_code == HTTPStatus.OK
    assert "Godkänn för" not in page.content.decode()
    municipal = make_member(agreement, organisation=agreement.municipality, username="kommunal")
    assert "Godkänn för kommunen" in client_for(municipal).get(url).content.decode()
