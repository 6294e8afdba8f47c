"""The public pages: anyone, no login, no session, cached (see `caching`).

Every view renders without the request (no context processors, no CSRF token, no user), so
one cached copy serves everyone; what it may show comes only from `content`.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import content
from .caching import public_response, public_view


@public_view()
def index(request):
    agreements = list(content.public_agreements().order_by("municipality__name", "-first_year"))
    return render_to_string("public/index.html", {"agreements": agreements})


@public_view()
def agreement_page(request, pk, year=None):
    agreement = content.get_public_agreement(pk)
    today = timezone.localdate()
    year = year or content.default_year(agreement, today)
    opened = content.opened_goals(request.GET.get("open", ""))
    page = content.year_page(agreement, year, today, opened) if year else None
    reports = list(content.published_reports(agreement))
    return render_to_string(
        "public/agreement.html", {"agreement": agreement, "page": page, "reports": reports}
    )


@public_view()
def promise_page(request, pk, promise_pk):
    agreement = content.get_public_agreement(pk)
    promise = content.public_promise(agreement, promise_pk)
    return render_to_string(
        "public/promise.html",
        {"agreement": agreement, "promise": promise, **content.promise_evidence(promise)},
    )


@public_view()
def activity_page(request, pk, activity_pk):
    agreement = content.get_public_agreement(pk)
    activity = content.public_activity(agreement, activity_pk)
    return render_to_string("public/activity.html", {"agreement": agreement, "activity": activity})


@login_not_required
@require_safe
def report_pdf(request, pk, year, version):
    """A published PDF as it was published: it never changes, so it may be kept for a year."""
    agreement = content.get_public_agreement(pk)
    report = content.public_report(agreement, year, version)
    etag = f'"{report.sha256}"'
    if request.headers.get("If-None-Match") == etag:
        return public_response(HttpResponseNotModified(), etag=etag, max_age=31536000)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.filename}"'
    return public_response(response, etag=etag, max_age=31536000)
