"""Step 1: indicators with their values, charts, and imports from CSV and Kolada."""

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
    indicators = Indicator.objects.filter(agreement=agreement).with_observations()
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
    indicator = get_object_or_404(Indicator, agreement=agreement, pk=pk)
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
        Indicator.objects.filter(agreement=agreement).with_observations(), pk=pk
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
    """One or more Kolada v3 JSON documents, uploaded together: all their values or none."""
    errors, warnings = [], []
    form = KoladaFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        documents = []
        for upload in form.cleaned_data["file"]:
            try:
                documents.append((upload.name, load_json(upload.read())))
            except ValidationError as error:
                errors += [f"{upload.name}: {message}" for message in error.messages]
        result = parse_kolada_files(agreement=agreement, documents=documents)
        errors += result.errors
        warnings = result.warnings
        if not errors:
            today = timezone.localdate()
            with transaction.atomic():
                created, updated = observations_import(rows=result.rows, note=kolada_note(today))
                kept = observations_keep_older(nulls=result.nulls, note=kolada_kept_note(today))
                record(Action.IMPORT, agreement=agreement, summary="kolada json")
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
    return render(
        request,
        "plans/import_kolada.html",
        {"agreement": agreement, "form": form, "errors": errors, "warnings": warnings},
    )
