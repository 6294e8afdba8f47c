"""Closing an account: access ends at once, and the person's name, username, e-mail and phone
are replaced everywhere by a stable pseudonym per agreement ("Medlem 7, Piteå kommun").

The replacement walks every installed model and every text column through the app registry
(history rows, the audit trail, saved import choices, task arguments included), so a model
added later is covered without anyone remembering to. Binary columns are left alone: a
published report's PDF is a public record and stays byte-identical. The erasure log keeps
keyed fingerprints, never the identifiers, and `reapply_erasures()` closes again a person an
older archive brings back.
"""

import json
import re

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.crypto import salted_hmac

from .. import pagecache
from ..models import Erasure, Membership, Organisation, User
from ..signals import account_closed
from .declarations import declaration_for

TEXT_FIELDS = (models.CharField, models.TextField)  # EmailField, SlugField are CharFields


def fingerprint(value: str) -> str:
    return salted_hmac("pitebra.erasure", value.strip().casefold(), algorithm="sha256").hexdigest()


def identifiers(user):
    """(texts to replace wherever they appear, the username: replaced where it is a whole
    value, since a username may be a common word, "kommun")."""
    texts = set()
    first, last = user.first_name.strip(), user.last_name.strip()
    if first and last:
        texts |= {f"{first} {last}", f"{last}, {first}", f"{last} {first}"}
    if user.email.strip():
        texts.add(user.email.strip())
    phone = getattr(user, "phone", "").strip()
    if phone:
        texts.add(phone)
        digits = re.sub(r"\D", "", phone)
        if len(digits) >= 6:
            texts.add(digits)
    return sorted(texts, key=len, reverse=True), user.get_username()


def _replacer(texts, username, pseudonym, *, username_as_word=False):
    """A function that replaces the identifiers in a value. Where the username is replaced as a
    word, organisations' names and pseudonyms that hold it ("Piteå kommun") are left whole."""
    protected = []
    alternatives = [re.escape(t) for t in texts]
    if username_as_word:
        word = re.compile(rf"(?<![\w.@-]){re.escape(username)}(?![\w@-])", re.IGNORECASE)
        names = [*Organisation.objects.values_list("name", flat=True), pseudonym]
        names += list(Erasure.objects.values_list("pseudonym", flat=True))
        protected = sorted({n for n in names if word.search(n)}, key=len, reverse=True)
        alternatives = [re.escape(p) for p in protected] + alternatives + [word.pattern]
    pattern = re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None
    keep = {p.casefold() for p in protected}

    def substitute(match):
        return match.group(0) if match.group(0).casefold() in keep else pseudonym

    def replace(value):
        if not isinstance(value, str):
            return value
        if value.strip().casefold() == username.casefold():
            return pseudonym
        return pattern.sub(substitute, value) if pattern else value

    return replace


def _replace_json(value, replace):
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_replace_json(v, replace) for v in value]
    if isinstance(value, dict):
        return {replace(k): _replace_json(v, replace) for k, v in value.items()}
    return value


def text_columns(model):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (*TEXT_FIELDS, models.JSONField)) and not field.primary_key
    ]


def _matching(model, field, texts, username, *, as_word):
    """Rows of `model` whose `field` holds one of the identifiers."""
    manager = model._base_manager
    if isinstance(field, models.JSONField):
        name = f"_{field.name}_text"
        queryset = manager.annotate(**{name: Cast(field.name, models.TextField())})
    else:
        name, queryset = field.name, manager.all()
    condition = Q(**{f"{name}__{'icontains' if as_word else 'iexact'}": username})
    if isinstance(field, models.JSONField):
        condition |= Q(**{f"{name}__icontains": json.dumps(username)})
    for text in texts:
        condition |= Q(**{f"{name}__icontains": text})
    return queryset.filter(condition)


