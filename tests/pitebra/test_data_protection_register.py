"""The register of processing (art. 30): the operator's page and its Swedish document."""

from http import HTTPStatus

import pytest
from django.apps import apps
from django.urls import reverse

from pitebra.dataprotection.declarations import declaration_for

from ..factories import make_user


@pytest.fixture
def operator(db):
    return make_user(username="drift", is_superuser=True, is_staff=True)


def test_the_register_lists_every_model_with_personal_data(client, operator):
    client.force_login(operator)
    page = client.get(reverse("dataprotection:register")).content.decode()
    with_data = [m for m in apps.get_models() if declaration_for(m).has_personal_data]
    assert len(with_data) > 20
    for model in with_data:
        assert f"({model._meta.label})" in page
    assert "Registerförteckning" in page
    assert "Användarkonto" in page and "Telefon" in page
    assert "Gallras efter 2 år enligt GB-2026:1" in page  # the audit trail


def test_the_register_downloads_as_a_swedish_document(client, operator):
    client.force_login(operator)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("dataprotection:register-download"))
    assert response.status_code == HTTPStatus.OK
    assert "registerforteckning.html" in response["Content-Disposition"]
    text = response.content.decode()
    assert '<html lang="sv">' in text
    assert "Personuppgiftsansvarig" in text and "Rättslig grund" in text
    assert "(security.AuditEvent)" in text


@pytest.mark.parametrize("name", ["dataprotection:register", "dataprotection:register-download"])
def test_only_the_operator_sees_the_register(client, coordinator, name):
    client.force_login(coordinator)
    assert client.get(reverse(name)).status_code == HTTPStatus.FORBIDDEN
