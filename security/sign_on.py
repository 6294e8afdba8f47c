"""Who gets in through an identity provider, whatever the protocol: linking by subject,
invitations, refusals (with the reason recorded), and the provider's second factor."""

from dataclasses import dataclass

from django.contrib.auth import login
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login

from pitebra import rowsecurity
from pitebra.models import Membership, User

from .audit import Action, record
from .middleware import SESSION_LOGOUT_ORIGIN, start_session_clock
from .models import ExternalAccount, IdentityProvider, IdentityProviderDevice, Invitation

# The backend named in the session of a provider's sign-in: it loads the user by id and
# refuses an inactive one, and it never checks a password.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
SESSION_PROVIDER = "pitebra_sign_on_provider"

# Each reason a sign-in is refused, with what the person reads (and whom to ask).
REASONS = {
    "uninvited": _(
        "No account in PiteBra is waiting for you. Ask the coordinator of your working group "
        "to invite you with the e-mail address your organisation uses."
    ),
    "other_organisation": _(
        "Your PiteBra account belongs to another organisation. Log in through that "
        "organisation's own button, or ask your coordinator."
    ),
    "staff": _(
        "This account cannot log in through an organisation's provider. Log in with the "
        "account's password instead."
    ),
    "inactive": _("Your PiteBra account is closed. Ask the coordinator of your working group."),
    "no_email": _(
        "Your organisation's sign-in service did not tell PiteBra your e-mail address. Ask "
        "your organisation's IT department to release the e-mail claim to PiteBra."
    ),
    "already_linked": _(
        "Your PiteBra account is already linked to another person at this provider. Ask the "
        "coordinator of your working group."
    ),
    "provider": _(
        "The answer from your organisation's sign-in service could not be trusted, so you "
        "were not logged in. Try again; if it happens again, tell your organisation's IT "
        "department."
    ),
    "state": _(
        "The sign-in was not started here or has already been used. Start again from the "
        "login page."
    ),
    "disabled": _("This sign-in service is not in use. Log in another way."),
}


