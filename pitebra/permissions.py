"""Who may see and change what: the one place every view and the admin ask.

Rules:
- A user sees an agreement only if they belong to its working group; any other agreement is
  answered with 404, so its existence is not disclosed.
- Within an agreement, readers read, members also edit the plan and follow-up, coordinators
  also manage the agreement and its members and publish reports.
- A superuser (the operator) is treated as a coordinator everywhere.
- The admin shows a coordinator only the records of the agreements they coordinate
  (`scope_for_coordinator`), and lets them change only accounts that belong to those alone
  (`may_manage_account`). Only the operator creates an agreement from nothing.
"""

from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404

from .models import Agreement, Membership, Organisation, User
from .navigation import remember_agreement
from .transfer.graph import required_agreement_path

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


# The roles that edit an agreement's plan and follow-up (`can_edit`), as stored in memberships.
EDITOR_ROLES = tuple(role for role in Role if can_edit(role))


def editors_of(agreement):
    """The people who may edit the agreement's plan and follow-up: the ones an activity can name
    as its contact person."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(agreement=agreement, role__in=EDITOR_ROLES).values("user")
    )


def agreements_edited_by(user):
    """The agreements whose plan and follow-up the user edits as a member or coordinator of
    the working group (the operator only where a member too): where their own work lies."""
    return Agreement.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=EDITOR_ROLES).values("agreement")
    )


def may_remove_log_entry(user, role, entry):
    """A log entry made by mistake is removed by its author or a coordinator."""
    return can_edit(role) and (entry.created_by_id == user.pk or can_manage(role))


def is_coordinator_anywhere(user):
    if not (user.is_active and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    # The admin asks this for every model on every page; request.user lives for one request.
    if not hasattr(user, "_coordinator_anywhere"):
        user._coordinator_anywhere = user.memberships.filter(role=COORDINATOR).exists()
    return user._coordinator_anywhere


def agreements_coordinated_by(user):
    """The agreements whose coordinator `user` is (all of them for the operator)."""
    if not (user.is_active and user.is_authenticated):
        return Agreement.objects.none()
    if user.is_superuser:
        return Agreement.objects.all()
    return Agreement.objects.with_member_in_role(user, [COORDINATOR])


def get_agreement_for(user, pk, *, required=READER):
    """The agreement if the user may see it with at least `required`; else 404 or 403.

    One query: the agreement through the user's own membership, which carries the role."""
    if user.is_authenticated and not user.is_superuser:
        agreement = get_object_or_404(
            Agreement.objects.filter(memberships__user=user).annotate(
                member_role=F("memberships__role")
            ),
            pk=pk,
        )
        role = Role(agreement.member_role)
    else:
        agreement = get_object_or_404(Agreement.objects.for_user(user), pk=pk)
        role = role_in(user, agreement)
    if not has_role(role, required):
        raise PermissionDenied
    return agreement, role


def agreement_view(required=READER):
    """Decorator for views under /agreements/<agreement_pk>/.

    Replaces the `agreement_pk` argument by `agreement` and sets `request.role`; a user outside
    the working group gets 404, a member without the required role gets 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, agreement_pk, *args, **kwargs):
            agreement, role = get_agreement_for(request.user, agreement_pk, required=required)
            request.role = role
            response = view(request, *args, agreement=agreement, **kwargs)
            remember_agreement(request, response, agreement)
            return response

        return wrapper

    return decorator


# --- The admin's scope: which rows of any model a coordinator may reach -------------------------
#
# Every model the admin shows belongs to an agreement, reached by following required foreign
# keys (an activity through its strategy, goal and plan). `agreement_path` reads that path from
# the one walk of the models (`pitebra.transfer.graph`), so a model registered tomorrow is
# scoped without anyone remembering to; people and organisations, which are shared between
# agreements, have their own rules below. A model with neither cannot
# be shown to a coordinator at all (ImproperlyConfigured), and the admin test suite fails.


def agreement_path(model):
    """The lookup from `model` to its Agreement ('' for Agreement itself) through required
    foreign keys, as the one walk of the models finds it (`pitebra.transfer.graph`)."""
    if model is Agreement:
        return ""
    path = required_agreement_path(model)
    if path is None:
        raise ImproperlyConfigured(
            f"{model._meta.label} is not tied to an agreement: give it a required foreign key "
            "that leads to one, or a rule in pitebra.permissions.SHARED_SCOPES."
        )
    return path


def _users_in(queryset, agreements, user):
    return queryset.filter(
        pk__in=Membership.objects.filter(agreement__in=agreements).values("user"),
        is_superuser=False,
    )


def _organisations_of(queryset, agreements, user):
    return queryset.filter(pk__in=Organisation.objects.of_agreements(agreements).values("pk"))


# Records shared between agreements, each with the rule that limits them to some agreements.
SHARED_SCOPES = {User: _users_in, Organisation: _organisations_of}


def scope_for_coordinator(queryset, user):
    """The rows of `queryset` in the agreements the user coordinates; all of them for the operator.

    The admin asks this for every list, object, choice, filter, inline and autocomplete.
    """
    if user.is_superuser:
        return queryset
    agreements = agreements_coordinated_by(user)
    if not user.is_active:
        agreements = agreements.none()
    model = queryset.model
    if model in SHARED_SCOPES:
        return SHARED_SCOPES[model](queryset, agreements, user)
    path = agreement_path(model)
    return queryset.filter(**{f"{path}__in" if path else "pk__in": agreements.values("pk")})


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
    # No ordering: the default one joins the agreements, and under row-level security those
    # the user cannot read would drop out of the very set this rule must see whole.
    groups = set(
        Membership.objects.filter(user=account).order_by().values_list("agreement_id", flat=True)
    )
    coordinated = set(agreements_coordinated_by(user).values_list("pk", flat=True))
    return bool(groups) and groups <= coordinated


def is_operator(user):
    """The operator runs the installation: the register of processing, thinning, archives."""
    return user.is_authenticated and user.is_active and user.is_superuser


def may_manage_identity_providers(user):
    """Identity providers hold the secrets that let people in: the operator's alone."""
    return is_operator(user)


def may_create_agreement(user):
    """Only the operator creates an agreement from nothing; coordinators start a successor."""
    return user.is_authenticated and user.is_active and user.is_superuser


def manageable_accounts(user):
    """The accounts `user` may manage (may_manage_account), as one query."""
    if user.is_superuser:
        return User.objects.all()
    coordinated = agreements_coordinated_by(user)
    return (
        User.objects.filter(is_superuser=False, memberships__agreement__in=coordinated)
        .exclude(memberships__in=Membership.objects.exclude(agreement__in=coordinated))
        .distinct()
    )
