"""Import an agreement archive into this installation: new ids, links intact, all or nothing."""

import contextlib
import hashlib
import json
import zipfile
from collections import defaultdict

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction

from ..dataprotection.erasure import reapply_erasures
from .archive import CONTENT_TYPE, FORMAT, FORMAT_VERSION, schema_version
from .graph import MATCH_FIELDS, MATCH_QUERIES, forward_fks, is_shared, label


class ArchiveError(Exception):
    """The archive is refused; nothing was imported."""


def read_archive(path):
    """The manifest and the members, after every SHA-256 sum and the schema are checked."""
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"Not a readable zip archive: {error}") from error
    with zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except (KeyError, ValueError) as error:
            raise ArchiveError("The archive has no readable manifest.json.") from error
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise ArchiveError("Not a PiteBra agreement archive of a format this version reads.")
        if manifest.get("schema") != schema_version():
            raise ArchiveError(
                "The archive was written by another schema version "
                f"({manifest.get('schema')}); this installation has {schema_version()}. "
                "Import it into an installation of the same version, then upgrade."
            )
        sums = manifest.get("sha256", {})
        names = set(zf.namelist()) - {"manifest.json"}
        if names != set(sums):
            raise ArchiveError("The archive's members do not match its manifest.")
        members = {}
        for name in sorted(names):
            data = zf.read(name)
            if hashlib.sha256(data).hexdigest() != sums[name]:
                raise ArchiveError(f"{name}: its SHA-256 sum does not match the manifest.")
            members[name] = data
    return manifest, members


def _recorded_model(model):
    """The model a history model records (simple-history), if its rows' ids need mapping.

    The history of a many-to-many link records the id of an automatic link row that nothing
    else names: that id is kept as it was.
    """
    original = getattr(model, "instance_type", None)
    if original is None or original._meta.auto_created:
        return None
    return original


def _needs(name):
    """The models whose rows must exist before this one's: required links, a history's model."""
    model = apps.get_model(name)
    needs = {label(f.related_model) for f in forward_fks(model) if not f.null}
    if _recorded_model(model) is not None:
        needs.add(label(_recorded_model(model)))
    return needs - {name}


def _order(labels):
    """Models so that each comes after those it needs."""
    pending, ordered = set(labels), []
    while pending:
        ready = sorted(name for name in pending if not (_needs(name) & pending))
        if not ready:
            raise ArchiveError(f"Circular required links between {sorted(pending)}.")
        # Shared models (organisations, users) first: everything else may name them.
        ready.sort(key=lambda name: not is_shared(apps.get_model(name)))
        ordered.append(ready[0])
        pending.remove(ready[0])
    return ordered


