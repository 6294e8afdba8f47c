"""Every model says what it holds; a model that does not fails `manage.py check`."""

from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test.utils import isolate_apps

from pitebra.dataprotection import declarations
from pitebra.dataprotection.checks import check_declarations


def test_every_installed_model_is_declared():
    missing = [m._meta.label for m in apps.get_models() if declarations.declaration_for(m) is None]
    assert missing == []
    assert check_declarations() == []


def test_history_models_inherit_their_originals_declaration():
    history = declarations.declaration_for(apps.get_model("plans.HistoricalActivity"))
    assert "contact_name" in history.personal_fields
    assert "history_user" in history.personal_fields


@isolate_apps("demo")
def test_a_new_model_without_a_declaration_is_an_error():
    class Undeclared(models.Model):
        note = models.TextField()

        class Meta:
            app_label = "demo"

        def __str__(self):
            return self.note

    errors = check_declarations([Undeclared._meta.apps.get_app_config("demo")])
    assert [e.id for e in errors] == ["pitebra.E101"]
    assert "demo.Undeclared does not declare what it holds" in errors[0].msg


def test_manage_py_check_fails_when_a_declaration_is_missing():
    trimmed = dict(declarations.DECLARATIONS)
    del trimmed["followup.Meeting"]
    with (
        mock.patch.object(declarations, "DECLARATIONS", trimmed),
        pytest.raises(SystemCheckError, match="followup.Meeting does not declare"),
    ):
        call_command("check")
    call_command("check")  # and passes with it


def test_a_declared_field_the_model_lacks_is_an_error():
    wrong = dict(declarations.DECLARATIONS)
    wrong["pitebra.User"] = declarations.Declaration("Konto", ("telefax",), "x")
    with mock.patch.object(declarations, "DECLARATIONS", wrong):
        errors = check_declarations([apps.get_app_config("pitebra")])
    assert [e.id for e in errors] == ["pitebra.E102"]
