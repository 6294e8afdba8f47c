"""Closing an account: access ends at once, and the person is gone from every table, every
history row, the audit trail and every export, replaced by a stable pseudonym; published
reports stay byte-identical; a restore of an older archive does not bring them back."""

import hashlib
import io
import json
import re
import zipfile
from http import HTTPStatus

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse
from django_otp import devices_for_user

from followup.models import PublishedReport
from pitebra.dataprotection.declarations import declaration_for
from pitebra.dataprotection.erasure import close_account
from pitebra.models import Agreement, Erasure, Organisation, User
from pitebra.transfer.archive import export_agreement
from security.models import AuditEvent


def _identifiers(user):
    return {
        "name": user.get_full_name(),
        "email": user.email,
        "phone": user.phone,
    }, user.username


def find_everywhere(texts, username):
    """{model label.field: count} of rows in every model and every text column (history and
    audit included) that hold one of the texts, or the username as a whole value, or (in a
    column that names accounts among other words) the username as a word."""
    hits = {}
    names = [*Organisation.objects.values_list("name", flat=True)]
    names += list(Erasure.objects.values_list("pseudonym", flat=True))
    word = re.compile(rf"(?<![\w.@-]){re.escape(username)}(?![\w@-])", re.IGNORECASE)
    for model in apps.get_models(include_auto_created=True):
        declaration = declaration_for(model)
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                continue
            annotated = model._base_manager.annotate(_t=Cast(field.name, models.TextField()))
            values = list(annotated.values_list("_t", flat=True))
            count, sample = 0, None
            for value in values:
                if value is None:
                    continue
                folded = value.casefold()
                found = any(t.casefold() in folded for t in texts)
                found = found or folded.strip().strip('"') == username.casefold()
                if not found and field.name in declaration.account_fields:
                    unnamed = value
                    for name in names:  # "Piteå kommun" is not the account "kommun"
                        unnamed = unnamed.replace(name, "")
                    found = bool(word.search(unnamed))
                if found:
                    count, sample = count + 1, value
            if count:
                hits[f"{model._meta.label}.{field.name}"] = (count, sample[:80])
    return hits


def find_in_exports(texts, username):
    found = []
    for agreement in Agreement.objects.all():
        with zipfile.ZipFile(io.BytesIO(export_agreement(agreement))) as zf:
            for name in zf.namelist():
                if not name.endswith(".json"):
                    continue
                text = zf.read(name).decode()
                if any(t.casefold() in text.casefold() for t in texts):
                    found.append((agreement.pk, name))
                if json.dumps(username) in text:
                    found.append((agreement.pk, name, "username"))
    return found


def _pdf_sums():
    return {
        report.pk: (hashlib.sha256(bytes(report.pdf)).hexdigest(), report.sha256)
        for report in PublishedReport.objects.all()
    }


def _traces_of(user, demo):
    """What a working group's life leaves besides the demo: a login in the audit trail, a
    contact person typed by hand with a phone number, a saved import choice, a meeting's
    other attendees."""
    from followup.models import Meeting
    from plans.models import Activity, ImportChoice
    from security.audit import Action, record

    record(Action.LOGIN, user=user, summary="password")
    record(
        Action.TWO_FACTOR_RESET,
        user=demo["users"]["samordnare"],
        summary=f"account {user.username}",
    )
    activity = Activity.objects.filter(strategy__goal__plan__agreement=demo["current"]).last()
    activity.contact_name = f"{user.get_full_name()}, {user.phone}"
    activity.save()
    ImportChoice.objects.create(
        agreement=demo["pitea"], kind="organisation", text=user.get_full_name(), action="text"
    )
    # kommun changes the status of one of their activities from the follow-up.
    from plans.services.status import activity_status_update

    theirs = Activity.objects.filter(contact_user=user).last()
    activity_status_update(
        activity=theirs, status="ongoing", traffic_light="yellow", comment="Försenad", by=user
    )
    meeting = Meeting.objects.filter(agreement=demo["pitea"]).first()
    meeting.other_attendees = f"{user.get_full_name().upper()} ({user.email})"
    meeting.save()


@pytest.fixture
def kommun_closed(demo, client_for):
    kommun = demo["users"]["kommun"]
    identifiers, username = _identifiers(kommun)
    texts = [v for v in identifiers.values() if v]
    assert len(texts) == 3  # name, e-mail and phone, all seeded
    _traces_of(kommun, demo)
    before = find_everywhere(texts, username)
    # The person is really everywhere beforehand: the test below is not vacuous.
    assert {
        "pitebra.User.username",
        "pitebra.User.email",
        "pitebra.User.phone",
        "security.AuditEvent.username",
        "security.AuditEvent.summary",
        "plans.Activity.contact_name",
        "plans.HistoricalActivity.contact_name",
        "plans.ImportChoice.text",
        "followup.Meeting.other_attendees",
    } <= set(before)
    edited = apps.get_model("plans.HistoricalActivity").objects.filter(history_user=kommun).first()
    assert edited is not None
    client = client_for(kommun)  # a live session
    assert Session.objects.exists()
    sums = _pdf_sums()
    assert sums
    archive = export_agreement(demo["pitea"])
    erasure = close_account(kommun, actor=demo["users"]["samordnare"])
    return {
        "demo": demo,
        "texts": texts,
        "username": username,
        "before": before,
        "edited_activity": edited.id,
        "sums": sums,
        "archive": archive,
        "erasure": erasure,
        "client": client,
        "user": User.objects.get(pk=kommun.pk),
    }


