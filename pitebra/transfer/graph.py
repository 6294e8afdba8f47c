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
# Apps whose rows never travel: Django's own bookkeeping, the task queue, and credentials
# (second-factor devices and their secrets, login attempts).
FOREIGN_APPS = {
    "admin",
    "auth",
    "contenttypes",
    "sessions",
    "django_tasks_database",
    "otp_totp",
    "otp_static",
    "axes",
}
# Shared between agreements: exported when the agreement's rows name them (and, for an
# organisation, when it belongs to the agreement), matched on import. Links *through* them
# never make another model part of an agreement (a user's devices are not the agreement's).
SHARED = {"pitebra.Organisation", "pitebra.User"}
# Fields never exported, on any model: credentials and secrets (second-factor devices are
# models of their own that no agreement row points at, so they never travel either).
SECRET_FIELD = re.compile(r"(^|_)(password|secret|token|otp|totp)(_|$)", re.IGNORECASE)
# The person model: matched on import only by exact username, and only when asked.
USER = "pitebra.User"
# The fields of a shared model that travel, where not all do: who a person is, never what they
# may do or how they log in (staff, superuser, groups, permissions, last login, sessions).
TRAVELLING_FIELDS = {
    USER: {
        "username",
        "first_name",
        "last_name",
        "email",
        "organisation",
        "receives_reminders",
        "date_joined",
    }
}
# Fields the importer sets on the rows it creates (on any model that has them), never exported:
# which archive (its SHA-256) brought the row in, and when.
IMPORT_MARKS = ("imported_from", "imported_at")


def _party_by_name(fields):
    """A party (no agreement of its own) is the same organisation when its name is the same;
    an organisation registered on the agreement comes with the (new) agreement."""
    if fields.get("agreement") is None:
        return {"name": fields["name"], "agreement__isnull": True}
    return None


# Shared models matched by a query built from the record's fields (None: create it).
MATCH_QUERIES = {"pitebra.Organisation": _party_by_name}


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
def _chains():
    """({model label: its first lookup to the agreement}, {labels that needed an optional link}).

    The one walk from a model to its agreement: the transfer, the admin's scope
    (`pitebra.permissions.agreement_path`) and the page cache all read it.
    """
    primary = {AGREEMENT: "pk"}
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label not in FOREIGN_APPS and label(m) not in SHARED
    ]
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
    return primary, optional


def required_agreement_path(model) -> str | None:
    """The lookup from `model` to its agreement through required foreign keys only (every row
    has one), or None where some link on the way may be empty."""
    primary, optional = _chains()
    name = label(model)
    if name == AGREEMENT or name in optional:
        return None
    return primary.get(name)


@cache
def agreement_paths():
    """{model label: [ORM lookups to the agreement's id]} for every model that belongs to one.

    Chains of required foreign keys are preferred (one lookup); a model that reaches an
    agreement only through optional ones (history rows, a log entry's promise) gets every such
    chain, so no row is missed where one link is empty.
    """
    primary, optional = _chains()
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
    return label(model) in SHARED or (
        label(model) not in agreement_paths() and model._meta.app_label not in FOREIGN_APPS
    )


def shared_own_rows(model):
    """Lookups for a shared model's rows that belong to the agreement themselves."""
    return [f.name for f in forward_fks(model) if label(f.related_model) == AGREEMENT]


def is_anonymous(model):
    """A model whose rows the pages show without names (`ANONYMOUS = True` on the model, or on
    the model a history model records): no link to a person leaves with its rows."""
    original = getattr(model, "instance_type", None) or model
    return bool(getattr(original, "ANONYMOUS", False))


def _points_at_person(field):
    return (
        field.is_relation and field.related_model is not None and label(field.related_model) == USER
    )


def exported_field_names(model):
    """The fields written to an archive, and the only ones the importer reads back."""
    travelling = TRAVELLING_FIELDS.get(label(model))
    anonymous = is_anonymous(model)
    return [
        field.name
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if not field.primary_key
        and not SECRET_FIELD.search(field.name)
        and field.name not in IMPORT_MARKS
        and (travelling is None or field.name in travelling)
        and not (anonymous and _points_at_person(field))
    ]


@cache
def restorable_models():
    """Exactly the models an export can hold: the agreement's own and the shared ones their
    exported links reach. The importer refuses a record of any other model."""
    found = set(exported_models())
    pending = list(found)
    while pending:
        model = apps.get_model(pending.pop())
        names = set(exported_field_names(model))
        for field in [*forward_fks(model), *model._meta.many_to_many]:
            target = field.related_model
            if field.name in names and is_shared(target) and label(target) not in found:
                found.add(label(target))
                pending.append(label(target))
    return frozenset(found)
