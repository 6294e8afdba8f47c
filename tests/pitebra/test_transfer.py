"""Backup and restore of one agreement: export_agreement / import_agreement."""

import datetime
import hashlib
import io
import json
import zipfile
from http import HTTPStatus

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from followup.models import PublishedReport
from pitebra.models import Agreement, User
from pitebra.transfer.graph import (
    AGREEMENT,
    EXCLUDED,
    FOREIGN_APPS,
    SHARED,
    exported_models,
    label,
)
from plans.models import Activity, Document

from ..factories import make_user


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_every_model_linked_to_an_agreement_is_exported_or_excluded():
    """Fails when someone adds a model that belongs to an agreement and the backup misses it."""
    # Organisations and users are shared: a link through them (a user's second-factor device)
    # does not make a model the agreement's.
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label not in FOREIGN_APPS and label(m) not in SHARED
    ]
    linked = {AGREEMENT}
    changed = True
    while changed:  # any link at all, optional or many-to-many, counts
        changed = False
        for model in models:
            relations = [*model._meta.concrete_fields, *model._meta.many_to_many]
            targets = {label(f.related_model) for f in relations if f.is_relation}
            if label(model) not in linked and targets & linked:
                linked.add(label(model))
                changed = True
    missing = linked - set(exported_models()) - set(EXCLUDED)
    assert not missing, f"Export these with the agreement, or list them in EXCLUDED: {missing}"
    assert set(EXCLUDED) <= {label(m) for m in models}
    assert {"plans.Activity", "plans.HistoricalActivity", "followup.PublishedReport"} <= set(
        exported_models()
    )
    # Credentials never travel, however they are linked.
    assert not {n for n in exported_models() if n.startswith(("otp_", "axes."))}


def _empty_installation():
    """Every table emptied, as in a new installation (inside the test's transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # TRUNCATE refuses while checks are pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def _archive(path):
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json")), {n: zf.read(n) for n in zf.namelist()}


def _canonical(members):
    """The records with every id replaced by the row's rank in its model: ids may differ."""
    records = {
        name.removeprefix("records/").removesuffix(".json"): json.loads(data)
        for name, data in members.items()
        if name.startswith("records/")
    }
    rank = {name: {r["pk"]: i for i, r in enumerate(items)} for name, items in records.items()}
    result = {}
    for name, items in records.items():
        model = apps.get_model(name)
        original = getattr(model, "instance_type", None)
        rows = []
        for record in items:
            fields = dict(record["fields"])
            for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
                value = fields.get(field.name)
                target = field.related_model and label(field.related_model)
                if field.is_relation and target in rank and value is not None:
                    fields[field.name] = (
                        sorted(rank[target].get(v) for v in value)
                        if field.many_to_many
                        else rank[target].get(value)
                    )
                elif isinstance(value, dict) and "member" in value:
                    value.pop("member")
            if original is not None and label(original) in rank:
                fields["id"] = rank[label(original)].get(fields["id"])
            rows.append(fields)
        result[name] = rows
    return result


def _files(members):
    return sorted(
        hashlib.sha256(data).hexdigest()
        for name, data in members.items()
        if name.startswith(("files/", "blobs/"))
    )


def _all_rows():
    models = [m for m in apps.get_models() if m._meta.app_label not in FOREIGN_APPS]
    return {label(m): m._default_manager.count() for m in models}


def test_round_trip_into_an_empty_installation(demo, media, tmp_path, settings):
    pitea = Agreement.objects.get(
        municipality__name="Piteå kommun", first_year=2023
    )  # the signed one
    Document.objects.create(
        agreement=pitea,
        title="Trygghetsmätning 2024",
        date=datetime.date(2024, 5, 1),
        file=ContentFile(b"%PDF-1.7 trygghet", name="trygghet.pdf"),
        kind=Document.Kind.PDF,
    )
    published = {
        p.version: p.sha256 for p in PublishedReport.objects.filter(report__agreement=pitea)
    }
    assert published
    first = tmp_path / "first.zip"
    call_command("export_agreement", agreement=pitea.pk, output=first, stdout=io.StringIO())
    manifest, members = _archive(first)
    assert manifest["schema"]["plans"] and manifest["counts"]["plans.Activity"] > 20
    raw = b"".join(members.values())
    assert b"pbkdf2" not in raw and b"md5$" not in raw and b"calendar_token" not in raw
    assert "password" not in json.loads(members["records/pitebra.User.json"])[0]["fields"]

    _empty_installation()
    settings.MEDIA_ROOT = tmp_path / "other-installation"
    assert not Agreement.objects.exists()
    out = io.StringIO()
    call_command("import_agreement", first, stdout=out)
    assert "records created" in out.getvalue()

    restored = Agreement.objects.get()
    second = tmp_path / "second.zip"
    call_command("export_agreement", agreement=restored.pk, output=second, stdout=io.StringIO())
    _, again = _archive(second)
    before, after = _canonical(members), _canonical(again)
    # The restore is this installation's own event, exported with the restored agreement after
    # the archive's events (which came back marked as imported).
    events, restore_event = after["security.AuditEvent"][:-1], after["security.AuditEvent"][-1]
    after["security.AuditEvent"] = events
    assert after == before
    assert restore_event["action"] == "import"
    assert hashlib.sha256(first.read_bytes()).hexdigest() in restore_event["summary"]
    assert _files(again) == _files(members)
    for item in PublishedReport.objects.all():
        assert hashlib.sha256(bytes(item.pdf)).hexdigest() == item.sha256 == published[item.version]
    document = Document.objects.get()
    assert document.file.read() == b"%PDF-1.7 trygghet"
    assert not User.objects.filter(is_active=True).exists()
    assert not any(user.has_usable_password() for user in User.objects.all())


