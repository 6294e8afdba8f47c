"""Which models belong to an agreement, found by walking foreign keys through the app registry.

A model belongs to an agreement when a chain of foreign keys leads from it to `Agreement`
(`Observation → indicator → agreement`); its rows are exported by following that chain. Models
the agreement's rows point at without belonging to one agreement (organisations, users) are
*shared*: exported when referenced, matched by a unique field on import. A model added later
with a link to an agreement is exported without anyone remembering to; one that must not be
is listed in EXCLUDED (a test fails for a linked model that is in neither).
"""

import re
from functools import cache

from django.apps import apps

AGREEMENT = "pitebra.Agreement"

# Models linked to an agreement that are deliberately left out, with the reason.
EXCLUDED = {
    "followup.ReportRendering": "drafts and queued renderings: made again on demand",
}
# Apps whose rows never travel: Django's own bookkeeping and the task queue.
FOREIGN_APPS = {"admin", "auth", "contenttypes", "sessions", "django_tasks_database"}
# Fields never exported, on any model: credentials and secrets (second-factor devices are
# models of their own that no agreement row points at, so they never travel either).
SECRET_FIELD = re.compile(r"(^|_)(password|secret|token|otp|totp)(_|$)", re.IGNORECASE)
# Shared models whose rows are matched on import by these fields, in order, before creating.
MATCH_FIELDS = {"pitebra.User": ["username", "email"]}


def label(model):
    return model._meta.label


def forward_fks(model):
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.many_to_one and field.related_model is not None
    ]


def m2m_fields(model):
    return [field for field in model._meta.many_to_many if field.remote_field.through]


def _cross_link(model, field):
    """A history row's copy of a link between rows of the same model (`previous`): such a link
    may lead into another agreement (a copied agreement's goals name the originals)."""
    original = getattr(model, "instance_type", None)
    if original is None:
        return False
    own = {f.name for f in forward_fks(original) if f.related_model is original}
    return field.name in own


def _join(name, path):
    return name if path == "pk" else f"{name}__{path}"


@cache
def agreement_paths():
    """{model label: [ORM lookups to the agreement's id]} for every model that belongs to one.

    Chains of required foreign keys are preferred (one lookup); a model that reaches an
    agreement only through optional ones (history rows, a log entry's promise) gets every such
    chain, so no row is missed where one link is empty.
    """
    primary = {AGREEMENT: "pk"}
    models = [m for m in apps.get_models() if m._meta.app_label not in FOREIGN_APPS]
    optional = set()
    for allow_null in (False, True):
        changed = True
        while changed:
            changed = False
            for model in models:
                if label(model) in primary:
                    continue
                for field in forward_fks(model):
                    target = label(field.related_model)
                    if target in primary and target != label(model):
                        if (field.null and not allow_null) or _cross_link(model, field):
                            continue
                        primary[label(model)] = _join(field.name, primary[target])
                        if allow_null or target in optional:
                            optional.add(label(model))
                        changed = True
                        break
    paths = {}
    for name, path in primary.items():
        paths[name] = [path]
        if name in optional:
            model = apps.get_model(name)
            for field in forward_fks(model):
                target = label(field.related_model)
                if target in primary and target not in (name, AGREEMENT):
                    if _cross_link(model, field):
                        continue
                    lookup = _join(field.name, primary[target])
                    if lookup not in paths[name]:
                        paths[name].append(lookup)
    return paths


def linked_models():
    """Every model with a path to an agreement (owned), Agreement itself included."""
    return {name: apps.get_model(name) for name in agreement_paths()}


def exported_models():
    return {name: model for name, model in linked_models().items() if name not in EXCLUDED}


def is_shared(model):
    return label(model) not in agreement_paths() and model._meta.app_label not in FOREIGN_APPS


def exported_field_names(model):
    return [
        field.name
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if not field.primary_key and not SECRET_FIELD.search(field.name)
    ]
