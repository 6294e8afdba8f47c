"""The audit trail: an append-only record of security-relevant events."""

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are never changed.")

    def delete(self):
        raise TypeError("Audit events are removed only by prune_audit.")

    def own(self):
        """This installation's own events: not those a restored archive brought in."""
        return self.filter(imported_from="")

    def imported(self):
        return self.exclude(imported_from="")

    def older_than(self, moment):
        return self.filter(at__lt=moment)

    def prune(self, before, decision="GB-2026:1"):
        """Remove every event before `before` (the retention period) and log it in the thinning
        log: prune_audit's and thinning's one path. On PostgreSQL only the database function
        may delete (security/migrations/0002), and it writes the log itself."""
        from pitebra.models import ThinningLog

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pitebra_thin_audit(%s, %s)", [before, decision])
                removed = cursor.fetchone()[0]
        else:
            removed = models.QuerySet.delete(AuditEvent.objects.older_than(before))[0]
            if removed:
                ThinningLog.objects.create(
                    model=AuditEvent._meta.label, count=removed, cutoff=before, decision=decision
                )
        return removed, {AuditEvent._meta.label: removed}

    def for_coordinator(self, user):
        """Events of the agreements the user coordinates, and the account events (logins,
        second factor) of their working groups' people; every event, for the operator."""
        from pitebra.permissions import agreements_coordinated_by, manageable_accounts

        if user.is_superuser:
            return self
        return self.filter(
            models.Q(agreement__in=agreements_coordinated_by(user))
            | models.Q(agreement__isnull=True, user__in=manageable_accounts(user))
        )


