"""A person's own data (GDPR art. 15 and 20): every row that names their account, as a zip of
JSON and CSV with a README of the fields, made on request and handed over in the page."""

import csv
import io
import json
import re
import zipfile

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from ..spreadsheets import csv_value
from .declarations import declaration_for

# Never handed out, not even to the person: credentials and the secrets that stand for them.
SECRET = re.compile(r"(^|_)(password|secret|token|key|epoch|session)(_|$)", re.IGNORECASE)
LEFT_OUT = {"sessions.Session", "otp_static.StaticToken"}


def _user_links(model):
    """The fields of `model` that point at an account."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return [
        f
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.is_relation and f.related_model is user_model
    ]


def _fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if not SECRET.search(f.name) and not isinstance(f, models.BinaryField)
    ]


def _row(obj, fields):
    return {f.name: getattr(obj, f.attname) for f in fields}


def collect(user):
    """{model label: (model, fields, [rows])} of the user's own row and every row naming them."""
    result = {}
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    user = user_model._default_manager.get(pk=user.pk)
    result[user_model._meta.label] = (
        user_model,
        _fields(user_model),
        [_row(user, _fields(user_model))],
    )
    for model in apps.get_models():
        label = model._meta.label
        if label in LEFT_OUT or model is user_model:
            continue
        links = _user_links(model)
        if not links:
            continue
        condition = models.Q()
        for link in links:
            condition |= models.Q(**{link.name: user.pk})
        fields = _fields(model)
        rows = [_row(obj, fields) for obj in model._base_manager.filter(condition).distinct()]
        if rows:
            result[label] = (model, fields, rows)
    return result


def _readme(user, collected):
    lines = [
        "Mina uppgifter i PiteBra",
        "========================",
        "",
        f"Konto: {user.get_username()}. Sammanställt {timezone.now():%Y-%m-%d %H:%M} UTC.",
        "Varje fil finns som JSON (för maskinläsning) och CSV (för kalkylprogram).",
        "Lösenord, nycklar och andra hemligheter lämnas inte ut.",
        "",
    ]
    for label, (model, fields, rows) in sorted(collected.items()):
        declaration = declaration_for(model)
        lines.append(f"{label} ({len(rows)} rader)")
        if declaration is not None:
            lines.append(f"  Posttyp: {declaration.record_type}")
            if declaration.purpose:
                lines.append(f"  Ändamål: {declaration.purpose}")
            lines.append(f"  Rättslig grund: {declaration.legal_basis}")
            lines.append(f"  Bevarande: {declaration.retention_text()}")
        lines.append("  Fält:")
        for f in fields:
            lines.append(f"    {f.name}: {capfirst(f.verbose_name)}")
        lines.append("")
    return "\n".join(lines) + "\n"


def my_data_zip(user) -> bytes:
    collected = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", _readme(user, collected))
        for label, (_model, fields, rows) in sorted(collected.items()):
            zf.writestr(
                f"{label}.json",
                json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
            )
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=[f.name for f in fields])
            writer.writeheader()
            for row in rows:
                writer.writerow({k: "" if v is None else csv_value(v) for k, v in row.items()})
            zf.writestr(f"{label}.csv", out.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()
