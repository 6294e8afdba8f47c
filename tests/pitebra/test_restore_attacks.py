"""A restored archive cannot be turned against the installation: each test is an attack.

The manifest's SHA-256 sums prove only that the archive's author computed them, so every
archive here is forged with correct sums: only what an export can contain is restored.
"""

import hashlib
import io
import json
import zipfile
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pitebra.models import Agreement, Membership, User
from pitebra.transfer.archive import export_agreement
from pitebra.transfer.restore import ArchiveError, import_agreement
from security.models import AuditEvent

from ..factories import make_plan_tree, make_user


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def operator(db):
    return make_user(username="operator", is_staff=True, is_superuser=True)


@pytest.fixture
def exported(agreement, coordinator, member, operator, media):
    """An honest archive of a small agreement; the operator is no member of it."""
    make_plan_tree(agreement, activities=2)
    return export_agreement(agreement)


def forge(data, tmp_path, change, name="forged.zip"):
    """The archive after `change(records)`, with a manifest whose sums match again."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    records = {
        n.removeprefix("records/").removesuffix(".json"): json.loads(members.pop(n))
        for n in list(members)
        if n.startswith("records/")
    }
    change(records, manifest)
    for model, items in records.items():
        members[f"records/{model}.json"] = json.dumps(items).encode()
    manifest["sha256"] = {n: hashlib.sha256(d).hexdigest() for n, d in members.items()}
    manifest["counts"] = {model: len(items) for model, items in records.items()}
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for n, d in members.items():
            zf.writestr(n, d)
    return path


def _user_record(records, username):
    return next(r for r in records["pitebra.User"] if r["fields"]["username"] == username)


def _agreement_pk(manifest):
    return manifest["agreement"]["pk"]


def _add_operator(records, manifest, *, pk=999_001):
    """The archive names the installation's operator, as a superuser with a password."""
    records["pitebra.User"].append(
        {
            "pk": pk,
            "fields": {
                "username": "operator",
                "email": "operator@kommun.se",
                "is_superuser": True,
                "is_staff": True,
                "is_active": True,
                "password": "pbkdf2_sha256$1000000$salt$planted",
                "last_login": "2026-01-01T00:00:00+00:00",
                "session_epoch": "planted",
                "groups": [1],
                "user_permissions": [1, 2, 3],
            },
        }
    )
    records["pitebra.Membership"].append(
        {
            "pk": 999_002,
            "fields": {"agreement": _agreement_pk(manifest), "user": pk, "role": "coordinator"},
        }
    )
    return pk


def _rows():
    return (
        Agreement.objects.count(),
        User.objects.count(),
        StaticDevice.objects.count(),
        StaticToken.objects.count(),
        TOTPDevice.objects.count(),
        AuditEvent.objects.count(),
    )


def test_planted_backup_codes_for_the_operator_refuse_the_whole_archive(exported, tmp_path):
    def plant(records, manifest):
        user = _add_operator(records, manifest)
        records["otp_static.StaticDevice"] = [
            {"pk": 1, "fields": {"user": user, "name": "backup", "confirmed": True}}
        ]
        records["otp_static.StaticToken"] = [
            {"pk": 1, "fields": {"device": 1, "token": "planted1"}}
        ]

    before = _rows()
    with pytest.raises(ArchiveError, match="otp_static.StaticDevice"):
        import_agreement(forge(exported, tmp_path, plant), match_users=True)
    assert _rows() == before
    assert not StaticToken.objects.filter(token="planted1").exists()


@pytest.mark.parametrize(
    "model, fields",
    [
        ("otp_totp.TOTPDevice", {"user": 1, "name": "app", "key": "00" * 20, "confirmed": True}),
        ("sessions.Session", {"session_data": "x", "expire_date": "2030-01-01T00:00:00Z"}),
        ("axes.AccessAttempt", {"username": "koordinator", "failures_since_start": 0}),
        ("auth.Group", {"name": "operators"}),
        ("auth.Permission", {"name": "x", "codename": "x", "content_type": ["pitebra", "user"]}),
        ("admin.LogEntry", {"action_flag": 1, "object_repr": "x"}),
        ("pitebra.Nonexistent", {"x": 1}),
    ],
)
def test_records_of_a_model_an_export_never_holds_are_refused(exported, tmp_path, model, fields):
    def plant(records, manifest):
        records[model] = [{"pk": 1, "fields": fields}]

    before = (_rows(), Group.objects.count(), Permission.objects.count())
    with pytest.raises(ArchiveError, match=model.replace(".", r"\.")):
        import_agreement(forge(exported, tmp_path, plant))
    assert (_rows(), Group.objects.count(), Permission.objects.count()) == before


def test_a_superuser_record_gains_no_account_and_no_privilege(exported, tmp_path, operator):
    def plant(records, manifest):
        _add_operator(records, manifest)

    superusers = set(User.objects.filter(is_superuser=True).values_list("pk", flat=True))
    staff = set(User.objects.filter(is_staff=True).values_list("pk", flat=True))
    password = User.objects.get(pk=operator.pk).password
    agreement, summary = import_agreement(forge(exported, tmp_path, plant), match_users=True)

    # The operator's account is neither matched nor changed; it gets no membership.
    operator.refresh_from_db()
    assert operator.password == password and operator.session_epoch != "planted"
    assert not agreement.memberships.filter(user=operator).exists()
    # The archive's "operator" is a new, inactive person without a password or any right.
    planted = User.objects.get(username="operator-import")
    assert summary["renamed"] == {"operator": "operator-import"}
    assert not (planted.is_active or planted.is_staff or planted.is_superuser)
    assert not planted.has_usable_password() and planted.last_login is None
    assert not planted.groups.exists() and not planted.user_permissions.exists()
    assert planted.session_epoch == ""
    assert set(User.objects.filter(is_superuser=True).values_list("pk", flat=True)) == superusers
    assert set(User.objects.filter(is_staff=True).values_list("pk", flat=True)) == staff


