"""Every HTML page carries a strict Content-Security-Policy and a Permissions-Policy."""

import re
from http import HTTPStatus
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import reverse

# Files, not pages (rendering the PDFs would only make the test slow).
DOWNLOADS = ("pdf", "export", "download", ".ics", "format=csv")
SKIP = ("/accounts/logout", "/security/logout-everywhere", "/i18n/", "/static/", "/admin/logout")


def _directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict(response, url):
    csp = response.headers.get("Content-Security-Policy")
    assert csp, url
    directives = _directives(csp)
    assert directives["default-src"] == ["'self'"], url
    assert "'unsafe-inline'" not in directives.get("script-src", ["'self'"]), url
    assert "'unsafe-eval'" not in csp, url
    assert directives["frame-ancestors"] == ["'none'"], url
    assert directives["form-action"] == ["'self'"], url
    assert directives["base-uri"] == ["'none'"], url
    policy = response.headers.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy, url


def _crawl(client, start, limit=80):
    """Follow the links of every HTML page reached from `start`; returns the URLs checked."""
    seen, queue, checked = set(), list(start), []
    while queue and len(checked) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP) or any(d in url for d in DOWNLOADS):
            continue
        seen.add(url)
        response = client.get(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        assert response.status_code < 500, url
        assert_strict(response, url)
        checked.append(url)
        if response.status_code != HTTPStatus.OK:
            continue
        for href in re.findall(r'href="([^"#]+)"', response.content.decode()):
            target = urlparse(urljoin(url, href.replace("&amp;", "&")))
            if not target.netloc or target.netloc == "testserver":
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return checked


# An admin form with a URLField warns about Django 6's default scheme (not ours to fix here).
@pytest.mark.filterwarnings("ignore::django.utils.deprecation.RemovedInDjango60Warning")
def test_every_page_a_coordinator_reaches_is_covered(client, demo):
    client.force_login(demo["users"]["samordnare"])
    pitea = demo["pitea"].pk
    checked = _crawl(client, ["/", f"/agreements/{pitea}/", "/admin/", "/security/two-factor/"])
    assert len(checked) >= 50, checked


def test_pages_without_login_are_covered_too(client, db):  # the login page lists providers
    for url in [reverse("login"), reverse("password_reset"), reverse("accessibility"), "/nope/"]:
        assert_strict(client.get(url), url)


def test_errors_are_covered(client, client_for, member, other_agreement):
    response = client_for(member).get(reverse("agreement-detail", args=[other_agreement.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert_strict(response, "404")
