"""A user's own sign-in security: the second factor, backup codes, log out everywhere."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from .. import two_factor
from ..audit import Action, record
from ..forms import CodeForm, ConfirmPasswordForm, EnrolForm

BACKUP_CODES_SESSION_KEY = "pitebra_new_backup_codes"


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return reverse("home")


# Shows a secret, a QR code or codes: never kept by a browser or proxy cache.
@never_cache
def two_factor_settings(request):
    """Enrol an authenticator app (QR code and the secret as text), or see that one is."""
    user = request.user
    enrolled = two_factor.is_enrolled(user)
    if enrolled:
        return render(
            request,
            "security/two_factor.html",
            {
                "enrolled": True,
                "remaining": two_factor.remaining_backup_codes(user),
                "required": settings.PITEBRA_REQUIRE_2FA and two_factor.is_required_for(user),
                "passkeys": two_factor.passkey_count(user),
            },
        )
    device = two_factor.pending_app_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = two_factor.confirm_app_device(device)
            otp_login(request, device)
            request.session.cycle_key()
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            request.session.pop(two_factor.SESSION_OPTIONAL, None)
            record(Action.TWO_FACTOR_ENROLLED, request=request, obj=user, summary="totp")
            messages.success(request, _("Two-factor login is on for your account."))
            return redirect("security:backup-codes")
        form.add_error("code", _("The code did not match. Check the time on your phone."))
    return render(
        request,
        "security/two_factor.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "otpauth_url": device.config_url,
            "secret": two_factor.secret_text(device),
            "issuer": two_factor.issuer(),
            "required": settings.PITEBRA_REQUIRE_2FA and two_factor.is_required_for(user),
            "next": _next_url(request),
            "passkeys": two_factor.passkey_count(user),
        },
    )


@never_cache
def two_factor_verify(request):
    """The second step of a login: a code from the app or a backup code (or a passkey,
    through django-otp-webauthn's views, which then send the person back here)."""
    if request.method == "GET" and request.user.is_verified():
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return redirect(_next_url(request))
        record(Action.TWO_FACTOR_FAILED, request=request, summary="code")
        if two_factor.looks_like_backup_code(form.cleaned_data["code"]):
            form.add_error(
                "code",
                _(
                    "This backup code is not valid: each backup code works once, so it may "
                    "already have been used. Use another of your backup codes, or the app's code."
                ),
            )
        else:
            form.add_error("code", _("The code is not valid. Try the next code the app shows."))
    context = {
        "form": form,
        "next": _next_url(request),
        "passkeys": two_factor.passkey_count(request.user),
    }
    return render(request, "security/verify.html", context)


# Shows a secret, a QR code or codes: never kept by a browser or proxy cache.
@never_cache
def backup_codes(request):
    """The ten backup codes, shown once after enrolment or after asking for new ones."""
    if request.method == "POST":
        if settings.PITEBRA_REQUIRE_2FA and not request.user.is_verified():
            return redirect("security:two-factor")
        if not two_factor.is_enrolled(request.user):
            return redirect("security:two-factor")
        request.session[BACKUP_CODES_SESSION_KEY] = two_factor.new_backup_codes(request.user)
        return redirect("security:backup-codes")
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("security:two-factor")
    text = _("PiteBra backup codes for %(user)s. Each code works once.") % {
        "user": request.user.get_username()
    }
    text += "\n\n" + "\n".join(codes) + "\n"
    return render(request, "security/backup_codes.html", {"codes": codes, "as_text": text})


@require_POST
def logout_everywhere(request):
    """End every session of the user, on every computer and phone, this one included."""
    user = request.user
    record(Action.LOGOUT_EVERYWHERE, request=request, obj=user, summary="sessions")
    user.end_all_sessions()
    logout(request)
    messages.success(request, _("You have been logged out everywhere."))
    return redirect("login")


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session, with a new key
        record(Action.PASSWORD_CHANGED, request=self.request, obj=self.request.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    # No login after the reset: a lockout and the second factor still apply to the next login.
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        record(Action.PASSWORD_RESET, request=self.request, user=form.user, obj=form.user)
        return response


@never_cache
def my_data(request):
    """Mina uppgifter: the user's own data as a zip, made here and handed over in the page
    (never e-mailed), after they prove it is them again with their second factor (or their
    password, when they have none and none is required)."""
    from pitebra.dataprotection.my_data import my_data_zip

    user = request.user
    enrolled = two_factor.is_enrolled(user)
    blocked = not enrolled and settings.PITEBRA_REQUIRE_2FA and two_factor.is_required_for(user)
    form_class = CodeForm if enrolled else ConfirmPasswordForm
    form = form_class(request.POST or None)
    if request.method == "POST" and not blocked and form.is_valid():
        if enrolled:
            ok = match_token(user, form.cleaned_data["code"]) is not None
        else:
            ok = user.check_password(form.cleaned_data["password"])
        if ok:
            record(Action.EXPORT, request=request, obj=user, summary="own data (zip)")
            response = HttpResponse(my_data_zip(user), content_type="application/zip")
            name = f"mina-uppgifter-{timezone.localdate():%Y-%m-%d}.zip"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        field = "code" if enrolled else "password"
        record(Action.TWO_FACTOR_FAILED, request=request, obj=user, summary="own data")
        form.add_error(field, _("That did not match. Nothing was handed out."))
    return render(
        request,
        "security/my_data.html",
        {"form": form, "enrolled": enrolled, "blocked": blocked},
        status=400 if form.errors else 200,
    )