def test_closing_kommun_removes_them_everywhere_and_keeps_the_public_record(
    kommun_closed, client_for
):
    texts, username = kommun_closed["texts"], kommun_closed["username"]
    # Every table, every text column, history and audit included; every export.
    assert find_everywhere(texts, username) == {}
    assert find_in_exports(texts, username) == []
    # A stable pseudonym naming the organisation.
    erasure, user = kommun_closed["erasure"], kommun_closed["user"]
    assert erasure.pseudonym == "Medlem 1, Piteå kommun"
    assert str(user) == "Medlem 1, Piteå kommun"
    assert erasure.rows_changed > 0
    # The log keeps fingerprints, never the identifiers.
    stored = json.dumps(list(Erasure.objects.values()), default=str)
    assert "kommun@" not in stored and "Karin" not in stored
    # Published reports are public records: byte-identical.
    assert _pdf_sums() == kommun_closed["sums"]
    for actual, recorded in kommun_closed["sums"].values():
        assert actual == recorded
    # Access ended at once.
    assert not user.is_active and not user.has_usable_password()
    assert not user.memberships.exists()
    assert list(devices_for_user(user, confirmed=None)) == []
    for session in Session.objects.all():
        assert session.get_decoded().get("_auth_user_id") != str(user.pk)
    response = kommun_closed["client"].get(reverse("home"))
    assert response.status_code == HTTPStatus.FOUND  # to the login page
    event = AuditEvent.objects.filter(summary__startswith="account closed").get()
    assert event.username == "samordnare"
    # The history of an activity kommun edited reads as a story, with the pseudonym.
    demo = kommun_closed["demo"]
    activity = apps.get_model("plans.Activity").objects.get(pk=kommun_closed["edited_activity"])
    agreement = activity.strategy.goal.plan.agreement
    client = client_for(demo["users"]["samordnare"])
    page = client.get(reverse("plans:activity-detail", args=[agreement.pk, activity.pk]))
    assert "Medlem 1, Piteå kommun" in page.content.decode()
    assert "Karin Kommun" not in page.content.decode()


def test_a_restore_of_an_archive_taken_before_the_closure_does_not_bring_kommun_back(
    kommun_closed, tmp_path
):
    path = tmp_path / "before.zip"
    path.write_bytes(kommun_closed["archive"])
    call_command("import_agreement", str(path), stdout=io.StringIO())
    texts, username = kommun_closed["texts"], kommun_closed["username"]
    assert not User.objects.filter(username__iexact=username).exists()
    assert find_everywhere(texts, username) == {}
    again = User.objects.filter(first_name="Medlem 1,").exclude(pk=kommun_closed["user"].pk)
    assert again.get().is_active is False


def test_close_account_command(member):
    out = io.StringIO()
    call_command("close_account", "medlem", stdout=out)
    assert "Closed: now Medlem 1, " in out.getvalue()
    assert not User.objects.filter(username="medlem").exists()


def test_close_account_command_refuses_an_unknown_name(db):
    with pytest.raises(CommandError, match="No account named nobody"):
        call_command("close_account", "nobody")


def test_a_coordinator_closes_a_member_from_the_working_group_page(
    client_for, coordinator, member, outsider
):
    client = client_for(coordinator)
    page = client.get(reverse("security:working-group")).content.decode()
    url = reverse("security:close-account", args=[member.pk])
    assert url in page
    confirm = client.get(url).content.decode()
    assert "allmänna handlingar" in confirm  # the page says published reports stay
    assert member.username in confirm
    response = client.post(url)
    assert response.status_code == HTTPStatus.FOUND
    member.refresh_from_db()
    assert not member.is_active and member.username.startswith("medlem1")


def test_a_coordinator_cannot_close_an_account_outside_their_groups_or_their_own(
    client_for, coordinator, outsider
):
    client = client_for(coordinator)
    for target in (outsider, coordinator):
        url = reverse("security:close-account", args=[target.pk])
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        assert client.post(url).status_code == HTTPStatus.NOT_FOUND
        target.refresh_from_db()
        assert target.is_active


def test_a_member_cannot_close_accounts(client_for, member, reader):
    url = reverse("security:close-account", args=[reader.pk])
    assert client_for(member).post(url).status_code == HTTPStatus.FORBIDDEN
    reader.refresh_from_db()
    assert reader.is_active
