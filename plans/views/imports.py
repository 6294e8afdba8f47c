"""Importing the file a group has: upload → mapping and preview (changeable) → import.

The uploaded bytes wait in the user's (database-backed) session between the steps.
"""

import base64

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pitebra.permissions import MEMBER, agreement_view
from security.audit import Action, record

from ..forms.imports import MappingForm, UploadForm, posted_mapping
from ..imports.columns import FACT_FIELDS, PLAN_FIELDS
from ..imports.display import plan_rows_display
from ..imports.facts import FactsPreview
from ..imports.plan import PlanPreview
from ..imports.save import facts_import_save, seen_versions
from ..imports.table import TableError
from ..lookups import get_plan
from ..models import ImportJob
from ..tasks import import_plan

PREVIEW_ROWS = 300


def _flow(request, key, fields, build, unmapped=None):
    """(upload form, preview or None, mapping form or None, errors) for one request."""
    form = UploadForm()
    if request.method != "POST":
        return form, None, None, []
    if "file" in request.FILES:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return form, None, None, []
        data = form.cleaned_data["file"].read()
        request.session[key] = base64.b64encode(data).decode()
        request.session.pop(key + "-versions", None)
        columns = answers = None
    else:
        stored = request.session.get(key)
        if stored is None:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return form, None, None, []
        data = base64.b64decode(stored)
        count = int(request.POST.get("columns", 0))
        columns, answers = posted_mapping(request.POST, count, {f.key for f in fields})
    try:
        preview = build(data, columns, answers)
    except TableError as error:
        request.session.pop(key, None)
        return form, None, None, [str(error)]
    if columns is not None and len(columns) != len(preview.table.headers):
        preview = build(data, None, answers)
    mapping = MappingForm(preview=preview, fields=fields, unmapped=unmapped)
    return form, preview, mapping, preview.errors


@agreement_view(required=MEMBER)
def plan_import(request, agreement, year):
    plan = get_plan(agreement, year)
    key = f"plan-import-{plan.pk}"
    form, preview, mapping, errors = _flow(
        request,
        key,
        PLAN_FIELDS,
        lambda data, columns, answers: PlanPreview(
            plan=plan, data=data, columns=columns, answers=answers
        ),
    )
    if preview and "file" in request.FILES:
        # What the user previews is what the import may change: a save in between is refused.
        request.session[key + "-versions"] = seen_versions(plan)
    if preview and not errors and "confirm" in request.POST:
        # The worker saves it (plans/tasks.py); the page shows how far it has come.
        job = ImportJob.objects.create(
            plan=plan,
            requested_by=request.user,
            data=base64.b64decode(request.session[key]),
            columns=preview.columns,
            answers=preview.answers,
            seen=request.session.get(key + "-versions"),
            rows_total=len(preview.rows),
        )
        import_plan.enqueue(job.pk)
        del request.session[key]
        return redirect("plans:plan-import-job", agreement_pk=agreement.pk, year=year, pk=job.pk)
    return _render_plan(request, agreement, plan, form, preview, mapping, errors)


@agreement_view(required=MEMBER)
def plan_import_job(request, agreement, year, pk):
    """How far the worker has come with a confirmed import, and its result."""
    plan = get_plan(agreement, year)
    job = get_object_or_404(ImportJob.objects.defer("data"), plan=plan, pk=pk)
    return render(
        request,
        "plans/plan_import_job.html",
        {"agreement": agreement, "plan": plan, "job": job},
    )


def _render_plan(request, agreement, plan, form, preview, mapping, errors):
    return render(
        request,
        "plans/plan_import.html",
        {
            "agreement": agreement,
            "plan": plan,
            "form": form,
            "preview": preview,
            "mapping": mapping,
            "errors": errors,
            "rows": plan_rows_display(preview, PREVIEW_ROWS) if preview else [],
            "more": max(0, len(preview.rows) - PREVIEW_ROWS) if preview else 0,
            "counts": preview.counts() if preview else {},
        },
    )


@agreement_view(required=MEMBER)
def import_csv(request, agreement):
    """Facts from a table: upload, mapping and preview, then import; all values or none."""
    key = f"facts-import-{agreement.pk}"
    form, preview, mapping, errors = _flow(
        request,
        key,
        FACT_FIELDS,
        lambda data, columns, answers: FactsPreview(
            agreement=agreement, data=data, columns=columns, answers=answers
        ),
        unmapped=_("— not imported —"),
    )
    if preview and not errors and "confirm" in request.POST:
        created, updated = facts_import_save(preview=preview)
        del request.session[key]
        record(Action.IMPORT, agreement=agreement, summary="facts file")
        messages.success(
            request,
            _(
                "Imported %(created)s new and %(updated)s updated values; %(missing)s missing "
                "values skipped."
            )
            % {"created": created, "updated": updated, "missing": preview.missing},
        )
        return redirect("plans:indicator-list", agreement.pk)
    return render(
        request,
        "plans/import_csv.html",
        {
            "agreement": agreement,
            "form": form,
            "preview": preview,
            "mapping": mapping,
            "errors": errors,
            "rows": preview.rows[:PREVIEW_ROWS] if preview else [],
            "unmapped_note": _("Columns not imported as a field are not read."),
            "more": max(0, len(preview.rows) - PREVIEW_ROWS) if preview else 0,
            "counts": preview.counts() if preview else {},
        },
    )