@contextlib.contextmanager
def _keep_timestamps(model_list):
    """Imported rows keep their dates: auto_now and auto_now_add are off while they are made."""
    saved = []
    for model in model_list:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class _Importer:
    def __init__(self, members):
        self.members = members
        self.ids = defaultdict(dict)  # label -> {old pk: new pk}
        self.deferred = []  # (model, new pk, field name, target label, old target pk)
        self.m2m = []  # (model, field, new pk, [old target pks])
        self.stored_files = []
        self.matched = defaultdict(int)
        self.skipped = defaultdict(int)

    def _match(self, model, fields):
        """An existing shared row: users by username or e-mail, others by a unique field."""
        name = label(model)
        if name in MATCH_FIELDS:
            for field_name in MATCH_FIELDS[name]:
                value = fields.get(field_name)
                if value:
                    found = model._default_manager.filter(
                        **{f"{field_name}__iexact": value}
                    ).first()
                    if found:
                        return found
            return None
        if name in MATCH_QUERIES:
            query = MATCH_QUERIES[name](fields)
            return model._default_manager.filter(**query).first() if query else None
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key and fields.get(field.name):
                found = model._default_manager.filter(**{field.name: fields[field.name]}).first()
                if found:
                    return found
        return None

    def _value(self, field, value):
        if isinstance(field, models.BinaryField):
            return self.members[value["member"]] if value else value
        if isinstance(field, models.FileField):
            if not value:
                return value
            stored = default_storage.save(value["name"], ContentFile(self.members[value["member"]]))
            self.stored_files.append(stored)
            return stored
        return value

    def _build(self, model, record):
        fields = record["fields"]
        kwargs, later = {}, []
        original = _recorded_model(model)
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name not in fields:
                continue
            value = fields[field.name]
            if field.is_relation and field.many_to_one:
                target = label(field.related_model)
                if value is None:
                    kwargs[field.attname] = None
                elif target == CONTENT_TYPE:
                    kwargs[field.attname] = ContentType.objects.get_by_natural_key(*value).pk
                elif value in self.ids[target]:
                    kwargs[field.attname] = self.ids[target][value]
                elif field.null:
                    kwargs[field.attname] = None
                    later.append((field.name, target, value))
                else:
                    return None, []  # its required row is not in the archive
            else:
                kwargs[field.attname] = self._value(field, value)
        if original is not None:
            # A history row's `id` is the id of the row it records: that row's new id.
            new_id = self.ids[label(original)].get(fields.get("id"))
            if new_id is None:
                return None, []  # the history of a row that no longer exists
            kwargs["id"] = new_id
        return model(**kwargs), later

    def import_model(self, name, records):
        model = apps.get_model(name)
        shared = is_shared(model)
        built = []
        for record in records:
            if shared:
                found = self._match(model, record["fields"])
                if found is not None:
                    self.ids[name][record["pk"]] = found.pk
                    self.matched[name] += 1
                    continue
            obj, later = self._build(model, record)
            if obj is None:
                self.skipped[name] += 1
                continue
            if name == "pitebra.User":
                obj.is_active = obj.is_staff = obj.is_superuser = False
                obj.set_unusable_password()
            built.append((record, obj, later))
        created = model._default_manager.bulk_create([obj for _, obj, _ in built])
        for (record, _, later), obj in zip(built, created, strict=True):
            self.ids[name][record["pk"]] = obj.pk
            for field_name, target, old in later:
                self.deferred.append((model, obj.pk, field_name, target, old))
            for field in model._meta.many_to_many:
                if field.name in record["fields"]:
                    self.m2m.append((model, field, obj.pk, record["fields"][field.name]))

    def finish(self):
        for model, pk, field_name, target, old in self.deferred:
            if old in self.ids[target]:
                model._default_manager.filter(pk=pk).update(**{field_name: self.ids[target][old]})
        rows = defaultdict(list)
        for _model, field, pk, olds in self.m2m:
            through = field.remote_field.through
            source = field.m2m_field_name()
            target_name = field.m2m_reverse_field_name()
            mapping = self.ids[label(field.related_model)]
            for old in olds:
                if old in mapping:
                    rows[through].append(
                        through(**{f"{source}_id": pk, f"{target_name}_id": mapping[old]})
                    )
        for through, objs in rows.items():
            through._default_manager.bulk_create(objs)


def import_agreement(path):
    """Import the archive; returns (the new agreement, a summary). Raises ArchiveError."""
    manifest, members = read_archive(path)
    records = {
        name.removeprefix("records/").removesuffix(".json"): json.loads(data)
        for name, data in members.items()
        if name.startswith("records/")
    }
    unknown = [name for name in records if not _known(name)]
    if unknown:
        raise ArchiveError(f"The archive holds models this installation does not know: {unknown}")
    order = _order(records)
    importer = _Importer(members)
    try:
        with transaction.atomic(), _keep_timestamps([apps.get_model(n) for n in order]):
            for name in order:
                importer.import_model(name, records[name])
            importer.finish()
            # Accounts closed here stay closed when an older archive names them again.
            reapply_erasures()
            root = manifest["root"]
            agreement = apps.get_model(root).objects.get(
                pk=importer.ids[root][manifest["agreement"]["pk"]]
            )
    except Exception:
        for name in importer.stored_files:
            default_storage.delete(name)
        raise
    summary = {
        "created": {name: len(importer.ids[name]) - importer.matched[name] for name in order},
        "matched": dict(importer.matched),
        "skipped": dict(importer.skipped),
    }
    return agreement, summary


def _known(name):
    try:
        apps.get_model(name)
    except (LookupError, ValueError):
        return False
    return True
