"""The login page is rendered once and served from the page cache to every anonymous visitor of
the same address: each gets a CSRF token of their own that works, a change of identity provider
shows at once, a pending message is shown, and a signed-in user's page is never anyone else's.

These tests commit for real (`transaction=True`): data versions are bumped after a commit.
"""

import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pitebra import pagecache
from security.models import IdentityProvider
from tests.factories import make_agreement, make_user

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = "/accounts/login/"


def token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def count_builds(monkeypatch):
    builds = []
    real = pagecache.cached_by_key

    def counted(name, parts, build):
        def counting():
            builds.append(name)
            return build()

        return real(name, parts, counting)

    monkeypatch.setattr(pagecache, "cached_by_key", counted)
    return builds


def test_visitors_share_one_rendering_each_with_a_working_token_of_their_own(monkeypatch):
    make_user(username="anna", password="secret-pw-123")
    builds = count_builds(monkeypatch)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get(LOGIN).content.decode()
    with CaptureQueriesContext(connection) as queries:
        page_two = second.get(LOGIN).content.decode()
    assert builds.count("login") == 1  # the second visitor's page came from the cache
    # The shared version only (and, with row-level security on, its scope): no providers.
    sqls = [q["sql"] for q in queries.captured_queries]
    assert not any("identityprovider" in sql for sql in sqls), sqls
    assert sum("pitebra_dataversion" in sql for sql in sqls) == 1, sqls
    for page in (page_one, page_two):
        assert pagecache.CSRF_PLACEHOLDER not in page
        assert page.count('name="csrfmiddlewaretoken"') >= 2  # language form and login form
    assert token(page_one) != token(page_two)
    # Each visitor's own token works, and the other's does not.
    data = {"username": "anna", "password": "secret-pw-123"}
    refused = second.post(LOGIN, {**data, "csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == HTTPStatus.FORBIDDEN
    answer = second.post(LOGIN, {**data, "csrfmiddlewaretoken": token(page_two)})
    assert answer.status_code == HTTPStatus.FOUND


def test_the_address_and_language_make_their_own_page(monkeypatch):
    builds = count_builds(monkeypatch)
    client = Client()
    page = client.get(LOGIN + "?next=/agreements/7/").content.decode()
    assert 'name="next" value="/agreements/7/"' in page
    assert 'name="next" value=""' in client.get(LOGIN).content.decode()
    client.cookies["django_language"] = "en"
    assert "Log in to PiteBra" in client.get(LOGIN).content.decode()
    assert builds.count("login") == 3
    long_next = "/agreements/" + "1" * 400 + "/"
    page = client.get(LOGIN + "?next=" + long_next).content.decode()
    assert long_next in page and builds.count("login") == 3  # rendered, not cached


def test_a_new_or_disabled_identity_provider_shows_at_once():
    client = Client()
    assert "Testkommunen" not in client.get(LOGIN).content.decode()
    provider = IdentityProvider.objects.create(
        organisation=make_agreement().municipality,
        name="Testkommunen",
        protocol=IdentityProvider.Protocol.OIDC,
        authorization_endpoint="https://idp.testkommunen.example/auth",
    )
    page = client.get(LOGIN)
    assert "Testkommunen" in page.content.decode()
    assert "https://idp.testkommunen.example" in page.headers["Content-Security-Policy"]
    provider.enabled = False
    provider.save()
    assert "Testkommunen" not in client.get(LOGIN).content.decode()


def test_a_signed_in_users_page_is_theirs_alone():
    user = make_user(username="inloggad", first_name="Ingrid", last_name="Inloggad")
    signed_in = Client()
    signed_in.force_login(user)
    assert "Ingrid Inloggad" in signed_in.get(LOGIN).content.decode()
    assert "Ingrid" not in Client().get(LOGIN).content.decode()


def test_a_message_waiting_for_the_visitor_is_shown(client):
    user = make_user(username="utloggad", password="secret-pw-123")
    client.get(LOGIN)  # the page is in the cache
    client.force_login(user)
    client.post(reverse("security:logout-everywhere"))
    page = client.get(LOGIN).content.decode()
    assert "Du har loggats ut överallt." in page or "logged out everywhere" in page
