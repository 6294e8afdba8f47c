"""Core records: people, organisations, agreements, their working groups and the yearly cycle.

One module past 300 lines on purpose: these models refer to one another (a membership joins a
user to an agreement, an agreement names its organisations), and every app imports them here.
"""

import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .validators import validate_organisation_number

DEFAULT_WORKING_METHOD = _(
    "1. The municipality and the police collect facts about the state of the municipality.\n"
    "2. A joint situation picture is drawn up.\n"
    "3. Concrete action plans are drawn up for suitable measures: who does what and when?\n"
    "4. Concrete operational work is carried out.\n"
    "5. The results are followed up and the crime-prevention efforts are evaluated."
)


def created_by_field(verbose_name=None, related_name="+"):
    """Who made the row; the row outlives the account (the field is then empty)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name or _("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
    )


def created_at_field(verbose_name=None):
    """When the row was made; set once, by the database save."""
    return models.DateTimeField(verbose_name or _("created at"), auto_now_add=True)


class Created(models.Model):
    """Who made a row and when. A model that names the two in its own words (a log entry is
    "logged by") declares them again with the same two field helpers."""

    created_by = created_by_field()
    created_at = created_at_field()

    class Meta:
        abstract = True


class OrganisationQuerySet(models.QuerySet):
    def of_agreements(self, agreements):
        """The organisations of these agreements: their parties and the partners registered on
        them. Every list, filter and choice of organisations starts here."""
        agreements = Agreement.objects.filter(pk__in=agreements.values("pk"))
        return self.filter(
            Q(agreement__in=agreements)
            | Q(pk__in=agreements.values("municipality"))
            | Q(pk__in=agreements.values("police_area"))
            | Q(
                pk__in=Agreement.partners.through.objects.filter(agreement__in=agreements).values(
                    "organisation"
                )
            )
        )

    def of_agreement(self, agreement):
        return self.of_agreements(Agreement.objects.filter(pk=agreement.pk))


class Organisation(models.Model):
    """A party to an agreement, or a partner in its activities.

    A partner belongs to the agreement it was registered on (`agreement`); the same school
    working with two agreements is two rows. Parties (police areas, municipalities) have no
    `agreement`: a police area is a party to several agreements, linked by the agreements'
    own fields.
    """

    class Kind(models.TextChoices):
        POLICE = "police", _("Police")
        MUNICIPALITY = "municipality", _("Municipality")
        PARTNER = "partner", _("Other partner")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    agreement = models.ForeignKey(
        "Agreement",
        verbose_name=_("registered on agreement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_(
            "The agreement this partner works with. Empty for the parties themselves (police "
            "areas and municipalities), which the agreements name."
        ),
    )
    kolada_id = models.CharField(
        _("Kolada id"),
        max_length=4,
        blank=True,
        help_text=_("A municipality's four-digit code in Kolada and SCB, e.g. 2581 for Piteå."),
    )
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_(
            "The legal entity's organisationsnummer, e.g. 212000-2742: the open data names the "
            "publisher by it."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "name"],
                name="organisation_unique_name_per_agreement",
                violation_error_message=_(
                    "This agreement already has an organisation by that name."
                ),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(agreement__isnull=True),
                name="organisation_unique_party_name",
                violation_error_message=_("A party by that name already exists."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def publisher_uri(self):
        """Sweden's open-data portal names a publisher by its organisation number."""
        if not self.organisation_number:
            return None
        return "http://dataportal.se/organisation/SE" + self.organisation_number.replace("-", "")


class User(AbstractUser):
    """A person who logs in; what they may do depends on their memberships."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("The organisation the person works for."),
    )
    calendar_token_hash = models.CharField(
        _("calendar link secret (hash)"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("SHA-256 of the secret in the calendar link; the secret itself is not kept."),
    )
    session_epoch = models.CharField(
        _("session generation"),
        max_length=32,
        blank=True,
        editable=False,
        help_text=_("Changed by 'log out everywhere': every session made before it ends."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=40,
        blank=True,
        help_text=_("A work phone number the working group may call."),
    )
    receives_reminders = models.BooleanField(
        _("e-mail reminders"),
        default=True,
        help_text=_(
            "A digest of my overdue and soon-due activities and missing evaluations by e-mail."
        ),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None):
        # Django's hash of the password, plus our generation: "log out everywhere" changes it.
        return salted_hmac(
            "pitebra.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def end_all_sessions(self):
        self.session_epoch = secrets.token_hex(16)
        self.save(update_fields=["session_epoch"])

    @staticmethod
    def hash_calendar_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    def new_calendar_token(self):
        """A new secret for the calendar link; only its hash is stored, so show it now."""
        token = secrets.token_urlsafe(32)
        self.calendar_token_hash = self.hash_calendar_token(token)
        self.save(update_fields=["calendar_token_hash"])
        return token


class AgreementQuerySet(models.QuerySet):
    def public(self):
        """The agreements whose public page a coordinator turned on."""
        return self.filter(public=True)

    def for_user(self, user):
        """The agreements whose working group the user belongs to (all, for a superuser)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user).distinct()

    def with_member_in_role(self, user, roles):
        """The agreements where `user` holds one of `roles` (pitebra/permissions.py says which)."""
        return self.filter(memberships__user=user, memberships__role__in=roles).distinct()