def _announce_erasure():
    """On PostgreSQL the audit table refuses UPDATE unless this transaction says it erases
    (security/migrations/0002)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pitebra.erasure', 'on', true)")


def scrub(texts, username, pseudonym, *, skip=()):
    """Replace the identifiers in every text column of every model; the number of rows changed.

    Writes go through the plain QuerySet.update, past the models' own save() and update()
    (the audit trail refuses both for everything but this and thinning).
    """
    _announce_erasure()
    changed = 0
    for model in apps.get_models(include_auto_created=True):
        declaration = declaration_for(model)
        by_word = set(declaration.account_fields) if declaration else set()
        for field in text_columns(model):
            as_word = field.name in by_word
            replace = _replacer(texts, username, pseudonym, username_as_word=as_word)
            for obj in _matching(model, field, texts, username, as_word=as_word):
                if (model, obj.pk) in skip:
                    continue
                old = getattr(obj, field.attname)
                if isinstance(field, models.JSONField):
                    new = _replace_json(old, replace)
                elif isinstance(field, models.EmailField) and old.strip().casefold() in {
                    t.casefold() for t in texts
                }:
                    new = ""
                else:
                    new = replace(old)[: field.max_length] if field.max_length else replace(old)
                if new != old:
                    models.QuerySet.update(
                        model._base_manager.filter(pk=obj.pk), **{field.attname: new}
                    )
                    changed += 1
    return changed


def _end_access(user):
    """Inactive, no password, no sessions, no second factor, no working group."""
    from django_otp import devices_for_user

    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
    for session in Session.objects.all().iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
    Membership.objects.filter(user=user).delete()


def _pseudonym(user, agreement):
    org = user.organisation or (agreement.municipality if agreement else None)
    numbers = Erasure.objects.filter(agreement=agreement).values_list("number", flat=True)
    number = max(numbers, default=0) + 1
    text = f"Medlem {number}, {org}" if org else f"Medlem {number}"
    return number, text


def _pseudonymise_user(user, text, username):
    first, _, last = text.partition(", ")
    user.first_name = f"{first}," if last else first
    user.last_name = last
    user.username = username
    user.email = ""
    user.phone = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.receives_reminders = False
    user.calendar_token_hash = ""
    user.set_unusable_password()
    user.session_epoch = "closed"
    models.Model.save(user)


def _free_username(base):
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def close_account(user, *, actor=None):
    """End `user`'s access and replace them everywhere by a pseudonym; returns the Erasure."""
    if Erasure.objects.filter(user=user).exists():
        raise ValueError("This account is already closed.")
    membership = Membership.objects.filter(user=user).select_related("agreement").first()
    agreement = membership.agreement if membership else None
    number, text = _pseudonym(user, agreement)
    texts, username = identifiers(user)
    fingerprints = sorted({fingerprint(v) for v in [username, user.email] if v.strip()})
    pseudonym_username = _free_username(
        f"medlem{number}" + (f".a{agreement.pk}" if agreement else "")
    )
    _pseudonymise_user(user, text, pseudonym_username)
    _end_access(user)
    changed = scrub(texts, username, text, skip={(User, user.pk)})
    erasure = Erasure.objects.create(
        agreement=agreement,
        number=number,
        pseudonym=text,
        user=user,
        fingerprints=fingerprints,
        rows_changed=changed,
    )
    pagecache.bump()
    account_closed.send(sender=Erasure, erasure=erasure, actor=actor)
    return erasure


def reapply_erasures():
    """Close again every account an imported archive brought back: a user whose username or
    e-mail matches an erasure's fingerprints gets that erasure's pseudonym. Returns how many.

    Called by the importer inside its transaction (pitebra/transfer/restore.py)."""
    by_print = {}
    for erasure in Erasure.objects.all():
        for value in erasure.fingerprints:
            by_print[value] = erasure
    if not by_print:
        return 0
    closed = {e.user_id for e in by_print.values()}
    count = 0
    for user in User.objects.exclude(pk__in=closed).iterator():
        prints = {fingerprint(v) for v in [user.get_username(), user.email] if v.strip()}
        erasure = next((by_print[p] for p in prints if p in by_print), None)
        if erasure is None:
            continue
        texts, username = identifiers(user)
        base = erasure.user.username if erasure.user else f"medlem{erasure.number}"
        _pseudonymise_user(user, erasure.pseudonym, _free_username(base))
        _end_access(user)
        scrub(texts, username, erasure.pseudonym, skip={(User, user.pk)})
        count += 1
    if count:
        pagecache.bump()
    return count
