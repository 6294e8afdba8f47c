"""Step 2: the joint situation picture per operating year, its problems and their approval."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pitebra.lookups import operating_year
from pitebra.permissions import MEMBER, agreement_view
from pitebra.versioning import StaleVersion
from pitebra.versioning.forms import save_versioned
from security.audit import Action, record

from ..completeness import completeness_for
from ..forms.situation import CauseFormSet, ProblemForm, SituationPictureForm
from ..models import Approval, Observation, Problem, SituationPicture
from ..services import situation as services
from ..services.situation import PictureLocked


def _locked(request, picture):
    messages.error(
        request,
        _(
            "This version is read-only because it has been agreed (or replaced). Start a new "
            "version to change it."
        ),
    )
    return redirect("plans:situation-detail", picture.agreement_id, picture.pk)


def _is_editable(picture) -> bool:
    try:
        services.ensure_editable(picture)
    except PictureLocked:
        return False
    return True


def _save_picture(form):
    picture = form.save()
    if form.has_changed():
        services.picture_changed(picture=picture)
    return picture


@agreement_view(required=MEMBER)
def situation_list(request, agreement):
    """Every operating year with its pictures' versions, newest first."""
    pictures = (
        SituationPicture.objects.filter(agreement=agreement)
        .prefetch_related("approvals")
        .order_by("-year", "-version")
    )
    by_year = {year: [] for year in agreement.years}
    for picture in pictures:
        by_year.setdefault(picture.year, []).append(picture)
    return render(
        request,
        "plans/situation_list.html",
        {"agreement": agreement, "years": sorted(by_year.items(), reverse=True)},
    )


@require_POST
@agreement_view(required=MEMBER)
def situation_start(request, agreement, year):
    operating_year(agreement, year)
    picture = services.picture_start(agreement=agreement, year=year, user=request.user)
    return redirect("plans:situation-detail", agreement.pk, picture.pk)


@agreement_view(required=MEMBER)
def situation_detail(request, agreement, pk):
    picture = get_object_or_404(
        SituationPicture.objects.filter(agreement=agreement).prefetch_related(
            Prefetch("approvals", queryset=Approval.objects.select_related("user")),
            Prefetch(
                "problems",
                queryset=Problem.objects.select_related("priority_area").prefetch_related(
                    "causes",
                    "places",
                    "indicators",
                    "documents",
                    "sources",
                    Prefetch(
                        "observations", queryset=Observation.objects.select_related("indicator")
                    ),
                ),
            ),
        ),
        pk=pk,
    )
    versions = list(
        SituationPicture.objects.filter(agreement=agreement, year=picture.year).order_by("-version")
    )
    editable = not picture.is_agreed and versions[0].pk == picture.pk
    approved = {approval.party: approval for approval in picture.approvals.all()}
    party = services.approval_party_for(agreement=agreement, user=request.user)
    context = {
        "agreement": agreement,
        "picture": picture,
        "versions": versions,
        "editable": editable,
        "is_newest": versions[0].pk == picture.pk,
        "approvals": [(label, approved.get(value)) for value, label in Approval.Party.choices],
        "can_approve": editable and party is not None and party not in approved,
        "my_party": Approval.Party(party).label if party else None,
        "check": completeness_for(picture),
    }
    return render(request, "plans/situation_detail.html", context)


@agreement_view(required=MEMBER)
def situation_edit(request, agreement, pk):
    picture = get_object_or_404(SituationPicture, agreement=agreement, pk=pk)
    if not _is_editable(picture):
        return _locked(request, picture)
    form = SituationPictureForm(request.POST or None, instance=picture)
    if request.method == "POST" and form.is_valid() and save_versioned(form, save=_save_picture):
        messages.success(request, _("The situation picture was saved."))
        return redirect("plans:situation-detail", agreement.pk, picture.pk)
    return render(
        request,
        "plans/situation_form.html",
        {"agreement": agreement, "picture": picture, "form": form},
    )