def default_short_name(municipality, first_year, last_year):
    """ "Piteå kommun", 2026, 2028 → "Piteå 2026–2028"."""
    place = re.sub(r"s? kommun$", "", municipality.strip())
    return f"{place} {first_year}–{last_year}"[:60]


class Agreement(models.Model):
    """A signed agreement (överenskommelse) between a police area and a municipality."""

    title = models.CharField(_("title"), max_length=300)
    short_name = models.CharField(
        _("short name"),
        max_length=60,
        blank=True,
        help_text=_("E.g. “Piteå 2026–2028”: the heading of the dashboard and the menus."),
    )
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="municipality_agreements",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY},
    )
    police_area = models.ForeignKey(
        Organisation,
        verbose_name=_("police area"),
        on_delete=models.PROTECT,
        related_name="police_agreements",
        limit_choices_to={"kind": Organisation.Kind.POLICE},
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("other parties"),
        blank=True,
        related_name="partner_agreements",
        help_text=_("Other organisations that have signed or joined the agreement."),
    )
    first_year = models.PositiveSmallIntegerField(_("first operating year"))
    last_year = models.PositiveSmallIntegerField(_("last operating year"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signatories = models.TextField(
        _("signatories"), blank=True, help_text=_("One per line: name and role.")
    )
    revise_by = models.DateField(
        _("revise by"), help_text=_("The agreement must be revised at the latest on this date.")
    )
    introduction = models.TextField(_("introduction"), blank=True)
    working_method = models.TextField(
        _("working method"),
        default=DEFAULT_WORKING_METHOD,
        help_text=_("The five steps the parties agreed to work by."),
    )
    motto = models.CharField(_("motto"), max_length=200, blank=True)
    reported_to = models.CharField(
        _("reported to"),
        max_length=300,
        blank=True,
        help_text=_("Who receives the follow-up, e.g. Folkhälsorådet and leadership."),
    )
    summary_due = models.CharField(
        _("written summary due"),
        max_length=200,
        blank=True,
        help_text=_("When the written summary is made, e.g. at every year end."),
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
    )
    created_at = created_at_field()
    require_two_factor = models.BooleanField(
        _("require two-factor login"),
        default=False,
        help_text=_(
            "Every member of the working group must log in with a second factor "
            "(coordinators always must)."
        ),
    )
    public = models.BooleanField(
        _("public page"),
        default=False,
        help_text=_(
            "Anyone may read the agreement's public page and open data without logging in: the "
            "parties, the citizen promises and their progress, the public activities and the "
            "published reports. Turned on from the public page's settings, which check the "
            "texts for personal data first."
        ),
    )
    public_contact = models.EmailField(
        _("public contact address"),
        blank=True,
        help_text=_("A shared mailbox shown on the public page, never a person's own address."),
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-first_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_year__lte=F("last_year")),
                name="agreement_period_ordered",
                violation_error_message=_("The first year must not be after the last year."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.first_year}–{self.last_year})"

    def save(self, *args, **kwargs):
        if not self.short_name and self.municipality_id:
            self.short_name = default_short_name(
                self.municipality.name, self.first_year, self.last_year
            )
        super().save(*args, **kwargs)

    @property
    def name(self):
        """The short name people use ("Piteå 2026–2028"); the legal title is for documents."""
        return self.short_name or self.title

    @property
    def years(self):
        return list(range(self.first_year, self.last_year + 1))

    def covers(self, year):
        """Is `year` one of the agreement's operating years?"""
        return self.first_year <= year <= self.last_year

    def parties(self):
        """The municipality and police area first, then any other parties."""
        return [self.municipality, self.police_area, *self.partners.all()]

    @property
    def file_slug(self):
        """The municipality in ASCII for file names, e.g. 'pitea' (browsers mangle å ä ö)."""
        return slugify(self.municipality.name.split()[0])

    def revision_status(self, today: datetime.date):
        """'revised' once a new agreement was started from this one; otherwise 'overdue' once
        the revise-by date has passed, 'due' within the warning window."""
        revised = getattr(self, "has_successor", None)  # annotated on list pages
        if revised is None:
            revised = self.successors.exists()
        if revised:
            return "revised"
        if today > self.revise_by:
            return "overdue"
        if (self.revise_by - today).days <= settings.REVISION_WARNING_DAYS:
            return "due"
        return None


class PriorityArea(models.Model):
    """A priority area of an agreement with its overarching goal."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="priority_areas",
    )
    name = models.CharField(_("name"), max_length=200)
    overarching_goal = models.CharField(_("overarching goal"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        ordering = ["agreement", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="priority_area_unique_name"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user's place, with a role, in one agreement's working group."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MEMBER = "member", _("Member")
        READER = "reader", _("Reader")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.MEMBER,
        help_text=_(
            "Members edit the plan and follow-up; coordinators also manage the agreement and "
            "publish reports; readers read and download published reports."
        ),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agreement", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "user"], name="membership_unique_user"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class StepStatus(models.Model):
    """Where one of the five steps stands in one operating year of an agreement."""

    class Step(models.IntegerChoices):
        FACTS = 1, _("Facts")
        SITUATION = 2, _("Joint situation picture")
        PLAN = 3, _("Implementation plan")
        OPERATIONS = 4, _("Operational work")
        FOLLOW_UP = 5, _("Follow-up and evaluation")

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="step_statuses",
    )
    year = models.PositiveSmallIntegerField(_("operating year"))
    step = models.PositiveSmallIntegerField(_("step"), choices=Step.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NOT_STARTED
    )

    class Meta:
        verbose_name = _("step status")
        verbose_name_plural = _("step statuses")
        ordering = ["agreement", "year", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "step"], name="step_status_unique"
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_step_display()}: {self.get_state_display()}"


class DataVersion(models.Model):
    """One row per agreement, and one for shared data, whose token changes on every write to
    what it covers: the keys of cached page parts.

    Kept in the database (not the cache) so every app server and worker sees a bump at once,
    whatever cache backend runs; see `pitebra.pagecache`.
    """

    scope = models.CharField(
        _("scope"), max_length=40, unique=True, help_text=_("'shared', or 'agreement:<id>'.")
    )
    token = models.CharField(_("token"), max_length=32, default="0")

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self):
        return f"{self.scope}: {self.token}"


class Erasure(models.Model):
    """A closed account: the pseudonym that replaced the person, and keyed fingerprints of what
    identified them, so a restore of an older archive closes them again (never the identifiers
    themselves: the log must not name whom it erased)."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasures",
    )
    number = models.PositiveIntegerField(_("member number"))
    pseudonym = models.CharField(_("pseudonym"), max_length=200)
    user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    fingerprints = models.JSONField(_("fingerprints"), default=list)
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    rows_changed = models.PositiveIntegerField(_("rows changed"), default=0)

    class Meta:
        verbose_name = _("closed account")
        verbose_name_plural = _("closed accounts")
        ordering = ["-closed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="erasure_unique_number_per_agreement"
            ),
        ]

    def __str__(self):
        return self.pseudonym


