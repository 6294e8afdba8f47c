"""Export one agreement into a zip: records as JSON, files and PDFs as themselves, a manifest."""

import datetime
import hashlib
import io
import json
import zipfile
from collections import defaultdict

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.migrations.loader import MigrationLoader
from django.db.models import Q
from django.utils import timezone

from .graph import (
    AGREEMENT,
    FOREIGN_APPS,
    SHARED,
    agreement_paths,
    exported_field_names,
    exported_models,
    forward_fks,
    is_anonymous,
    is_shared,
    label,
    shared_own_rows,
)

FORMAT = "pitebra-agreement"
FORMAT_VERSION = 1
CONTENT_TYPE = "contenttypes.ContentType"


def schema_version():
    """The newest migration of each of our apps: an archive is read by the same schema."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {model._meta.app_label for model in apps.get_models()} - FOREIGN_APPS
    leaves = defaultdict(list)
    for app_label, name in loader.graph.leaf_nodes():
        if app_label in ours:
            leaves[app_label].append(name)
    return {app_label: sorted(names) for app_label, names in sorted(leaves.items())}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Encoder(DjangoJSONEncoder):
    """Datetimes to the microsecond (Django's encoder cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


class _Writer:
    def __init__(self, zf):
        self.zf, self.sums = zf, {}

    def add(self, name, data: bytes):
        self.zf.writestr(name, data)
        self.sums[name] = sha256(data)


def _serialize(model, objs, writer):
    """Records as {pk, fields}; binary fields and files become members of their own."""
    names = exported_field_names(model)
    records = serializers.serialize("python", objs, fields=names)
    by_pk = {obj.pk: obj for obj in objs}
    for record in records:
        obj = by_pk[record["pk"]]
        fields = record["fields"]
        for field in model._meta.concrete_fields:
            if field.name not in fields:
                continue
            if isinstance(field, models.BinaryField):
                data = bytes(getattr(obj, field.attname) or b"")
                member = f"blobs/{label(model)}/{obj.pk}.{field.name}"
                writer.add(member, data)
                fields[field.name] = {"member": member, "sha256": sha256(data)}
            elif isinstance(field, models.FileField) and fields[field.name]:
                filefield = getattr(obj, field.name)
                with filefield.open("rb") as handle:
                    data = handle.read()
                member = f"files/{label(model)}/{obj.pk}/{filefield.name}"
                writer.add(member, data)
                fields[field.name] = {"member": member, "name": filefield.name}
            elif (
                field.is_relation
                and label(field.related_model) == CONTENT_TYPE
                and fields[field.name] is not None
            ):
                ct = field.related_model.objects.get_for_id(fields[field.name])
                fields[field.name] = [ct.app_label, ct.model]
    return records


def _references(model, records):
    """{shared model label: ids} that these records point at."""
    wanted = defaultdict(set)
    fks = [f for f in forward_fks(model) if is_shared(f.related_model)]
    m2ms = [f for f in model._meta.many_to_many if is_shared(f.related_model)]
    for record in records:
        for field in fks:
            value = record["fields"].get(field.name)
            if value is not None:
                wanted[label(field.related_model)].add(value)
        for field in m2ms:
            wanted[label(field.related_model)].update(record["fields"].get(field.name, []))
    return wanted


def collect_records(agreement, writer):
    """{model label: records} for the agreement's own rows and the shared rows they name."""
    result = {}
    wanted = defaultdict(set)
    for name, model in exported_models().items():
        condition = Q()
        for lookup in agreement_paths()[name]:
            condition |= Q(**{lookup: agreement.pk})
        queryset = model._default_manager.filter(condition).distinct().order_by("pk")
        result[name] = _serialize(model, list(queryset), writer)
        for shared, ids in _references(model, result[name]).items():
            wanted[shared] |= ids
    for name in SHARED:
        model = apps.get_model(name)
        for lookup in shared_own_rows(model):
            ids = model._default_manager.filter(**{lookup: agreement.pk}).values_list(
                "pk", flat=True
            )
            wanted[name] |= set(ids)
    # Shared rows may name further shared rows (a user's organisation): follow until done.
    done = defaultdict(set)
    while any(wanted[name] - done[name] for name in list(wanted)):
        for name in list(wanted):
            ids = wanted[name] - done[name]
            if not ids:
                continue
            model = apps.get_model(name)
            objs = list(model._default_manager.filter(pk__in=ids).order_by("pk"))
            records = _serialize(model, objs, writer)
            result.setdefault(name, []).extend(records)
            done[name] |= ids
            for shared, more in _references(model, records).items():
                wanted[shared] |= more
    for name, records in result.items():
        records.sort(key=lambda record: record["pk"])
        if is_anonymous(apps.get_model(name)):
            # In the order people answered, one person's answers would sit together: order the
            # rows by their content and number them afresh (no other row links to them).
            records.sort(key=lambda record: json.dumps(record["fields"], cls=_Encoder))
            for number, record in enumerate(records, 1):
                record["pk"] = number
    return result


def export_agreement(agreement) -> bytes:
    """The zip archive of one agreement, as bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        writer = _Writer(zf)
        records = collect_records(agreement, writer)
        for name, items in sorted(records.items()):
            data = json.dumps(items, cls=_Encoder, ensure_ascii=False, indent=1)
            writer.add(f"records/{name}.json", data.encode())
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema": schema_version(),
            "agreement": {"pk": agreement.pk, "title": str(agreement)},
            "root": AGREEMENT,
            "exported_at": timezone.now().isoformat(),
            "counts": {name: len(items) for name, items in sorted(records.items())},
            "sha256": dict(sorted(writer.sums.items())),
        }
        zf.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    return buffer.getvalue()
