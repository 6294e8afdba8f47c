"""The audit trail: an append-only record of security-relevant events."""

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
