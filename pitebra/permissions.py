"""Who may see and change what: the one place every view and the admin ask.

Rules:
- A user sees an agreement only if they belong to its working group; any other agreement is
  answered with 404, so its existence is not disclosed.
- Within an agreement, readers read, members also edit the plan and follow-up, coordinators
  also manage the agreement and its members and publish reports.
- A superuser (the operator) is treated as a coordinator everywhere.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Agreement, Membership

Role = Membership.Role
READER, MEMBER, COORDINATOR = Role.READER, Role.MEMBER, Role.COORDINATOR
_RANK = {READER: 0, MEMBER: 1, COORDINATOR: 2}


def role_in(user, agreement):
    """The user's role in the agreement's working group, or None."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return COORDINATOR
    membership = Membership.objects.filter(user=user, agreement=agreement).only("role").first()
    return Role(membership.role) if membership else None


def has_role(role, required):
    return role is not None and _RANK[role] >= _RANK[required]


def can_edit(role):
    return has_role(role, MEMBER)


def can_manage(role):
    return has_role(role, COORDINATOR)


def is_coordinator_anywhere(user):
    if not (user.is_active and user.is_authenticated):
        return False
    return user.is_superuser or user.memberships.filter(role=COORDINATOR).exists()


def get_agreement_for(user, pk, *, required=READER, queryset=None):
    """The agreement if the user may see it with at least `required`; else 404 or 403."""
    queryset = queryset if queryset is not None else Agreement.objects.all()
    agreement = get_object_or_404(queryset.for_user(user), pk=pk)
    role = role_in(user, agreement)
    if not has_role(role, required):
        raise PermissionDenied
    return agreement, role


def agreement_view(required=READER, queryset=None):
    """Decorator for views under /agreements/<agreement_pk>/.

    Replaces the `agreement_pk` argument by `agreement` and sets `request.role`; a user outside
    the working group gets 404, a member without the required role gets 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, agreement_pk, *args, **kwargs):
            agreement, role = get_agreement_for(
                request.user, agreement_pk, required=required, queryset=queryset
            )
            request.role = role
            return view(request, *args, agreement=agreement, **kwargs)

        return wrapper

    return decorator


def may_manage_account(user, account):
    """May `user` change `account`'s login details (password, e-mail, names, active flag)?

    The operator may change anyone's. A coordinator only an account whose every working group is
    one they coordinate: otherwise they could take over a login that also opens agreements they
    have no part in. Nobody but the operator changes an account outside every working group or
    the operator's own kind (superusers).
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if account.is_superuser:
        return False
    groups = set(Membership.objects.filter(user=account).values_list("agreement_id", flat=True))
    coordinated = set(Agreement.objects.coordinated_by(user).values_list("pk", flat=True))
    return bool(groups) and groups <= coordinated


def manageable_accounts(user):
    """The accounts `user` may manage (may_manage_account), as one query."""
    from .models import User

    if user.is_superuser:
        return User.objects.all()
    coordinated = Agreement.objects.coordinated_by(user)
    return (
        User.objects.filter(is_superuser=False, memberships__agreement__in=coordinated)
        .exclude(memberships__in=Membership.objects.exclude(agreement__in=coordinated))
        .distinct()
    )
