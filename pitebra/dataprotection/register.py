"""The register of processing (registerförteckning, GDPR art. 30), built from the declarations."""

from dataclasses import dataclass

from django.utils.text import capfirst

from .declarations import DECISIONS, declared_models


@dataclass
class Entry:
    label: str
    record_type: str
    purpose: str
    fields: list
    legal_basis: str
    retention: str


def _field_name(model, name):
    return str(capfirst(model._meta.get_field(name).verbose_name))


def register_entries():
    """(entries with personal data, record types without), sorted by record type."""
    with_data, without = [], []
    for model, declaration in declared_models():
        if declaration is None:
            continue
        if not declaration.has_personal_data:
            without.append(declaration.record_type)
            continue
        with_data.append(
            Entry(
                label=model._meta.label,
                record_type=declaration.record_type,
                purpose=declaration.purpose,
                fields=[_field_name(model, name) for name in declaration.personal_fields],
                legal_basis=declaration.legal_basis,
                retention=declaration.retention_text(),
            )
        )
    with_data.sort(key=lambda entry: entry.record_type.lower())
    return with_data, sorted(set(without), key=str.lower)


def register_context():
    entries, without = register_entries()
    return {"entries": entries, "without": without, "decisions": sorted(DECISIONS.items())}