@require_POST
@agreement_view(required=MEMBER)
def situation_approve(request, agreement, pk):
    picture = get_object_or_404(SituationPicture, agreement=agreement, pk=pk)
    try:
        approval = services.picture_approve(picture=picture, user=request.user)
    except PictureLocked:
        return _locked(request, picture)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("plans:situation-detail", agreement.pk, picture.pk)
    picture.refresh_from_db()
    record(Action.SITUATION_APPROVED, agreement=agreement, obj=picture, summary=approval.party)
    if picture.is_agreed:
        messages.success(request, _("Both parties have approved: the situation picture is agreed."))
    else:
        messages.success(
            request,
            _("Approved for %(party)s. The other party's approval is still needed.")
            % {"party": approval.get_party_display().lower()},
        )
    return redirect("plans:situation-detail", agreement.pk, picture.pk)


@require_POST
@agreement_view(required=MEMBER)
def situation_new_version(request, agreement, pk):
    picture = get_object_or_404(SituationPicture, agreement=agreement, pk=pk)
    try:
        new = services.picture_new_version(picture=picture, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("plans:situation-detail", agreement.pk, picture.pk)
    messages.success(
        request,
        _("Version %(version)s was started; both parties need to approve it again.")
        % {"version": new.version},
    )
    return redirect("plans:situation-detail", agreement.pk, new.pk)


def _problem_form_page(request, agreement, picture, problem):
    is_new = problem.pk is None
    form = ProblemForm(request.POST or None, instance=problem, agreement=agreement)
    causes = CauseFormSet(request.POST or None, instance=problem, prefix="causes")
    if request.method == "POST":
        if form.is_valid() and causes.is_valid():

            def save(form):
                saved = form.save(commit=False)
                saved.picture = picture
                saved.save()
                form.save_m2m()
                saved.places.add(*form.new_places(agreement))
                causes.instance = saved
                try:
                    causes.save()
                except StaleVersion as stale:
                    # A cause changed under us: show that row merged, save nothing.
                    next(f for f in causes.forms if f.instance.pk == stale.current.pk).merge_with(
                        stale.current
                    )
                    raise
                if is_new or form.has_changed() or causes.has_changed():
                    services.picture_changed(picture=picture)
                return saved

            if save_versioned(form, save=save):
                messages.success(request, _("The problem was saved."))
                return redirect("plans:situation-detail", agreement.pk, picture.pk)
        messages.error(request, _("The problem could not be saved: see the form."))
    return render(
        request,
        "plans/problem_form.html",
        {
            "agreement": agreement,
            "picture": picture,
            "problem": problem if problem.pk else None,
            "form": form,
            "causes": causes,
        },
    )


@agreement_view(required=MEMBER)
def problem_create(request, agreement, picture_pk):
    picture = get_object_or_404(SituationPicture, agreement=agreement, pk=picture_pk)
    if not _is_editable(picture):
        return _locked(request, picture)
    return _problem_form_page(request, agreement, picture, Problem(picture=picture))


@agreement_view(required=MEMBER)
def problem_edit(request, agreement, pk):
    problem = get_object_or_404(
        Problem.objects.select_related("picture"), picture__agreement=agreement, pk=pk
    )
    if not _is_editable(problem.picture):
        return _locked(request, problem.picture)
    return _problem_form_page(request, agreement, problem.picture, problem)


@require_POST
@agreement_view(required=MEMBER)
def problem_delete(request, agreement, pk):
    problem = get_object_or_404(
        Problem.objects.select_related("picture"), picture__agreement=agreement, pk=pk
    )
    picture = problem.picture
    if not _is_editable(picture):
        return _locked(request, picture)
    with transaction.atomic():
        record(Action.DELETION, agreement=agreement, obj=problem, summary="problem")
        problem.delete()
        services.picture_changed(picture=picture)
    messages.success(request, _("The problem was removed."))
    return redirect("plans:situation-detail", agreement.pk, picture.pk)
