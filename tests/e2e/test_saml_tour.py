"""Signing in and out through a SAML provider in the browser: the login page's button, the test
IdP's login page (pysaml2's IdP, on 127.0.0.1 while PiteBra is on localhost: another site),
its answer posted back across sites, and single logout at the IdP, with no CSP violation."""

import os

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from pitebra.models import Agreement, Membership, Organisation
from security import saml
from security.models import ExternalAccount
from security.sign_on import invite
from tests.saml_idp.fixtures import PASSWORD, saml_idp  # noqa: F401


@pytest.fixture
def saml_provider(demo_server, saml_idp):  # noqa: F811
    host = demo_server.url.removeprefix("http://")
    ours = saml.metadata(RequestFactory().get("/", HTTP_HOST=host))
    saml_idp.setup(
        sp_metadata=[ours],
        want_requests_signed=False,
        people=[{"username": "lena", "subject": "pitea-lena", "mail": "lena.holm@pitea.se"}],
    )
    pitea = Organisation.objects.get(name="Piteå kommun")
    call_command(
        "add_identity_provider",
        organisation=pitea.pk,
        name="Sweden Connect",
        saml_metadata=saml_idp.metadata_url,
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    agreement = Agreement.objects.filter(municipality=pitea).first()
    coordinator = Membership.objects.filter(agreement=agreement, role="coordinator").first().user
    return invite(
        by=coordinator,
        agreement=agreement,
        email="lena.holm@pitea.se",
        role=Membership.Role.MEMBER,
        organisation=pitea,
    )


def test_a_person_signs_in_and_out_through_the_saml_provider(
    page,
    demo_server,
    saml_idp,  # noqa: F811
    saml_provider,
    check_a11y,
):
    acs_posts = []
    page.on(
        "request",
        lambda r: acs_posts.append(r) if r.method == "POST" and "/saml/acs/" in r.url else None,
    )
    page.set_viewport_size({"width": 1366, "height": 800})
    page.goto(f"{demo_server.url}/accounts/login/")
    page.get_by_role("link", name="Logga in med Sweden Connect").click()
    page.wait_for_url(f"{saml_idp.base}/sso?*")
    page.fill("input[name=username]", "lena")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{demo_server.url}/")
    check_a11y(page)
    assert ExternalAccount.objects.filter(user=saml_provider, subject="pitea-lena").exists()
    # The IdP's cross-site POST came without our session cookie; our page posted it again.
    assert len(acs_posts) == 2

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{demo_server.url}/accounts/login/")
    assert "utloggad från PiteBra och från Sweden Connect" in page.content()
    check_a11y(page)
