"""Audit records and session stamps written on Django's, django-axes' and our models' signals."""

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from pitebra import pagecache
from pitebra.models import Membership
from pitebra.signals import account_closed, agreement_exported, agreement_imported

from . import sign_on, two_factor
from .audit import Action, record
from .middleware import start_session_clock
from .models import AuditEvent, IdentityProvider


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    start_session_clock(request)
    record(Action.LOGIN, request=request, user=user, summary=sign_on.login_summary(request))
    asked = settings.PITEBRA_REQUIRE_2FA and not two_factor.is_required_for(user)
    if asked and not two_factor.is_enrolled(user):
        messages.info(
            request,
            _(
                "Protect your account with two-factor login: choose Security in the "
                "header and set up an authenticator app."
            ),
            fail_silently=True,
        )


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    if getattr(request, "pitebra_refused", False):
        return  # refused by the lockout without checking the password
    # The username as typed (it may name no account); never the password.
    username = str(credentials.get("username", ""))[:150]
    record(Action.LOGIN_FAILED, request=request, username=username, summary="password")


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    """One event per locked username and lockout period, however many requests are refused."""
    username = str(username or "")[:150]
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    if (
        AuditEvent.objects.own()
        .filter(action=Action.LOCKOUT, username=username, at__gte=since)
        .exists()
    ):
        return
    by_username, by_address = getattr(request, "pitebra_failures", (0, 0))
    summary = f"{by_username} failed logins for the name; {by_address} from {ip_address}"
    record(Action.LOCKOUT, request=request, username=username, summary=summary)


@receiver(agreement_exported)
def on_agreement_exported(sender, agreement, **kwargs):
    record(Action.EXPORT, agreement=agreement, summary="agreement backup (zip)")


@receiver(account_closed)
def on_account_closed(sender, erasure, actor=None, **kwargs):
    record(
        Action.ACCOUNT_CHANGED,
        user=actor,
        agreement=erasure.agreement,
        obj=erasure.user,
        summary=f"account closed: {erasure.pseudonym}",
    )


@receiver(agreement_imported)
def on_agreement_imported(sender, agreement, archive_sha256, **kwargs):
    record(Action.IMPORT, agreement=agreement, summary=f"agreement archive {archive_sha256}")


@receiver(pre_save, sender=Membership)
def remember_role(sender, instance, **kwargs):
    if instance.pk:
        instance._previous_role = (
            Membership.objects.filter(pk=instance.pk).values_list("role", flat=True).first()
        )


@receiver(post_save, sender=Membership)
def on_membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    summary = f"{instance.user.get_username()}: {instance.role}"
    if created:
        record(Action.MEMBERSHIP_ADDED, obj=instance, summary=summary)
    elif getattr(instance, "_previous_role", instance.role) != instance.role:
        summary = f"{instance.user.get_username()}: {instance._previous_role} → {instance.role}"
        record(Action.ROLE_CHANGED, obj=instance, summary=summary)


@receiver(post_delete, sender=Membership)
def on_membership_deleted(sender, instance, **kwargs):
    from pitebra.models import Agreement

    # The agreement may be going too (cascade): name it only while it exists.
    agreement = Agreement.objects.filter(pk=instance.agreement_id).first()
    record(
        Action.MEMBERSHIP_REMOVED,
        agreement=agreement,
        obj=instance,
        summary=f"{instance.user.get_username()}: {instance.role}",
    )


@receiver(post_save, sender=IdentityProvider)
@receiver(post_delete, sender=IdentityProvider)
def on_identity_provider_change(sender, **kwargs):
    """The login page lists the enabled providers and is cached under the shared version."""
    if not kwargs.get("raw"):
        pagecache.bump(shared=True)