def test_users_are_matched_by_exact_username_when_asked_and_kept_as_they_are(demo, media, tmp_path):
    pitea = Agreement.objects.get(
        municipality__name="Piteå kommun", first_year=2023
    )  # the signed one
    archive = tmp_path / "a.zip"
    call_command("export_agreement", agreement=pitea.pk, output=archive, stdout=io.StringIO())
    _empty_installation()
    same_name = make_user(username="samordnare", email="annan@example.se")
    same_name.set_password("eget-lösenord-123")
    same_name.save()
    kommun_email = json.loads(_archive(archive)[1]["records/pitebra.User.json"])
    email = next(r["fields"]["email"] for r in kommun_email if r["fields"]["username"] == "kommun")
    by_email = make_user(username="kommun.annan", email=email.upper())
    call_command("import_agreement", archive, match_users=True, stdout=io.StringIO())
    assert User.objects.filter(username="samordnare").count() == 1
    same_name.refresh_from_db()
    assert same_name.check_password("eget-lösenord-123") and same_name.is_active
    agreement = Agreement.objects.get()
    members = set(agreement.memberships.values_list("user__username", flat=True))
    assert "samordnare" in members
    # An e-mail address is no match: the archive's "kommun" is a new, inactive person.
    assert by_email.pk not in agreement.memberships.values_list("user", flat=True)
    assert not User.objects.get(username="kommun").is_active


def _rewrite(source, target, change):
    with zipfile.ZipFile(source) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    change(members)
    with zipfile.ZipFile(target, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_a_tampered_or_foreign_archive_is_refused_and_leaves_nothing_behind(demo, media, tmp_path):
    pitea = Agreement.objects.get(
        municipality__name="Piteå kommun", first_year=2023
    )  # the signed one
    good = tmp_path / "good.zip"
    call_command("export_agreement", agreement=pitea.pk, output=good, stdout=io.StringIO())
    before = _all_rows()

    def tamper(members):
        members["records/plans.Activity.json"] = members["records/plans.Activity.json"].replace(
            b'"title": "', b'"title": "X', 1
        )

    def other_schema(members):
        manifest = json.loads(members["manifest.json"])
        manifest["schema"]["plans"] = ["9999_from_the_future"]
        members["manifest.json"] = json.dumps(manifest).encode()

    def extra_member(members):
        members["files/evil.sh"] = b"rm -rf /"

    for change, message in [
        (tamper, "SHA-256"),
        (other_schema, "schema"),
        (extra_member, "do not match its manifest"),
    ]:
        bad = tmp_path / f"{change.__name__}.zip"
        _rewrite(good, bad, change)
        with pytest.raises(CommandError, match=message):
            call_command("import_agreement", bad, stdout=io.StringIO())
        assert _all_rows() == before
    not_zip = tmp_path / "not.zip"
    not_zip.write_bytes(b"hello")
    with pytest.raises(CommandError, match="zip"):
        call_command("import_agreement", not_zip, stdout=io.StringIO())


def test_a_failure_half_way_rolls_everything_back(demo, media, tmp_path, monkeypatch):
    pitea = Agreement.objects.get(
        municipality__name="Piteå kommun", first_year=2023
    )  # the signed one
    good = tmp_path / "good.zip"
    call_command("export_agreement", agreement=pitea.pk, output=good, stdout=io.StringIO())
    before = _all_rows()
    real = Activity.objects.bulk_create

    def broken(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(Activity.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        call_command("import_agreement", good, stdout=io.StringIO())
    assert _all_rows() == before


def test_coordinators_download_their_agreements_backup(
    client_for, agreement, coordinator, member, outsider
):
    url = reverse("agreement-export", args=[agreement.pk])
    response = client_for(coordinator).get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/zip"
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("manifest.json"))
    assert manifest["agreement"]["pk"] == agreement.pk
    # The backup is offered on the agreement's settings page.
    page = client_for(coordinator).get(reverse("agreement-settings", args=[agreement.pk]))
    assert url in page.content.decode()
    assert client_for(member).get(url).status_code == HTTPStatus.FORBIDDEN
    assert client_for(outsider).get(url).status_code == HTTPStatus.NOT_FOUND


def test_a_restore_keeps_dates_and_switches_no_field_off_for_the_process(
    db, media, tmp_path, monkeypatch
):
    """Restored rows keep the archive's dates, while every other save in the process (another
    request's thread) goes on stamping its own: no model field is changed during a restore."""
    from plans.models import SituationPicture

    from ..factories import make_agreement, make_picture

    then = datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.UTC)
    agreement = make_agreement()
    picture = make_picture(agreement)
    SituationPicture.objects.filter(pk=picture.pk).update(updated_at=then, created_at=then)
    archive = tmp_path / "backup.zip"
    call_command("export_agreement", agreement=agreement.pk, output=archive, stdout=io.StringIO())
    stamps = SituationPicture._meta.get_field("updated_at"), Agreement._meta.get_field("created_at")
    seen = []
    real = SituationPicture._default_manager.bulk_create

    def watching(*args, **kwargs):
        seen.append([(field.auto_now, field.auto_now_add) for field in stamps])
        return real(*args, **kwargs)

    monkeypatch.setattr(SituationPicture._default_manager, "bulk_create", watching)
    call_command("import_agreement", archive, stdout=io.StringIO())
    assert seen == [[(True, False), (False, True)]]
    restored = SituationPicture.objects.exclude(pk=picture.pk).get()
    assert (restored.updated_at, restored.created_at) == (then, then)
