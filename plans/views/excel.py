"""The plan as .xlsx and .csv, and importing a group's existing Excel plan."""

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pitebra.downloads import private_download
from pitebra.permissions import MEMBER, agreement_view
from security.audit import Action, record

from .. import excel
from ..forms.plan import ImportForm
from .plan import get_plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "plan-import-{plan}"


def _filename(plan, ext):
    return f"genomforandeplan-{plan.agreement.file_slug}-{plan.year}.{ext}"


@private_download
@agreement_view(required=MEMBER)
def plan_export_xlsx(request, agreement, year):
    plan = get_plan(agreement, year)
    response = HttpResponse(excel.to_xlsx(plan), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "xlsx")}"'
    record(Action.EXPORT, agreement=agreement, obj=plan, summary="plan xlsx")
    return response


@private_download
@agreement_view(required=MEMBER)
def plan_export_csv(request, agreement, year):
    plan = get_plan(agreement, year)
    response = HttpResponse(excel.to_csv(plan), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "csv")}"'
    record(Action.EXPORT, agreement=agreement, obj=plan, summary="plan csv")
    return response


@agreement_view(required=MEMBER)
def plan_import(request, agreement, year):
    """Upload → preview with line-numbered errors → confirm; all or nothing."""
    plan = get_plan(agreement, year)
    key = SESSION_KEY.format(plan=plan.pk)
    rows, errors, form = None, [], ImportForm()
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(key)
        if stored is None:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect("plans:plan-import", agreement_pk=agreement.pk, year=year)
        rows, errors = excel.parse_xlsx(base64.b64decode(stored), plan)
        if not errors:
            try:
                counts = excel.import_rows(
                    plan=plan, rows=rows, seen=request.session.get(key + "-versions", {})
                )
            except ValidationError as error:
                errors = [str(m) for m in error.messages]
            else:
                del request.session[key]
                record(Action.IMPORT, agreement=agreement, obj=plan, summary="plan xlsx")
                messages.success(
                    request,
                    _("Imported: %(created)s new and %(updated)s updated activities.") % counts,
                )
                return redirect("plans:plan-detail", agreement_pk=agreement.pk, year=year)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            rows, errors = excel.parse_xlsx(data, plan)
            if not errors:
                # The checked file waits in the user's session (database-backed) for the
                # confirmation; nothing is kept in the process.
                request.session[key] = base64.b64encode(data).decode()
                request.session[key + "-versions"] = excel.seen_versions(plan)
    return render(
        request,
        "plans/plan_import.html",
        {
            "agreement": agreement,
            "plan": plan,
            "form": form,
            "rows": rows,
            "errors": errors,
            "headers": excel.HEADERS,
        },
    )
