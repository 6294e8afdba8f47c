"""Step 1: indicators with their values, charts, and imports from CSV and Kolada."""

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pitebra.concurrency import SAVED_MEANWHILE, SavedMeanwhile, first_save
from pitebra.limits import load_json
from pitebra.permissions import MEMBER, agreement_view
from security.audit import Action, record

from ..charts import indicator_chart
from ..forms.facts import IndicatorForm, KoladaFileForm, ObservationFormSet
from ..models import Indicator, Observation
from ..services.imports import (
    kolada_kept_note,
    kolada_note,
    observations_import,
    observations_keep_older,
    parse_kolada_files,
)

Scope = Observation.Scope


@agreement_view(required=MEMBER)
def indicator_list(request, agreement):
    """The facts page: every indicator with its chart and values."""
    indicators = Indicator.objects.of_municipality(agreement).with_observations()
    return render(
        request,
        "plans/indicator_list.html",
        {
            "agreement": agreement,
            "items": [indicator_chart(indicator) for indicator in indicators],
        },
    )


@agreement_view(required=MEMBER)
def indicator_create(request, agreement):
    form = IndicatorForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        indicator = form.save()
        messages.success(request, _("The indicator was saved."))
        return redirect("plans:indicator-detail", agreement.pk, indicator.pk)
    return render(request, "plans/indicator_form.html", {"agreement": agreement, "form": form})


@agreement_view(required=MEMBER)
def indicator_edit(request, agreement, pk):
    indicator = get_object_or_404(Indicator.objects.of_municipality(agreement), pk=pk)
    form = IndicatorForm(request.POST or None, instance=indicator, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The indicator was saved."))
        return redirect("plans:indicator-detail", agreement.pk, indicator.pk)
    return render(
        request,
        "plans/indicator_form.html",
        {"agreement": agreement, "form": form, "indicator": indicator},
    )


@agreement_view(required=MEMBER)
def indicator_detail(request, agreement, pk):
    """One indicator: its chart and table, and the compact form of all its values."""
    indicator = get_object_or_404(
        Indicator.objects.of_municipality(agreement).with_observations(), pk=pk
    )
    formset = ObservationFormSet(
        request.POST or None,
        instance=indicator,
        queryset=indicator.observations.order_by("-year", "subperiod", "scope", "gender"),
        prefix="obs",
    )
    if request.method == "POST":
        if formset.is_valid():
            try:
                with first_save():
                    formset.save()
            except SavedMeanwhile:
                messages.warning(request, SAVED_MEANWHILE)
            else:
                messages.success(request, _("The values were saved."))
            return redirect("plans:indicator-detail", agreement.pk, indicator.pk)
        messages.error(request, _("The values could not be saved: see the errors in the table."))
    return render(
        request,
        "plans/indicator_detail.html",
        {"agreement": agreement, "formset": formset, **indicator_chart(indicator)},
    )


@agreement_view(required=MEMBER)
def import_kolada_file(request, agreement):
    """One or more Kolada v3 JSON documents: upload, preview, then all their values or none."""
    key = f"kolada-import-{agreement.pk}"
    errors, warnings, result = [], [], None
    form = KoladaFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "confirm" not in request.POST:
        if form.is_valid():
            files = [(upload.name, upload.read()) for upload in form.cleaned_data["file"]]
            request.session[key] = [(name, base64.b64encode(data).decode()) for name, data in files]
            errors, warnings, result = _kolada_parse(agreement, files)
    elif request.method == "POST":
        form = KoladaFileForm()
        stored = request.session.get(key)
        if stored is None:
            messages.error(request, _("Upload the files again: the preview has expired."))
            return redirect("plans:import-kolada", agreement.pk)
        files = [(name, base64.b64decode(data)) for name, data in stored]
        errors, warnings, result = _kolada_parse(agreement, files)
        if not errors:
            return _kolada_save(request, agreement, key, result, warnings)
    if errors:
        request.session.pop(key, None)
    return render(
        request,
        "plans/import_kolada.html",
        {
            "agreement": agreement,
            "form": form,
            "errors": errors,
            "warnings": warnings,
            "preview": result if result and not errors else None,
            "rows": [
                {
                    "name": r.indicator.name,
                    "year": r.year,
                    "scope": Scope(r.scope).label,
                    "value": r.value,
                }
                for r in (result.rows[:300] if result and not errors else [])
            ],  # fmt: skip
            "more": max(0, len(result.rows) - 300) if result and not errors else 0,
        },
    )


def _kolada_parse(agreement, files):
    documents, errors = [], []
    for name, data in files:
        try:
            documents.append((name, load_json(data)))
        except ValidationError as error:
            errors += [f"{name}: {message}" for message in error.messages]
    result = parse_kolada_files(agreement=agreement, documents=documents)
    return errors + result.errors, result.warnings, result


def _kolada_save(request, agreement, key, result, warnings):
    today = timezone.localdate()
    with transaction.atomic():
        created, updated = observations_import(rows=result.rows, note=kolada_note(today))
        kept = observations_keep_older(nulls=result.nulls, note=kolada_kept_note(today))
        record(Action.IMPORT, agreement=agreement, summary="kolada json")
    request.session.pop(key, None)
    messages.success(
        request,
        _(
            "Imported %(created)s new and %(updated)s updated values from Kolada; "
            "%(skipped)s empty values skipped."
        )
        % {"created": created, "updated": updated, "skipped": result.skipped},
    )
    if kept:
        messages.warning(
            request,
            _(
                "Kolada gave no value for %(n)s periods that already had one: the older "
                "values are kept, with a note saying so."
            )
            % {"n": kept},
        )
    for warning in warnings:
        messages.warning(request, warning)
    return redirect("plans:indicator-list", agreement.pk)
