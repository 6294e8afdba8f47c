"""The year-end report as HTML (for the browser preview and for the PDF) and as PDF bytes."""

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext as _

from .content import build_report
from .pdf import render_pdf


def _toc(content):
    toc = [
        ("summary", "1. " + _("Summary per priority area")),
        ("agreement", "2. " + _("The agreement and the cycle")),
        ("situation", "3. " + _("The joint situation picture in brief")),
        ("plan", "4. " + _("The implementation plan")),
        ("production", "5. " + _("Production follow-up: what was done")),
        ("process", "6. " + _("Process follow-up: how the work went")),
        ("effect", "7. " + _("Effect follow-up: indicators before and after")),
        ("promises", "8. " + _("Citizen promises")),
        ("lessons", "9. " + _("Lessons and proposed revisions")),
        ("annex-indicators", _("Annex A. Indicators and sources")),
        ("annex-organisations", _("Annex B. Organisations and the working group")),
    ]
    if content.in_appendix:
        toc.append(("annex-activities", _("Annex C. The activities of the plan")))
    return toc


def report_html(content, *, for_pdf: bool, published_version=None, correction="") -> str:
    """The report in Swedish whatever the reader's language: it goes to Folkhälsorådet."""
    with translation.override("sv"):
        return render_to_string(
            "followup/report/report.html",
            {
                "report": content,
                "toc": _toc(content),
                # The PDF resolves relative URLs inside the static directory; the browser
                # preview gets the served URL.
                "css_href": "css/report.css" if for_pdf else static("css/report.css"),
                "published_version": published_version,
                "correction": correction,
            },
        )


def report_pdf(agreement, year, *, published_version=None, today=None, correction="") -> bytes:
    content = build_report(agreement, year, today=today)
    html = report_html(
        content, for_pdf=True, published_version=published_version, correction=correction
    )
    return render_pdf(html)
