"""Behind nginx without PITEBRA_PROXY_COUNT every client has the proxy's address: the
deployment example sets it, and a system check (fed by the middleware) warns when it is 0."""

import logging
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from security import checks

# The login page these tests request lists the identity providers from the database.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _not_noted(monkeypatch):
    monkeypatch.setattr(checks, "_noted", False)


def _warnings():
    return [m for m in run_checks(tags=["security"]) if m.id == "pitebra.W010"]


def test_the_deployment_example_declares_the_documented_nginx():
    env = (Path(__file__).parents[2] / "deploy" / "env.example").read_text()
    assert "\nPITEBRA_PROXY_COUNT=1\n" in env


def test_a_forwarded_request_with_a_proxy_count_of_0_is_warned_about(client, settings, caplog):
    settings.DEBUG, settings.PITEBRA_PROXY_COUNT = False, 0
    assert not _warnings()
    with caplog.at_level(logging.WARNING, logger="pitebra.security"):
        client.get(reverse("login"), HTTP_X_FORWARDED_FOR="203.0.113.9")
        client.get(reverse("login"), HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
    assert "PITEBRA_PROXY_COUNT=1" in caplog.records[0].message
    (warning,) = _warnings()
    assert "PITEBRA_PROXY_COUNT" in warning.msg


@pytest.mark.parametrize(
    "debug, proxies, header", [(True, 0, True), (False, 1, True), (False, 0, False)]
)
def test_no_warning_when_declared_in_development_or_without_a_proxy(
    client, settings, debug, proxies, header
):
    settings.DEBUG, settings.PITEBRA_PROXY_COUNT = debug, proxies
    extra = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"} if header else {}
    client.get(reverse("login"), **extra)
    assert not _warnings()
