"""The plan as .xlsx and .csv (the import lives in `imports.py`)."""

from django.http import HttpResponse

from pitebra.downloads import private_download
from pitebra.permissions import MEMBER, agreement_view
from security.audit import Action, record

from .. import excel
from ..lookups import get_plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
