from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from pitebra.permissions import can_edit


def log_work(request):
    """Where the header's “Log work” leads: this agreement's log form, or a choice; nothing
    for readers."""

    def url():
        user = request.user
        if not user.is_authenticated:
            return ""
        match = request.resolver_match
        agreement_pk = match.kwargs.get("agreement_pk") if match else None
        if agreement_pk and can_edit(getattr(request, "role", None)):
            return reverse("followup:log-create", args=[agreement_pk])
        if user.memberships.filter(role__in=["member", "coordinator"]).exists():
            return reverse("log-work")
        return ""

    return {"log_work_url": SimpleLazyObject(url)}
