"""Turning an agreement's public page on: a coordinator's decision, after every text that
would become public has passed the personal-data check (`pitebra.personal_data`)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pitebra.models import Agreement, User
from pitebra.permissions import COORDINATOR, agreement_view
from pitebra.personal_data import check_texts
from plans.models import Activity, CitizenPromise, Goal

from . import content


def public_texts(agreement):
    """(place, text) for every text the public page and open data would show."""
    yield _("The agreement's title"), agreement.title
    for area in agreement.priority_areas.all():
        yield _("Priority area “%(name)s”") % {"name": area.name}, area.name
        yield (
            _("Priority area “%(name)s”: overarching goal") % {"name": area.name},
            (area.overarching_goal),
        )
    plans = content.public_plans(agreement)
    for goal in Goal.objects.filter(plan__in=plans).select_related("plan"):
        yield (
            _("Goal %(year)s “%(title)s”") % {"year": goal.plan.year, "title": goal.title},
            (goal.title),
        )
    for promise in CitizenPromise.objects.filter(plan__in=plans).select_related("plan"):
        place = _("Citizen promise %(year)s “%(text)s”") % {
            "year": promise.plan.year,
            "text": promise.promise[:60],
        }
        yield place, promise.promise
        yield place, promise.unit
    activities = Activity.objects.filter(
        public=True, strategy__goal__plan__in=plans
    ).select_related("strategy__goal__plan")
    labels = {name: Activity._meta.get_field(name).verbose_name for name in Activity.PUBLIC_TEXTS}
    for activity in activities:
        for name in Activity.PUBLIC_TEXTS:
            place = _("Activity %(year)s “%(title)s”: %(field)s") % {
                "year": activity.strategy.goal.plan.year,
                "title": activity.title[:60],
                "field": labels[name],
            }
            yield place, getattr(activity, name)
    for report in content.published_reports(agreement):
        place = _("Year-end report %(year)s version %(version)s: reason for the correction") % {
            "year": report.report.year,
            "version": report.version,
        }
        yield place, report.correction_reason


class PublicPageForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["public", "public_contact"]

    def clean_public_contact(self):
        address = self.cleaned_data["public_contact"]
        if address and User.objects.filter(email__iexact=address).exists():
            raise ValidationError(
                gettext_lazy(
                    "This is a person's own address (a user has it). Give a shared mailbox."
                ),
                code="personal_address",
            )
        return address

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("public"):
            self.findings = check_texts(public_texts(self.instance))
            if self.findings:
                raise ValidationError(
                    gettext_lazy(
                        "The page cannot be made public: %(count)s texts contain personal "
                        "data. Correct them (listed below) and try again."
                    ),
                    code="personal_data",
                    params={"count": len(self.findings)},
                )
        return cleaned


@agreement_view(required=COORDINATOR)
def public_settings(request, agreement):
    form = PublicPageForm(request.POST or None, instance=agreement)
    form.findings = []
    if request.method == "POST" and form.is_valid():
        form.save()
        if agreement.public:
            messages.success(request, _("The public page is on."))
        else:
            messages.success(request, _("The public page is off."))
        return redirect("public-settings", agreement_pk=agreement.pk)
    return render(
        request,
        "public/settings.html",
        {"agreement": agreement, "form": form, "findings": form.findings},
    )