class SignOnRefused(Exception):
    def __init__(self, reason, detail=""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail

    @property
    def message(self):
        return REASONS[self.reason]


@dataclass
class Identity:
    """What a provider said about the person, whatever the protocol."""

    subject: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    # amr / acr (OIDC) or AuthnContextClassRef (SAML): recorded, never trusted for the factor.
    context: str = ""


def _eligible(user, provider):
    if user.is_staff or user.is_superuser:
        raise SignOnRefused("staff")
    if user.organisation_id != provider.organisation_id:
        raise SignOnRefused("other_organisation")
    if not user.is_active:
        raise SignOnRefused("inactive")


def account_for(provider, identity):
    """The account the identity maps to, without changing anything (the test page asks too)."""
    if not identity.subject:
        raise SignOnRefused("provider", "no subject")
    link = (
        ExternalAccount.objects.filter(provider=provider, subject=identity.subject)
        .select_related("user")
        .first()
    )
    if link is not None:
        _eligible(link.user, provider)
        return link.user, link
    if not identity.email:
        raise SignOnRefused("no_email")
    users = list(User.objects.filter(email__iexact=identity.email)[:2])
    if not users:
        raise SignOnRefused("uninvited")
    if len(users) > 1:
        raise SignOnRefused("uninvited", "several accounts with this e-mail")
    user = users[0]
    _eligible(user, provider)
    with rowsecurity.reading_as(user):
        member = Membership.objects.filter(user=user).exists()
    if not member:
        raise SignOnRefused("uninvited", "no working group")
    if ExternalAccount.objects.filter(provider=provider, user=user).exists():
        raise SignOnRefused("already_linked")
    return user, None


def refuse(request, provider, error):
    """Record a refused sign-in; nothing else is written."""
    label = provider.name if provider is not None else "?"
    record(
        Action.SIGN_ON_REFUSED,
        request=request,
        summary=f"{label}: {error.reason} {error.detail}".strip()[:200],
    )


@transaction.atomic
def sign_in(request, provider, identity):
    """Link (first time) and log in the person the provider vouched for; the caller has
    verified the provider's answer. Raises SignOnRefused."""
    user, link = account_for(provider, identity)
    now = timezone.now()
    if link is None:
        link = ExternalAccount.objects.create(
            provider=provider, user=user, subject=identity.subject, last_sign_in=now
        )
        record(
            Action.SIGN_ON_LINKED,
            request=request,
            user=user,
            obj=user,
            summary=f"{provider.name}: {identity.subject}"[:200],
        )
    else:
        link.last_sign_in = now
        link.save(update_fields=["last_sign_in"])
    request.pitebra_sign_on = (provider, identity)
    login(request, user, backend=SESSION_BACKEND)
    request.session[SESSION_PROVIDER] = provider.pk
    origin = logout_origin(provider)
    if origin:
        request.session[SESSION_LOGOUT_ORIGIN] = origin
    if provider.mfa_by_idp:
        device, _created = IdentityProviderDevice.objects.get_or_create(
            user=user, provider=provider, defaults={"name": provider.name[:64], "confirmed": True}
        )
        otp_login(request, device)
    start_session_clock(request)
    return user


def login_summary(request):
    """How the login in progress came about, for the audit trail's LOGIN event."""
    sign_on = getattr(request, "pitebra_sign_on", None)
    if sign_on is None:
        return "password"
    provider, identity = sign_on
    summary = f"{provider.protocol}:{provider.name} sub={identity.subject}"
    if identity.context:
        summary += f" {identity.context}"
    return summary[:200]


def providers_for_login():
    return IdentityProvider.objects.filter(enabled=True).only("pk", "name", "protocol")


def provider_origins():
    """The origins of the enabled providers' sign-in pages (scheme://host[:port])."""
    import re
    from urllib.parse import urlsplit

    origins = set()
    urls = []
    for endpoint, metadata in IdentityProvider.objects.filter(enabled=True).values_list(
        "authorization_endpoint", "saml_metadata"
    ):
        urls.append(endpoint)
        # A SAML provider's single sign-on service, from its metadata.
        urls += re.findall(r'SingleSignOnService[^>]*Location="([^"]+)"', metadata)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


def logout_origin(provider):
    """The origin of the provider's logout service (OpenID Connect end_session_endpoint, SAML
    SingleLogoutService), or ""."""
    import re
    from urllib.parse import urlsplit

    url = provider.end_session_endpoint
    if not url and provider.saml_metadata:
        found = re.search(r'SingleLogoutService[^>]*Location="([^"]+)"', provider.saml_metadata)
        url = found.group(1) if found else ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return ""


def provider_for_email(email):
    """The enabled provider whose domains include the address's, or None."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for provider in IdentityProvider.objects.filter(enabled=True).exclude(email_domains=""):
        if domain in provider.domains:
            return provider
    return None


@transaction.atomic
def invite(*, by, agreement, email, role, first_name="", last_name="", organisation=None):
    """Create the account of an invited person (no password) in the agreement's working
    group; they sign in through their organisation's provider."""
    user = User.objects.create_user(
        username=email.lower(),
        email=email.lower(),
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
    )  # no password: create_user sets an unusable one
    Membership.objects.create(agreement=agreement, user=user, role=role)
    Invitation.objects.create(user=user, invited_by=by)
    record(Action.INVITATION, user=by, agreement=agreement, obj=user, summary=email[:200])
    return user


def last_sign_ins(user_ids):
    """For each user id: (when, how) of their latest login, from the audit trail; "how" is
    "password" or the provider's name."""
    from .models import AuditEvent

    latest = (
        AuditEvent.objects.filter(action=Action.LOGIN, user_id=OuterRef("pk"))
        .order_by("-at")
        .values("pk")[:1]
    )
    events = AuditEvent.objects.filter(
        pk__in=User.objects.filter(pk__in=user_ids).values(event=Subquery(latest))
    ).values_list("user_id", "at", "summary")
    result = {}
    for user_id, at, summary in events:
        how = summary.split(" sub=")[0].partition(":")[2] or summary
        result[user_id] = (at, how)
    return result
