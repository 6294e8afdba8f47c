"""Step 1: indicators with their values, charts, and imports from CSV and Kolada."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pitebra.concurrency import SAVED_MEANWHILE, SavedMeanwhile, first_save
from pitebra.limits import load_json
from pitebra.permissions import MEMBER, agreement_view
from security.audit import Action, record

from ..charts import indicator_chart
from ..forms.facts import CsvImportForm, IndicatorForm, KoladaFileForm, ObservationFormSet
from ..models import Indicator, Observation
from ..services.imports import (
    observations_import,
    parse_kolada,
    parse_observations_csv,
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
def import_csv(request, agreement):
    """Upload, preview, then confirm: nothing is saved until the preview is confirmed."""
    result = None
    form = CsvImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        result = parse_observations_csv(agreement=agreement, text=text)
        if not result.errors and "confirm" in request.POST:
            created, updated = observations_import(rows=result.rows)
            record(Action.IMPORT, agreement=agreement, summary="facts csv")
            messages.success(
                request,
                _("Imported %(created)s new and %(updated)s updated values.")
                % {"created": created, "updated": updated},
            )
            return redirect("plans:indicator-list", agreement.pk)
        form = CsvImportForm(initial={"content": text} if not result.errors else None)
    return render(
        request,
        "plans/import_csv.html",
        {"agreement": agreement, "form": form, "result": result},
    )


@agreement_view(required=MEMBER)
def import_kolada_file(request, agreement):
    """A Kolada v3 JSON document, uploaded: all its values or none."""
    errors = []
    form = KoladaFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = load_json(form.cleaned_data["file"].read())
        except ValidationError as error:
            errors = list(error.messages)
        else:
            result = parse_kolada(agreement=agreement, data=data)
            errors = result.errors
            if not errors:
                created, updated = observations_import(rows=result.rows)
                record(Action.IMPORT, agreement=agreement, summary="kolada json")
                messages.success(
                    request,
                    _(
                        "Imported %(created)s new and %(updated)s updated values from Kolada; "
                        "%(skipped)s empty values skipped."
                    )
                    % {"created": created, "updated": updated, "skipped": result.skipped},
                )
                return redirect("plans:indicator-list", agreement.pk)
    return render(
        request,
        "plans/import_kolada.html",
        {"agreement": agreement, "form": form, "errors": errors},
    )