class AuditEvent(models.Model):
    """Who did what, when, from where, in which agreement; never the content of free text."""

    class Action(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOCKOUT = "lockout", _("Lockout")
        LOCKOUT_LIFTED = "lockout_lifted", _("Lockout lifted")
        TWO_FACTOR_ENROLLED = "2fa_enrolled", _("Second factor enrolled")
        TWO_FACTOR_FAILED = "2fa_failed", _("Second factor verification failed")
        TWO_FACTOR_RESET = "2fa_reset", _("Second factor reset")
        TWO_FACTOR_REQUIRED = "2fa_required", _("Second factor required for a working group")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        LOGOUT_EVERYWHERE = "logout_everywhere", _("Logged out everywhere")
        MEMBERSHIP_ADDED = "membership_added", _("Membership added")
        MEMBERSHIP_REMOVED = "membership_removed", _("Membership removed")
        ROLE_CHANGED = "role_changed", _("Role changed")
        ACCOUNT_CHANGED = "account_changed", _("Account changed")
        EXPORT = "export", _("Export")
        CALENDAR_LINK = "calendar_link", _("Calendar link created")
        DOCUMENT_UPLOAD = "document_upload", _("Document uploaded")
        DOCUMENT_DOWNLOAD = "document_download", _("Document downloaded")
        IMPORT = "import", _("Import")
        SITUATION_APPROVED = "situation_approved", _("Situation picture approved")
        REPORT_PUBLISHED = "report_published", _("Report published")
        REPORT_DOWNLOADED = "report_downloaded", _("Report downloaded")
        DELETION = "deletion", _("Deletion")
        SIGN_ON_LINKED = "sign_on_linked", _("Account linked to an identity provider")
        SIGN_ON_REFUSED = "sign_on_refused", _("Sign-in through an identity provider refused")
        INVITATION = "invitation", _("Person invited")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    # No foreign-key constraints: an event outlives the user and the agreement it names.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    username = models.CharField(_("username"), max_length=150, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    agreement = models.ForeignKey(
        "pitebra.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    # Set by import_agreement on the events an archive brought in: they happened elsewhere (or
    # were written by whoever made the archive) and are never this installation's own.
    imported_from = models.CharField(
        _("imported from archive"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("The SHA-256 of the archive that brought this event in; empty for our own."),
    )
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["agreement", "-at"], name="audit_agreement_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '–'} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are removed only by prune_audit.")

    @property
    def is_imported(self):
        return bool(self.imported_from)

    @property
    def object_label(self):
        return f"{self.object_type} {self.object_id}".strip()


class IdentityProvider(models.Model):
    """An organisation's own sign-in service (OpenID Connect or SAML) that PiteBra trusts for
    the people of that organisation only. The client secret is never shown or exported."""

    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML")

    organisation = models.ForeignKey(
        "pitebra.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="identity_providers",
        help_text=_("Only accounts of this organisation can sign in through the provider."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Shown on the login page: 'Log in with NAME'.")
    )
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    mfa_by_idp = models.BooleanField(
        _("the provider requires a second factor"),
        default=False,
        help_text=_(
            "Tick only when the provider itself always asks for a second factor (for example "
            "Conditional Access in Entra ID): a sign-in through it then counts as two-factor."
        ),
    )
    email_domains = models.CharField(
        _("e-mail domains"),
        max_length=300,
        blank=True,
        help_text=_(
            "Comma-separated (pitea.se, polisen.se): a person who types such an address on "
            "the login page is sent to this provider."
        ),
    )
    # OpenID Connect, read from the discovery document when the provider is registered.
    discovery_url = models.CharField(_("discovery URL"), max_length=500, blank=True)
    issuer = models.CharField(_("issuer"), max_length=500, blank=True)
    authorization_endpoint = models.CharField(
        _("authorisation endpoint"), max_length=500, blank=True
    )
    token_endpoint = models.CharField(_("token endpoint"), max_length=500, blank=True)
    userinfo_endpoint = models.CharField(_("user info endpoint"), max_length=500, blank=True)
    jwks_uri = models.CharField(_("signing keys (JWKS) URL"), max_length=500, blank=True)
    end_session_endpoint = models.CharField(_("logout endpoint"), max_length=500, blank=True)
    client_id = models.CharField(_("client ID"), max_length=300, blank=True)
    client_secret = models.CharField(_("client secret"), max_length=500, blank=True, editable=False)
    # SAML: the IdP's metadata (XML) as fetched or read when the provider is registered.
    saml_metadata_url = models.CharField(_("SAML metadata source"), max_length=500, blank=True)
    saml_metadata = models.TextField(_("SAML metadata"), blank=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="identity_provider_unique_name"),
        ]

    def __str__(self):
        return self.name

    def __repr__(self):
        # Never the secret, also not in a traceback's locals.
        return f"<IdentityProvider {self.pk} {self.name!r} {self.protocol}>"

    @property
    def domains(self):
        return [d.strip().lower().lstrip("@") for d in self.email_domains.split(",") if d.strip()]


class ExternalAccount(models.Model):
    """A PiteBra account linked to a person at a provider by the provider's stable subject
    (`sub`, or a persistent NameID): after the first sign-in only the subject counts."""

    provider = models.ForeignKey(
        IdentityProvider,
        verbose_name=_("identity provider"),
        on_delete=models.CASCADE,
        related_name="accounts",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="external_accounts",
    )
    subject = models.CharField(_("subject"), max_length=255)
    linked_at = models.DateTimeField(_("linked"), default=timezone.now, editable=False)
    last_sign_in = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("linked account")
        verbose_name_plural = _("linked accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="external_account_unique_subject"
            ),
            models.UniqueConstraint(fields=["provider", "user"], name="external_account_one_each"),
        ]

    def __str__(self):
        return f"{self.user} – {self.provider}"


class Invitation(models.Model):
    """A coordinator's invitation of a person by e-mail: the account (without a password) is
    created at once; the person signs in through their organisation's provider."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="invitation",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return str(self.user)


class IdentityProviderDevice(Device):
    """The provider's own second factor, as a django-otp device: a sign-in through a provider
    marked `mfa_by_idp` logs this device in, so `is_verified()` stays the one check. It never
    accepts a typed code."""

    provider = models.ForeignKey(
        IdentityProvider, verbose_name=_("identity provider"), on_delete=models.CASCADE
    )

    class Meta(Device.Meta):
        verbose_name = _("sign-in through a provider with a second factor")
        verbose_name_plural = _("sign-ins through a provider with a second factor")

    def verify_token(self, token):
        return False