class ThinningLog(models.Model):
    """One thinning (gallring): what went, how many, when, under which decision. Kept."""

    at = models.DateTimeField(_("time"), auto_now_add=True)
    model = models.CharField(_("record type"), max_length=100)
    count = models.PositiveIntegerField(_("rows"))
    cutoff = models.DateTimeField(_("older than"))
    decision = models.CharField(_("decision"), max_length=50)

    class Meta:
        verbose_name = _("thinning")
        verbose_name_plural = _("thinnings")
        ordering = ["-at", "model"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.model}: {self.count}"


class Municipality(models.Model):
    """One of Sweden's 290 municipalities, from the register in `pitebra/data/municipalities.csv`.

    Loaded by a migration; an operator starts an agreement by choosing one, and its party
    (an Organisation) carries the code as its Kolada id.
    """

    code = models.CharField(
        _("municipality code"),
        max_length=4,
        unique=True,
        help_text=_("SCB's four-digit kommunkod, also the municipality's id in Kolada."),
    )
    name = models.CharField(_("name"), max_length=100)
    county_code = models.CharField(_("county code"), max_length=2)
    county_name = models.CharField(_("county"), max_length=100)
    organisation_number = models.CharField(_("organisation number"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def kolada_id(self):
        return self.code


class PoliceRegion(models.Model):
    """One of the Swedish Police Authority's seven regions (polisregioner)."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("police region")
        verbose_name_plural = _("police regions")
        ordering = ["name"]

    def __str__(self):
        return f"Polisregion {self.name}"


class LocalPoliceArea(models.Model):
    """A local police area (lokalpolisområde) and the municipalities it covers, from the
    register in `pitebra/data/police_areas.csv`. An operator starts an agreement with one."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("The register's own code: Polisen publishes none."),
    )
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        PoliceRegion,
        verbose_name=_("police region"),
        on_delete=models.PROTECT,
        related_name="local_areas",
    )
    police_district = models.CharField(_("police district"), max_length=100)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities"), related_name="local_police_areas"
    )

    class Meta:
        verbose_name = _("local police area")
        verbose_name_plural = _("local police areas")
        ordering = ["name"]

    def __str__(self):
        return f"Lokalpolisområde {self.name}"