def test_a_staff_account_is_never_matched(exported, tmp_path, member):
    member.is_staff = True
    member.save()
    agreement, _ = import_agreement(forge(exported, tmp_path, lambda r, m: None), match_users=True)
    assert not agreement.memberships.filter(user=member).exists()
    assert agreement.memberships.filter(user__username="medlem-import").exists()


def test_users_are_matched_only_by_exact_username_and_only_when_asked(
    exported, tmp_path, coordinator, member
):
    def rename(records, manifest):
        # The same person's e-mail, another case of the username: neither is a match.
        _user_record(records, "koordinator")["fields"]["username"] = "Koordinator"
        _user_record(records, "medlem")["fields"]["email"] = "medlem@kommun.se"

    member.email = "MEDLEM@kommun.se"
    member.save()
    path = forge(exported, tmp_path, rename)
    without, _ = import_agreement(path)
    assert not without.memberships.filter(user__in=[coordinator, member]).exists()
    created = User.objects.filter(memberships__agreement=without)
    assert not created.filter(is_active=True).exists()

    out = io.StringIO()
    call_command("import_agreement", path, match_users=True, stdout=out)
    matched = Agreement.objects.order_by("-pk").first()
    people = set(matched.memberships.values_list("user__username", flat=True))
    assert "medlem" in people  # the exact username, asked for
    assert "koordinator" not in people and "Koordinator" in people
    member.refresh_from_db()
    assert member.is_active and member.has_usable_password()


def test_forged_audit_events_arrive_marked_as_imported(exported, tmp_path, client_for, operator):
    def forge_events(records, manifest):
        user = _user_record(records, "koordinator")["pk"]
        records.setdefault("security.AuditEvent", []).extend(
            {
                "pk": 900_000 + n,
                "fields": {
                    "at": "2026-11-30T08:00:00+00:00",
                    "user": user,
                    "username": "koordinator",
                    "ip_address": "10.0.0.1",
                    "agreement": _agreement_pk(manifest),
                    "action": "login",
                    "summary": "password",
                    "imported_from": "",  # pretending to be this installation's own
                    "imported_at": None,
                },
            }
            for n in range(3)
        )

    path = forge(exported, tmp_path, forge_events)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    own_before = AuditEvent.objects.own().count()
    agreement, _ = import_agreement(path)
    events = AuditEvent.objects.filter(agreement=agreement).exclude(action="import")
    assert events.filter(action="login").count() == 3
    assert set(events.values_list("imported_from", flat=True)) == {sha}
    assert not events.filter(imported_at__isnull=True).exists()
    # The installation's own record of the restore is the agreement's one own event.
    (own,) = AuditEvent.objects.own().filter(agreement=agreement)
    assert own.action == "import" and sha in own.summary
    assert AuditEvent.objects.own().count() == own_before + 1

    page = client_for(operator).get(reverse("security:audit"), {"agreement": agreement.pk})
    assert page.status_code == HTTPStatus.OK
    assert f"Importerad från arkiv {sha[:12]}" in page.content.decode()
    own = client_for(operator).get(reverse("security:audit"), {"origin": "own"})
    assert "Importerad från arkiv" not in own.content.decode()
    csv = client_for(operator).get(reverse("security:audit"), {"format": "csv"})
    assert sha in csv.content.decode()


def test_an_event_or_row_beside_the_agreement_is_refused(exported, tmp_path):
    def installation_wide_login(records, manifest):
        records.setdefault("security.AuditEvent", []).append(
            {
                "pk": 999_999,
                "fields": {"username": "operator", "action": "login", "agreement": None},
            }
        )

    def second_agreement(records, manifest):
        copy = json.loads(json.dumps(records["pitebra.Agreement"][0]))
        copy["pk"] += 1000
        records["pitebra.Agreement"].append(copy)

    before = _rows()
    for change, message in [
        (installation_wide_login, "security.AuditEvent: 1 records do not belong"),
        (second_agreement, "pitebra.Agreement|2 agreements"),
    ]:
        with pytest.raises(ArchiveError, match=message):
            import_agreement(forge(exported, tmp_path, change, name=f"{change.__name__}.zip"))
        assert _rows() == before


def test_malformed_records_are_refused_not_a_crash(exported, tmp_path):
    def broken(records, manifest):
        records["pitebra.Membership"] = [{"pk": 1}]

    with pytest.raises(ArchiveError):
        import_agreement(forge(exported, tmp_path, broken))
    assert Agreement.objects.count() == 1


def test_the_memberships_of_a_matched_person_are_only_in_the_new_agreement(
    exported, tmp_path, agreement, member
):
    restored, _ = import_agreement(forge(exported, tmp_path, lambda r, m: None), match_users=True)
    assert set(Membership.objects.filter(user=member).values_list("agreement", flat=True)) == {
        agreement.pk,
        restored.pk,
    }
