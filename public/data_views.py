"""Open-data files, the read-only API (shaped like Kolada's), the Atom feed of published
reports and the DCAT-AP-SE catalogue: all anonymous and cached like the pages."""

import json

from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import content, dcat, opendata
from .caching import public_view

PER_PAGE = 100
MAX_PER_PAGE = 500


def _table(name):
    if name not in opendata.TABLES:
        raise Http404("No such table")
    return name


def _agreements(pk):
    return [content.get_public_agreement(pk)] if pk is not None else None


@public_view()
def data_index(request):
    agreements = list(content.public_agreements().order_by("municipality__name", "-first_year"))
    return render_to_string(
        "public/data.html", {"agreements": agreements, "tables": opendata.TABLES.values()}
    )


@public_view(content_type="text/markdown; charset=utf-8")
def data_readme(request):
    return opendata.readme()


@public_view(content_type="text/csv; charset=utf-8")
def table_csv(request, table, pk=None):
    rows = opendata.rows(_table(table), _agreements(pk))
    return opendata.to_csv(table, rows, swedish=True)


@public_view(content_type="text/csv; charset=utf-8")
def table_csv_comma(request, table, pk=None):
    rows = opendata.rows(_table(table), _agreements(pk))
    return opendata.to_csv(table, rows, swedish=False)


@public_view(content_type="application/json")
def table_json(request, table, pk=None):
    return opendata.to_json(opendata.rows(_table(table), _agreements(pk)))


def _positive(request, name, default, maximum=None):
    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        raise Http404(f"{name} must be a number") from None
    if value < 1:
        raise Http404(f"{name} must be positive")
    return min(value, maximum) if maximum else value


@public_view(content_type="application/json")
def api_table(request, table):
    """`{"values": [...], "count": n, "next_page": url}`, like Kolada's API v3."""
    pk = request.GET.get("agreement")
    if pk is not None and not pk.isdigit():
        raise Http404("agreement must be an id")
    rows = opendata.rows(_table(table), _agreements(int(pk) if pk else None))
    page = _positive(request, "page", 1)
    per_page = _positive(request, "per_page", PER_PAGE, MAX_PER_PAGE)
    start = (page - 1) * per_page
    values = rows[start : start + per_page]
    next_page = None
    if start + per_page < len(rows):
        query = request.GET.copy()
        query["page"] = page + 1
        next_page = opendata.absolute(reverse("public:api", args=[table]) + "?" + query.urlencode())
    return json.dumps(
        {"values": values, "count": len(values), "next_page": next_page}, ensure_ascii=False
    )


@public_view(content_type="application/json")
def api_index(request):
    return json.dumps(
        {
            "values": [
                {
                    "id": table.name,
                    "title": table.title_sv,
                    "url": opendata.absolute(reverse("public:api", args=[table.name])),
                }
                for table in opendata.TABLES.values()
            ],
            "count": len(opendata.TABLES),
            "next_page": None,
        },
        ensure_ascii=False,
    )


@public_view(content_type="application/atom+xml; charset=utf-8")
def reports_feed(request):
    feed = Atom1Feed(
        title=_("Published year-end reports"),
        link=opendata.absolute(reverse("public:index")),
        description=_("Every published version and correction of the year-end reports."),
        language="sv",
        feed_url=opendata.absolute(reverse("public:reports-feed")),
    )
    for agreement in content.public_agreements():
        for report in content.published_reports(agreement):
            year = report.report.year
            url = opendata.absolute(
                reverse("public:report", args=[agreement.pk, year, report.version])
            )
            description = _("Year-end report %(year)s, version %(version)s: %(title)s") % {
                "year": year,
                "version": report.version,
                "title": agreement.title,
            }
            reason = content.clean_text(report.correction_reason)
            feed.add_item(
                title=description,
                link=url,
                description=reason and _("Correction: %(reason)s") % {"reason": reason},
                pubdate=report.published_at,
                updateddate=report.published_at,
                unique_id=url,
                enclosures=[],
            )
    return feed.writeString("utf-8")


@public_view(content_type="application/rdf+xml; charset=utf-8")
def dcat_catalogue(request):
    return dcat.catalogue_xml()
