"""Site-wide behaviour: language, health check, login, password reset, seed data, settings."""

import os
import subprocess
import sys
from http import HTTPStatus
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.urls import reverse

from pitebra.models import Agreement, Membership, Organisation, PriorityArea, StepStatus, User


def test_interface_is_swedish_by_default_even_for_an_english_browser(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    text = page.content.decode()
    assert '<html lang="sv">' in text
    assert "Logga in i PiteBra" in text


def test_language_switch_gives_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == HTTPStatus.FOUND
    text = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in text
    assert "Log in to PiteBra" in text


def test_dashboard_in_english(client, demo):
    client.force_login(demo["users"]["samordnare"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get(reverse("agreement-detail", args=[demo["pitea"].pk])).content.decode()
    assert "Priority areas and overarching goals" in text
    assert "Revised" in text and "A new agreement was started from this one" in text


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.content == b"ok"


def test_healthz_503_when_the_database_does_not_answer(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE


def test_login_with_demo_password(client, demo):
    response = client.post(
        reverse("login"), {"username": "polis", "password": "pitebra-demo"}, follow=True
    )
    assert response.context["user"].username == "polis"
    assert "Mina överenskommelser" in response.content.decode()


def test_wrong_password_is_explained_in_swedish(client, demo):
    response = client.post(reverse("login"), {"username": "polis", "password": "fel"})
    assert response.status_code == HTTPStatus.OK
    assert "korrekt användarnamn och lösenord" in response.content.decode()


def test_password_reset_sends_an_email_with_a_link(client, demo):
    response = client.post(reverse("password_reset"), {"email": "polis@pitebra.example"})
    assert response.status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["polis@pitebra.example"]


def test_accessibility_statement_has_a_feedback_address(client, db):
    text = client.get(reverse("accessibility")).content.decode()
    assert "Tillgänglighetsredogörelse" in text
    assert f"mailto:{settings.ACCESSIBILITY_FEEDBACK_EMAIL}" in text


def _snapshot():
    """Every row of every PiteBra model (many-to-many links and history included)."""
    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label in {"pitebra", "plans", "followup"}
        and m._meta.model_name != "dataversion"  # the page cache's key, changed on every write
    ]
    assert {Organisation, User, Agreement, PriorityArea, Membership, StepStatus} <= set(models)

    def plain(row):  # PostgreSQL returns binary columns as memoryview objects
        return str(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))

    return {m.__name__: sorted(map(plain, m.objects.values_list())) for m in models}


def test_seed_demo_is_idempotent(demo):
    before = _snapshot()
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert _snapshot() == before
    assert len(before["LogEntry"]) > 50 and len(before["Meeting"]) == 4


def test_seed_demo_loads_the_agreement_as_written(demo):
    pitea = demo["pitea"]
    assert (pitea.first_year, pitea.last_year) == (2023, 2025)
    assert pitea.revise_by.isoformat() == "2025-12-31"
    assert pitea.motto == "Håll i, håll ut"
    assert "Folkhälsorådet" in pitea.reported_to
    assert list(pitea.priority_areas.values_list("name", flat=True)) == [
        "Barn och unga",
        "Trygga miljöer",
    ]
    roles = dict(pitea.memberships.values_list("user__username", "role"))
    assert roles == {
        "samordnare": "coordinator",
        "polis": "member",
        "kommun": "member",
        "folkhalsoradet": "reader",
    }
    assert demo["alvsbyn"].memberships.filter(user__username="polis").exists()


def test_seed_demo_refuses_without_debug(db):
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()


def _settings_process(env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**env, "DJANGO_SETTINGS_MODULE": "pitebra.settings"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _settings_process({"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_secret_key():
    result = _settings_process({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 60})
    assert result.stdout.strip() == "started", result.stderr
