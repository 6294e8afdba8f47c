"""Import an agreement archive into this installation: new ids, links intact, all or nothing."""

import contextlib
import hashlib
import json
import os
import zipfile
import zlib
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, SuspiciousOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, models, transaction
from django.db.models import Q
from django.utils import timezone

from ..dataprotection.erasure import reapply_erasures
from ..signals import agreement_imported
from .archive import CONTENT_TYPE, FORMAT, FORMAT_VERSION, schema_version
from .graph import (
    AGREEMENT,
    IMPORT_MARKS,
    MATCH_QUERIES,
    USER,
    agreement_paths,
    exported_field_names,
    forward_fks,
    is_shared,
    label,
    restorable_models,
)


class ArchiveError(Exception):
    """The archive is refused; nothing was imported."""


# A member unpacking to more than this many times its packed size is refused (a zip bomb);
# members under RATIO_FLOOR bytes are too small to matter whatever their ratio.
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
CHUNK = 1024 * 1024
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error)


def _check_directory(zf, limit):
    """Sizes as the zip's directory claims them, before anything is unpacked."""
    infos = zf.infolist()
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise ArchiveError("The archive holds two members with the same name.")
    total = 0
    for info in infos:
        if info.file_size > limit:
            raise ArchiveError(
                f"{info.filename}: {info.file_size / 2**20:.0f} MB unpacked; the limit is "
                f"{limit / 2**20:.0f} MB per member (PITEBRA_ARCHIVE_MAX_MB)."
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ArchiveError(
                f"{info.filename}: compressed more than {MAX_RATIO}:1; refused as a zip bomb."
            )
        total += info.file_size
    if total > limit:
        raise ArchiveError(
            f"The archive unpacks to {total / 2**20:.0f} MB; the limit is "
            f"{limit / 2**20:.0f} MB (PITEBRA_ARCHIVE_MAX_MB)."
        )
    return {info.filename: info for info in infos}


def _streamed_sha256(zf, info):
    """The member's SHA-256, read in chunks: never more than one chunk in memory."""
    digest, size = hashlib.sha256(), 0
    with zf.open(info) as handle:
        while chunk := handle.read(CHUNK):
            size += len(chunk)
            if size > info.file_size:
                raise ArchiveError(f"{info.filename}: longer than the archive's directory says.")
            digest.update(chunk)
    return digest.hexdigest()


class _Members:
    """The checked members, read from the zip when the importer asks for one."""

    def __init__(self, zf, names):
        self.zf, self.names = zf, names

    def __getitem__(self, name):
        if name not in self.names:
            raise KeyError(name)
        return self.zf.read(name)


@contextlib.contextmanager
def open_archive(path):
    """The manifest and the members, after the sizes, the member list, every SHA-256 sum and
    the schema are checked. Memory stays flat whatever the archive claims."""
    limit = settings.PITEBRA_ARCHIVE_MAX_MB * 2**20
    try:
        if os.path.getsize(path) > limit:
            raise ArchiveError(f"The archive is larger than {limit / 2**20:.0f} MB.")
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS as error:
        raise ArchiveError(f"Not a readable zip archive: {error}") from error
    with zf:
        try:
            infos = _check_directory(zf, limit)
            if "manifest.json" not in infos:
                raise ArchiveError("The archive has no manifest.json.")
            manifest = json.loads(zf.read("manifest.json"))
            sums = manifest.get("sha256", {}) if isinstance(manifest, dict) else None
            if not isinstance(sums, dict):
                raise ArchiveError("The archive has no readable manifest.json.")
            _check_manifest(manifest)
            names = set(infos) - {"manifest.json"}
            if missing := sorted(set(sums) - names):
                raise ArchiveError(f"Members listed in the manifest are missing: {missing[:5]}")
            if unlisted := sorted(names - set(sums)):
                raise ArchiveError(
                    f"The archive's members do not match its manifest: {unlisted[:5]} unlisted."
                )
            for name in sorted(names):
                if _streamed_sha256(zf, infos[name]) != sums[name]:
                    raise ArchiveError(f"{name}: its SHA-256 sum does not match the manifest.")
        except ValueError as error:
            raise ArchiveError("The archive has no readable manifest.json.") from error
        except _ZIP_ERRORS as error:
            raise ArchiveError(f"Not a readable zip archive: {error}") from error
        yield manifest, _Members(zf, names)


def _check_manifest(manifest):
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveError("Not a PiteBra agreement archive of a format this version reads.")
    if manifest.get("schema") != schema_version():
        raise ArchiveError(
            "The archive was written by another schema version "
            f"({manifest.get('schema')}); this installation has {schema_version()}. "
            "Import it into an installation of the same version, then upgrade."
        )


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


def _timestamp_fields(model):
    return [
        field.attname
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]


def _keep_timestamps(model, objs, create):
    """Imported rows keep their dates: `create` (bulk_create) stamps auto_now and auto_now_add
    fields with the present moment, so the archive's values are written back afterwards with
    an UPDATE, which never stamps; no field is switched off for the rest of the process."""
    names = _timestamp_fields(model)
    recorded = [{name: getattr(obj, name) for name in names} for obj in objs]
    created = create(objs)
    if names and created:
        for obj, values in zip(created, recorded, strict=True):
            for name, value in values.items():
                if value is not None:
                    setattr(obj, name, value)
        model._default_manager.bulk_update(created, names)
    return created


class _Importer:
    def __init__(self, members, *, match_users=False, archive_sha256=""):
        self.members = members
        self.match_users = match_users
        self.marks = dict(zip(IMPORT_MARKS, (archive_sha256, timezone.now()), strict=True))
        self.usernames = set()  # usernames given to users created by this import
        self.renamed = {}  # archive username -> the username it was created with
        self.ids = defaultdict(dict)  # label -> {old pk: new pk}
        self.deferred = []  # (model, new pk, field name, target label, old target pk)
        self.m2m = []  # (model, field, new pk, [old target pks])
        self.stored_files = []
        self.matched = defaultdict(int)
        self.created = defaultdict(int)
        self.skipped = defaultdict(int)

    def _match(self, model, fields):
        """An existing shared row: a user only by exact username, only when the operator asks
        (--match-users), and never a staff or superuser account; others by a unique field."""
        name = label(model)
        if name == USER:
            username = fields.get("username")
            if not self.match_users or not isinstance(username, str) or not username:
                return None
            return model._default_manager.filter(
                username=username, is_staff=False, is_superuser=False
            ).first()
        if name in MATCH_QUERIES:
            query = MATCH_QUERIES[name](fields)
            return model._default_manager.filter(**query).first() if query else None
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key and fields.get(field.name):
                found = model._default_manager.filter(**{field.name: fields[field.name]}).first()
                if found:
                    return found
        return None

    def _free_username(self, model, username):
        """The archive's username, or (when an account here has it) the same with a suffix:
        an archive's person never becomes an existing account unless matched."""
        base, n = username[:135], 1
        candidate = username
        while (
            candidate in self.usernames
            or model._default_manager.filter(username=candidate).exists()
        ):
            candidate = f"{base}-import" + (f"-{n}" if n > 1 else "")
            n += 1
        self.usernames.add(candidate)
        if candidate != username:
            self.renamed[username] = candidate
        return candidate

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
        readable = set(exported_field_names(model))  # what an export writes, nothing more
        for field in model._meta.concrete_fields:
            if field.name not in readable or field.name not in fields:
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
        for name in IMPORT_MARKS:
            if any(f.name == name for f in model._meta.concrete_fields):
                kwargs[name] = self.marks[name]
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
        pks = [record["pk"] for record in records]
        if len(set(pks)) != len(pks):
            raise ArchiveError(f"{name}: two records with the same id.")
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
            if name == USER:
                if not isinstance(obj.username, str) or not 0 < len(obj.username) <= 150:
                    raise ArchiveError("A person in the archive has no valid username.")
                obj.is_active = obj.is_staff = obj.is_superuser = False
                obj.set_unusable_password()
                obj.username = self._free_username(model, obj.username)
            built.append((record, obj, later))
        created = _keep_timestamps(
            model, [obj for _, obj, _ in built], model._default_manager.bulk_create
        )
        self.created[name] += len(created)
        for (record, _, later), obj in zip(built, created, strict=True):
            self.ids[name][record["pk"]] = obj.pk
            for field_name, target, old in later:
                self.deferred.append((model, obj.pk, field_name, target, old))
            readable = set(exported_field_names(model))
            for field in model._meta.many_to_many:
                if field.name in readable and field.name in record["fields"]:
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


def _sha256_of_file(path):
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _check_belonging(importer, root_pk, order):
    """Every created row of the agreement's own models leads to the new agreement, as every
    exported row led to the old one: a row planted beside them is refused."""
    paths = agreement_paths()
    for name in order:
        if name not in paths or name == AGREEMENT:
            continue
        model = apps.get_model(name)
        created = importer.created[name]
        condition = Q()
        for lookup in paths[name]:
            condition |= Q(**{lookup: root_pk})
        belonging = model._default_manager.filter(condition).distinct().count()
        if belonging != created:
            raise ArchiveError(
                f"{name}: {created - belonging} records do not belong to the archive's agreement."
            )
    created_roots = importer.created[AGREEMENT]
    if created_roots != 1:
        raise ArchiveError(f"The archive holds {created_roots} agreements instead of one.")


def import_agreement(path, *, match_users=False):
    """Import the archive; returns (the new agreement, a summary). Raises ArchiveError.

    Only the models an export can hold are read, and of each only the fields an export writes;
    users are created inactive without a password, or with `match_users` matched to an
    existing account of the same username that is neither staff nor superuser.
    """
    with open_archive(path) as (manifest, members):
        return _import(manifest, members, _sha256_of_file(path), match_users)


def _import(manifest, members, archive_sha256, match_users):
    try:
        records = {
            name.removeprefix("records/").removesuffix(".json"): json.loads(members[name])
            for name in sorted(members.names)
            if name.startswith("records/")
        }
    except ValueError as error:
        raise ArchiveError(f"A records member is not JSON: {error}") from error
    refused = sorted(name for name in records if name not in restorable_models())
    if refused:
        raise ArchiveError(f"The archive holds records an export never contains: {refused}")
    if manifest.get("root") != AGREEMENT or AGREEMENT not in records:
        raise ArchiveError("The archive holds no agreement.")
    order = _order(records)
    importer = _Importer(members, match_users=match_users, archive_sha256=archive_sha256)
    try:
        with transaction.atomic():
            for name in order:
                importer.import_model(name, records[name])
            importer.finish()
            root_pk = importer.ids[AGREEMENT][manifest["agreement"]["pk"]]
            _check_belonging(importer, root_pk, order)
            # Accounts closed here stay closed when an older archive names them again.
            reapply_erasures()
            agreement = apps.get_model(AGREEMENT).objects.get(pk=root_pk)
    except (
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
        ObjectDoesNotExist,
        ValidationError,
        SuspiciousOperation,
        DatabaseError,
    ) as error:
        _remove(importer.stored_files)
        raise ArchiveError(f"The archive's records cannot be restored: {error!r}") from error
    except BaseException:
        _remove(importer.stored_files)
        raise
    agreement_imported.send(
        sender=type(agreement), agreement=agreement, archive_sha256=archive_sha256
    )
    summary = {
        "created": {name: importer.created[name] for name in order},
        "matched": dict(importer.matched),
        "skipped": dict(importer.skipped),
        "renamed": dict(importer.renamed),
        "archive_sha256": archive_sha256,
    }
    return agreement, summary


def _remove(stored_files):
    for name in stored_files:
        default_storage.delete(name)
