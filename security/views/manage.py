"""Coordinators' and the operator's page: lockouts, second factors, the group's requirement."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from pitebra.dataprotection.erasure import close_account as close_account_service
from pitebra.models import Membership, User
from pitebra.permissions import (
    agreements_coordinated_by,
    is_coordinator_anywhere,
    manageable_accounts,
    may_manage_account,
)

from .. import lockout, sign_on, two_factor
from ..audit import Action, agreement_for_account, record
from ..forms import InviteForm


def _coordinator_only(request):
    if not is_coordinator_anywhere(request.user):
        raise PermissionDenied


def working_group_security(request):
    _coordinator_only(request)
    by_username, by_address = lockout.active_lockouts()
    agreements = agreements_coordinated_by(request.user).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("user")
            .annotate(
                enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True))
            )
            .order_by("user__username"),
        )
    )
    agreements = list(agreements)
    manageable = dict(manageable_accounts(request.user).values_list("pk", "username"))
    people = {m.user_id for agreement in agreements for m in agreement.memberships.all()}
    last = sign_on.last_sign_ins(people)
    for agreement in agreements:
        for membership in agreement.memberships.all():
            membership.last_sign_in = last.get(membership.user_id)
            membership.locked = membership.user.username in by_username
            membership.manageable = membership.user_id in manageable
    known = set(manageable.values())
    context = {
        "agreements": agreements,
        "locked_usernames": by_username,
        # The operator also sees lockouts of names that are no account and of addresses.
        "other_lockouts": (
            {n: c for n, c in by_username.items() if n not in known}
            if request.user.is_superuser
            else {}
        ),
        "locked_addresses": by_address if request.user.is_superuser else {},
        "require_2fa": settings.PITEBRA_REQUIRE_2FA,
    }
    return render(request, "security/working_group.html", context)


@require_POST
def lift_lockout(request):
    _coordinator_only(request)
    username = request.POST.get("username", "").strip()
    address = request.POST.get("ip_address", "").strip()
    if address:
        if not request.user.is_superuser:
            raise PermissionDenied
        lockout.lift(ip_address=address)
        record(Action.LOCKOUT_LIFTED, request=request, summary=f"address {address}"[:200])
    else:
        target = User.objects.filter(username=username).first()
        if target is None and not request.user.is_superuser:
            raise Http404
        if target is not None and not may_manage_account(request.user, target):
            raise Http404
        lockout.lift(username=username)
        record(
            Action.LOCKOUT_LIFTED,
            request=request,
            agreement=agreement_for_account(request.user, target) if target else None,
            obj=target,
            summary=f"account {username}"[:200],
        )
    messages.success(request, _("The lockout was lifted."))
    return redirect("security:working-group")


@require_POST
def reset_two_factor(request, user_pk):
    """Remove a member's second factor (a lost phone): they enrol again at their next login."""
    _coordinator_only(request)
    target = get_object_or_404(User, pk=user_pk)
    if not may_manage_account(request.user, target):
        raise Http404
    two_factor.reset(target)
    record(
        Action.TWO_FACTOR_RESET,
        request=request,
        agreement=agreement_for_account(request.user, target),
        obj=target,
        summary=f"account {target.get_username()}"[:200],
    )
    messages.success(
        request, _("The second factor of %(user)s was reset.") % {"user": target.get_username()}
    )
    return redirect("security:working-group")


def close_account(request, user_pk):
    """Close a member's account when they leave: a confirmation page, then the closure."""
    _coordinator_only(request)
    target = get_object_or_404(User, pk=user_pk, is_active=True)
    if target == request.user or not may_manage_account(request.user, target):
        raise Http404
    if request.method == "POST":
        erasure = close_account_service(target, actor=request.user)
        messages.success(
            request,
            _("The account was closed. The person is now %(pseudonym)s everywhere.")
            % {"pseudonym": erasure.pseudonym},
        )
        return redirect("security:working-group")
    return render(request, "security/close_account.html", {"target": target})


@require_POST
def require_two_factor(request, agreement_pk):
    agreement = get_object_or_404(agreements_coordinated_by(request.user), pk=agreement_pk)
    agreement.require_two_factor = request.POST.get("require") == "1"
    agreement.save(update_fields=["require_two_factor"])
    record(
        Action.TWO_FACTOR_REQUIRED,
        request=request,
        agreement=agreement,
        obj=agreement,
        summary="on" if agreement.require_two_factor else "off",
    )
    messages.success(request, _("The working group's two-factor setting was saved."))
    return redirect("security:working-group")


def invite(request, agreement_pk):
    """Invite a person by e-mail: an account without a password, in this working group."""
    agreement = get_object_or_404(agreements_coordinated_by(request.user), pk=agreement_pk)
    form = InviteForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        user = sign_on.invite(by=request.user, agreement=agreement, **form.cleaned_data)
        messages.success(
            request,
            _("%(email)s is invited: they log in with their organisation's account.")
            % {"email": user.email},
        )
        return redirect("security:working-group")
    return render(request, "security/invite.html", {"form": form, "agreement": agreement})
