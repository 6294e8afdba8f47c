"""The second factor: who must have one, enrolment of an authenticator app, backup codes."""

import base64
import binascii
import secrets

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pitebra.models import Membership
from pitebra.permissions import is_coordinator_anywhere

BACKUP_CODE_COUNT = 10
# Backup codes are read off paper: no letters or digits that look alike (l 1 i, o 0).
BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
BACKUP_CODE_LENGTH = 8
APP_DEVICE_NAME = "app"
BACKUP_DEVICE_NAME = "backup"
# A member who need not enrol is not asked again on every request of their session.
SESSION_OPTIONAL = "pitebra_2fa_optional"


def is_required_for(user):
    """Coordinators and the operator always; members of a group that requires it too."""
    return (
        is_coordinator_anywhere(user)
        or Membership.objects.filter(user=user, agreement__require_two_factor=True).exists()
    )


def is_enrolled(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_step(request):
    """The URL name an unverified login must go to, or None when it may go anywhere."""
    user = request.user
    if user.is_verified() or request.session.get(SESSION_OPTIONAL) == user.pk:
        return None
    if has_local_device(user):
        return "security:two-factor-verify"
    if is_required_for(user):
        return "security:two-factor"
    request.session[SESSION_OPTIONAL] = user.pk
    return None


def has_local_device(user):
    """A device that takes a code or a passkey here; not a provider's own second factor."""
    return any(
        device._meta.model_name != "identityproviderdevice" for device in devices_for_user(user)
    )


def passkey_count(user):
    """The user's passkeys (django-otp-webauthn credentials, django-otp devices too)."""
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.filter(user=user, confirmed=True).count()


def pending_app_device(user):
    """The not yet confirmed authenticator device of an enrolment in progress."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_text(device):
    """The secret in base32, as authenticator apps take it typed in, in groups of four."""
    text = base64.b32encode(binascii.unhexlify(device.key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device):
    """The otpauth:// address as an inline SVG QR code, made here (no outside service)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, title="QR", omitsize=False
    )


@transaction.atomic
def confirm_app_device(device):
    """Confirm the app and give the user ten new backup codes (returned: shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return new_backup_codes(device.user)


@transaction.atomic
def new_backup_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [backup_code() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def backup_code():
    return "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(BACKUP_CODE_LENGTH))


def looks_like_backup_code(code):
    """Not six digits from the app: a backup code (perhaps one already used)."""
    return not (code.isdigit() and len(code) == 6)


def remaining_backup_codes(user):
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def reset(user):
    """Remove every second factor of the user: they enrol again at their next login."""
    for device in devices_for_user(user, confirmed=None):
        device.delete()


def issuer():
    return settings.OTP_TOTP_ISSUER
