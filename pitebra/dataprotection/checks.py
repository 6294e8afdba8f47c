"""`manage.py check` fails for a model that does not say what it holds."""

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from .declarations import DECISIONS, THINNED, declaration_for


def _problems(model, declaration):
    label = model._meta.label
    if declaration is None:
        yield checks.Error(
            f"{label} does not declare what it holds.",
            hint="Add it to DECLARATIONS in pitebra/dataprotection/declarations.py: its record "
            "type, personal-data fields, legal basis and retention class.",
            obj=model,
            id="pitebra.E101",
        )
        return
    for name in (
        *declaration.personal_fields,
        *declaration.account_fields,
        *filter(None, [declaration.dated_by]),
    ):
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            yield checks.Error(
                f"{label}'s declaration names a field it does not have: {name}.",
                obj=model,
                id="pitebra.E102",
            )
    if declaration.retention == THINNED and (
        declaration.years is None or declaration.decision not in DECISIONS
    ):
        yield checks.Error(
            f"{label} is thinned without a period and a named decision.",
            obj=model,
            id="pitebra.E103",
        )


def check_declarations(app_configs=None, **kwargs):
    configs = app_configs if app_configs is not None else apps.get_app_configs()
    errors = []
    for config in configs:
        for model in config.get_models():
            errors.extend(_problems(model, declaration_for(model)))
    return errors
