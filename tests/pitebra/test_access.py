"""Who may open what: the access rules as a table of role × URL × expected status."""

from http import HTTPStatus

import pytest
from django.urls import reverse

ANON_OPEN = ["login", "password_reset", "accessibility", "healthz", "public:index", "public:data"]


@pytest.mark.parametrize("name", ANON_OPEN)
def test_public_pages_open_without_login(client, db, name):
    assert client.get(reverse(name)).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "url",
    [
        lambda a: reverse("home"),
        lambda a: reverse("agreement-detail", args=[a.pk]),
        lambda a: reverse("agreement-copy", args=[a.pk]),
        lambda a: reverse("password_change"),
        lambda a: reverse("admin:pitebra_agreement_changelist"),
    ],
)
def test_everything_else_redirects_anonymous_users_to_login(client, agreement, url):
    response = client.get(url(agreement))
    assert response.status_code == HTTPStatus.FOUND
    # The admin has its own login page; both log in the same users.
    assert response["Location"].startswith((reverse("login"), reverse("admin:login")))


# (role fixture, URL name, expected status) for the user's own agreement
OWN_AGREEMENT_TABLE = [
    ("coordinator", "agreement-detail", HTTPStatus.OK),
    ("member", "agreement-detail", HTTPStatus.OK),
    ("reader", "agreement-detail", HTTPStatus.OK),
    ("coordinator", "agreement-copy", HTTPStatus.OK),
    ("member", "agreement-copy", HTTPStatus.FORBIDDEN),
    ("reader", "agreement-copy", HTTPStatus.FORBIDDEN),
    ("outsider", "agreement-detail", HTTPStatus.NOT_FOUND),
    ("outsider", "agreement-copy", HTTPStatus.NOT_FOUND),
    ("coordinator", "public-settings", HTTPStatus.OK),
    ("member", "public-settings", HTTPStatus.FORBIDDEN),
    ("reader", "public-settings", HTTPStatus.FORBIDDEN),
    ("outsider", "public-settings", HTTPStatus.NOT_FOUND),
]


@pytest.mark.parametrize(("role", "name", "status"), OWN_AGREEMENT_TABLE)
def test_role_table(request, client_for, agreement, role, name, status):
    user = request.getfixturevalue(role)
    response = client_for(user).get(reverse(name, args=[agreement.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", HTTPStatus.FOUND),
        ("member", HTTPStatus.FORBIDDEN),
        ("reader", HTTPStatus.FORBIDDEN),
        ("outsider", HTTPStatus.NOT_FOUND),
    ],
)
def test_only_coordinators_set_the_cycle(request, client_for, agreement, role, status):
    user = request.getfixturevalue(role)
    url = reverse("agreement-cycle-edit", args=[agreement.pk, 2024])
    data = {f"y2024-step_{n}": "done" for n in range(1, 6)}
    assert client_for(user).post(url, data).status_code == status


def test_home_lists_only_my_agreements(client_for, agreement, other_agreement, member):
    page = client_for(member).get(reverse("home")).content.decode()
    assert agreement.title in page
    assert other_agreement.title not in page


def test_a_user_in_two_working_groups_sees_both(client_for, demo):
    page = client_for(demo["users"]["polis"]).get(reverse("home")).content.decode()
    assert "Piteå kommun" in page
    assert "Älvsbyns kommun" in page
    response = client_for(demo["users"]["kommun"]).get(
        reverse("agreement-detail", args=[demo["alvsbyn"].pk])
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_readers_do_not_see_the_working_group_list(
    client_for, agreement, reader, member, coordinator
):
    url = reverse("agreement-detail", args=[agreement.pk])
    page = client_for(reader).get(url)
    assert page.status_code == HTTPStatus.OK and agreement.title in page.content.decode()
    assert member.username not in page.content.decode()
    assert member.username in client_for(coordinator).get(url).content.decode()  # others do
