"""Core pages: my agreements, the agreement dashboard, health and accessibility."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import pagecache, services
from .cycle import cycle_for
from .dashboard import glance, published_year
from .forms import AgreementCopyForm, StepStatesForm
from .lookups import operating_year
from .models import Agreement, Membership, default_short_name
from .navigation import cached_page
from .permissions import COORDINATOR, agreement_view, can_edit, can_manage
from .signals import agreement_exported

logger = logging.getLogger(__name__)


def home(request):
    """The agreements whose working group I belong to."""
    agreements = (
        Agreement.objects.for_user(request.user)
        .select_related("municipality", "police_area")
        .annotate(has_successor=Exists(Agreement.objects.filter(previous=OuterRef("pk"))))
        .order_by("-first_year", "title")
    )
    roles = dict(Membership.objects.filter(user=request.user).values_list("agreement_id", "role"))
    today = timezone.localdate()
    rows = [
        {
            "agreement": agreement,
            "role": Membership.Role(roles.get(agreement.pk, COORDINATOR)).label,
            "revision": agreement.revision_status(today),
        }
        for agreement in agreements
    ]
    return render(request, "pitebra/home.html", {"rows": rows})


@agreement_view()
def agreement_detail(request, agreement):
    """The dashboard: parties, period, priority areas, the cycle per year, revision warning."""
    agreement_pk = agreement.pk

    def dashboard_context():
        agreement = (
            Agreement.objects.select_related("municipality", "police_area", "previous")
            .prefetch_related("partners", "priority_areas")
            .annotate(has_successor=Exists(Agreement.objects.filter(previous=OuterRef("pk"))))
            .get(pk=agreement_pk)
        )
        cycle = cycle_for(agreement)
        manage = can_manage(request.role)
        internal = can_edit(request.role)
        members = (
            agreement.memberships.select_related("user", "user__organisation") if internal else None
        )
        today = timezone.localdate()
        year = _dashboard_year(request, agreement, today, internal=internal)
        context = {
            "glance": glance(agreement, year, today, internal=internal) if year else None,
            "internal": internal,
            "agreement": agreement,
            "role": request.role,
            "can_manage": manage,
            "cycle": cycle,
            "revision": agreement.revision_status(timezone.localdate()),
            "successors": Agreement.objects.for_user(request.user).filter(previous=agreement),
            "members": members,
            "today": timezone.localdate(),
        }
        return context

    # The whole dashboard (the cycle, the year at a glance, the members) from the page cache
    # while no data changes: at 1,000 activities the glance alone is most of its time.
    # It shows its successors (agreements of their own, with versions of their own) and the
    # facts step counts the municipality's facts, which any of its agreements may hold: one
    # query finds them all with their versions; which successors this user may open.
    related, version = pagecache.agreements_with_versions(
        Agreement.objects.filter(
            Q(previous=agreement) | Q(municipality_id=agreement.municipality_id)
        ),
        "pk",
        "previous_id",
    )
    successors = [pk for pk, previous in related if previous == agreement.pk]
    if successors and not request.user.is_superuser:
        successors = list(
            Membership.objects.filter(user=request.user, agreement__in=successors)
            .order_by("agreement_id")
            .values_list("agreement_id", flat=True)
        )
    vary = f"successors:{','.join(map(str, sorted(successors)))}"

    def page(extra):
        dashboard_html = pagecache.cached_part(
            request,
            f"dashboard:{agreement.pk}",
            "pitebra/_agreement_dashboard.html",
            dashboard_context,
            version=version,  # of the agreement and the related ones, found in the same query
            role=request.role,
            # Users who may open the same successors share it (not one copy per user).
            vary=vary,
        )
        return render(
            request,
            "pitebra/agreement_detail.html",
            {"agreement": agreement, "dashboard_html": dashboard_html, **extra},
        )

    # Warm, the whole page comes from the cache: no template is rendered.
    return cached_page(request, f"dashboard:{agreement.pk}", [version, request.role, vary], page)


def _dashboard_year(request, agreement, today, *, internal):
    """The year the dashboard shows: chosen, else this year within the agreement; readers see
    the newest year with a published report, nothing before there is one."""
    if not internal:
        return published_year(agreement)
    asked = request.GET.get("year", "")
    if asked.isdigit() and agreement.covers(int(asked)):
        return int(asked)
    return min(max(today.year, agreement.first_year), agreement.last_year)


@require_POST
@agreement_view(required=COORDINATOR)
def step_states_edit(request, agreement, year):
    operating_year(agreement, year)
    form = StepStatesForm(request.POST, year=year, initial_states={}, prefix=f"y{year}")
    if form.is_valid():
        services.step_states_set(agreement=agreement, year=year, states=form.states())
        messages.success(request, _("The cycle for %(year)s was saved.") % {"year": year})
    else:
        messages.error(request, _("The cycle could not be saved: choose a state for each step."))
    return redirect("agreement-settings", agreement_pk=agreement.pk)


@agreement_view(required=COORDINATOR)
def agreement_settings(request, agreement):
    """The coordinator's page: the cycle per year (set by hand), a new agreement, backup."""
    cycle = cycle_for(agreement)
    step_forms = {
        year.year: StepStatesForm(
            year=year.year,
            initial_states={cell.step: cell.state for cell in year.steps},
            prefix=f"y{year.year}",
        )
        for year in cycle
    }
    return render(
        request,
        "pitebra/agreement_settings.html",
        {"agreement": agreement, "cycle": cycle, "step_forms": step_forms},
    )


@agreement_view(required=COORDINATOR)
def agreement_copy(request, agreement):
    """Start a new agreement from this one (parties, priority areas, method)."""
    if request.method == "POST":
        form = AgreementCopyForm(request.POST)
        if form.is_valid():
            new = services.agreement_copy(
                source=agreement, created_by=request.user, **form.cleaned_data
            )
            messages.success(request, _("The new agreement was created from the previous one."))
            return redirect("agreement-detail", agreement_pk=new.pk)
    else:
        length = agreement.last_year - agreement.first_year
        first = agreement.last_year + 1
        form = AgreementCopyForm(
            initial={
                "title": agreement.title,
                "short_name": default_short_name(
                    agreement.municipality.name, first, first + length
                ),
                "first_year": first,
                "last_year": first + length,
                "revise_by": agreement.revise_by.replace(
                    year=agreement.revise_by.year + length + 1
                ),
                "copy_working_group": True,
            }
        )
    return render(request, "pitebra/agreement_copy.html", {"agreement": agreement, "form": form})


@login_not_required
def accessibility(request):
    """Tillgänglighetsredogörelse, as the Swedish accessibility law requires."""
    return render(
        request,
        "pitebra/accessibility.html",
        {"feedback_email": settings.ACCESSIBILITY_FEEDBACK_EMAIL},
    )


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 'ok' when the database answers; 503 otherwise (for load balancers and monitors).

    A shared cache server that does not answer is said on a second line, with 200: the app
    serves every page uncached meanwhile, slower but correct.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    status = getattr(cache, "status", None)
    if status is not None and status() != "ok":
        return HttpResponse(
            "ok\ncache unavailable: pages are served uncached", content_type="text/plain"
        )
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@agreement_view(required=COORDINATOR)
def agreement_export(request, agreement):
    """The agreement's backup archive (export_agreement), for its coordinators."""
    from .transfer.archive import export_agreement

    agreement_exported.send(sender=Agreement, agreement=agreement)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(export_agreement(agreement), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="pitebra-{agreement.file_slug}-{stamp}.zip"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
