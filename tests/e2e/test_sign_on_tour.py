"""Signing in with the municipality's own account in the browser: the login page's button,
the test OpenID Connect provider's login form, and back to the dashboard, at desk and phone
width, through axe."""

import os

import pytest
from django.core.management import call_command

from pitebra.models import Agreement, Membership, Organisation, User
from security.models import ExternalAccount
from security.sign_on import invite
from tests.oidc_provider.fixtures import CLIENT_ID, CLIENT_SECRET, PASSWORD, oidc_provider  # noqa: F401


@pytest.fixture
def municipal_provider(demo_server, oidc_provider):  # noqa: F811
    oidc_provider.setup(
        redirect_uris=[f"{demo_server.url}/security/sign-on/oidc/callback/"],
        post_logout_redirect_uris=[f"{demo_server.url}/accounts/login/"],
        users=[{"username": "lena", "email": "lena.holm@pitea.se", "first_name": "Lena"}],
    )
    pitea = Organisation.objects.get(name="Piteå kommun")
    call_command(
        "add_identity_provider",
        organisation=pitea.pk,
        name="Piteå kommun",
        oidc_discovery=oidc_provider.discovery_url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        email_domains="pitea.se",
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


@pytest.mark.parametrize("width", [1366, 375])
def test_an_invited_person_signs_in_with_the_municipality_account(
    page, demo_server, municipal_provider, check_a11y, width
):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{demo_server.url}/accounts/login/")
    check_a11y(page)
    page.get_by_role("link", name="Logga in med Piteå kommun").click()
    # The provider's own login page (here django-oauth-toolkit's test project).
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{demo_server.url}/")
    check_a11y(page)
    assert ExternalAccount.objects.filter(user=municipal_provider).exists()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert User.objects.filter(email="lena.holm@pitea.se").count() == 1


def test_the_email_form_leads_to_the_provider(page, demo_server, municipal_provider):
    page.goto(f"{demo_server.url}/accounts/login/")
    page.get_by_label("Eller skriv din e-postadress").fill("lena.holm@pitea.se")
    page.get_by_role("button", name="Fortsätt").click()
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{demo_server.url}/")


def test_logging_out_also_logs_out_at_the_provider(page, demo_server, municipal_provider):
    """The logout form's redirect to the provider's end_session_endpoint is allowed by the
    page's form-action (the page fixture fails on any CSP violation)."""
    page.goto(f"{demo_server.url}/accounts/login/")
    page.get_by_role("link", name="Logga in med Piteå kommun").click()
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{demo_server.url}/")
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{demo_server.url}/accounts/login/")
    page.goto(f"{demo_server.url}/")
    page.wait_for_url(f"{demo_server.url}/accounts/login/?next=/")
