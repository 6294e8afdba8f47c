"""No lost updates: every edited item's version is checked on every save path.

The page scenario of issue 12 (polis and kommun editing one activity), the three-way merge,
the admin, the plan import and a save made outside any form (as a command makes it).

One module past 300 lines: every save path of one rule, side by side.
"""

from http import HTTPStatus
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from followup.models import Evaluation, Meeting, YearEndReport
from pitebra.versioning import DeletedMeanwhile, StaleVersion
from pitebra.versioning.forms import save_versioned
from plans import excel
from plans.forms.plan import ActivityForm
from plans.models import Activity, Cause, ImplementationPlan, Problem, SituationPicture
from plans.services.status import activity_save

from ..factories import (
    make_activity,
    make_cause,
    make_evaluation,
    make_goal,
    make_meeting,
    make_member,
    make_organisation,
    make_picture,
    make_plan,
    make_priority_area,
    make_problem,
    make_strategy,
)


@pytest.fixture
def activity(agreement):
    area = make_priority_area(agreement, name="Trygga miljöer")
    strategy = make_strategy(make_goal(make_plan(agreement, 2024), priority_area=area))
    return make_activity(
        strategy,
        title="Trygghetsvandring",
        status="ongoing",
        traffic_light="yellow",
        traffic_light_comment="Väntar på kommunen",
        contact_name="Kim",
        responsible_organisation=agreement.municipality,
    )


def _browser(user):
    client = Client()
    client.force_login(user)
    return client


def _open(client, url):
    """The form as the browser holds it: every field's value, as it would post them."""
    form = client.get(url).context["form"]
    return _as_posted(form)


def _as_posted(form):
    data = {}
    for _name, bound in form._bound_items():
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, list):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        else:
            posted = bound.field.widget.format_value(value)
            if isinstance(posted, list):
                posted = posted[0] if posted else ""
            data[bound.html_name] = "" if posted is None else posted
    return data


def test_polis_and_kommun_edit_one_activity_and_nothing_is_lost(agreement, activity):
    polis = make_member(agreement, username="polis", first_name="Pia", last_name="Polis")
    kommun = make_member(agreement, username="kommun", first_name="Kim", last_name="Kommun")
    url = reverse("plans:activity-edit", args=[agreement.pk, activity.pk])
    polis_browser, kommun_browser = _browser(polis), _browser(kommun)
    polis_form, kommun_form = _open(polis_browser, url), _open(kommun_browser, url)

    polis_form.update(traffic_light="green", traffic_light_comment="Klart med skolan")
    assert polis_browser.post(url, polis_form).status_code == HTTPStatus.FOUND

    kommun_form["places"] = "Öjebyn"
    refused = kommun_browser.post(url, kommun_form)
    assert refused.status_code == HTTPStatus.OK
    page = refused.content.decode()
    assert "Någon annan sparade det här efter att du öppnade det" in page
    assert "Pia Polis sparade under tiden" in page
    activity.refresh_from_db()
    assert (activity.traffic_light, activity.places) == ("green", "")

    # The form now holds polis's light and comment, with kommun's place on top.
    merged = refused.context["form"]
    assert merged["traffic_light"].value() == "green"
    assert merged["traffic_light_comment"].value() == "Klart med skolan"
    assert merged["places"].value() == "Öjebyn"
    assert "Gul" in page and "Grön" in page  # what polis changed, in words

    # Spara again: kommun's place is saved and polis's light and comment stay.
    assert kommun_browser.post(url, _as_posted(merged)).status_code == HTTPStatus.FOUND
    activity.refresh_from_db()
    assert (activity.traffic_light, activity.traffic_light_comment, activity.places) == (
        "green",
        "Klart med skolan",
        "Öjebyn",
    )
    assert activity.status_updates.count() == 1  # polis's change of light, recorded once


def test_a_field_both_changed_is_marked_with_the_other_value_beside(agreement, activity, member):
    other = make_member(agreement, username="kollega")
    url = reverse("plans:activity-edit", args=[agreement.pk, activity.pk])
    mine, theirs = _open(_browser(member), url), _open(_browser(other), url)
    theirs["title"] = "Trygghetsvandring i centrum"
    assert _browser(other).post(url, theirs).status_code == HTTPStatus.FOUND
    mine["title"] = "Trygghetsvandring i Öjebyn"
    response = _browser(member).post(url, mine)
    form = response.context["form"]
    assert form["title"].value() == "Trygghetsvandring i Öjebyn"
    assert "Ändrades samtidigt av någon annan, till: ”Trygghetsvandring i centrum”" in str(
        form.errors["title"]
    )
    assert form.conflict.both == [("Titel", "Trygghetsvandring i centrum", mine["title"])]
    # Saving the merged form keeps the value the user chose, knowingly.
    assert _browser(member).post(url, _as_posted(form)).status_code == HTTPStatus.FOUND
    activity.refresh_from_db()
    assert activity.title == "Trygghetsvandring i Öjebyn"


def _stale_pair(obj):
    model = type(obj)
    return model.objects.get(pk=obj.pk), model.objects.get(pk=obj.pk)


@pytest.mark.parametrize(
    "make, field",
    [
        (lambda a: make_plan(a, 2030), "status"),
        (lambda a: make_picture(a), "analysis"),
        (lambda a: make_problem(make_picture(a)), "title"),
        (lambda a: make_cause(make_problem(make_picture(a))), "description"),
        (lambda a: make_meeting(a), "minutes"),
        (lambda a: YearEndReport.objects.create(agreement=a, year=2024), "foreword"),
        (
            lambda a: make_evaluation(make_activity(make_strategy(make_goal(make_plan(a, 2031))))),
            "lessons",
        ),
    ],
)
def test_every_edited_model_refuses_a_save_of_an_older_version(agreement, make, field):
    """What a command or the shell does: load, someone else saves, save → refused."""
    first, second = _stale_pair(make(agreement))
    setattr(first, field, "adopted" if field == "status" else "Först")
    if field == "status":
        first.adopted_on = first.adopted_on or __import__("datetime").date(2030, 2, 1)
    first.save()
    setattr(second, field, "Sedan")
    with pytest.raises(StaleVersion) as refused:
        second.save()
    assert getattr(refused.value.current, field) == getattr(first, field)
    assert type(first) in (
        ImplementationPlan,
        SituationPicture,
        Problem,
        Cause,
        Meeting,
        YearEndReport,
        Evaluation,
    )


def test_the_admin_refuses_a_stale_save_and_shows_the_merge(client_for, agreement, coordinator):
    activity = make_activity(
        make_strategy(make_goal(make_plan(agreement, 2024))),
        title="Nattvandring",
        traffic_light="yellow",
        traffic_light_comment="Få vuxna",
        contact_name="Kim",
    )
    url = reverse("admin:plans_activity_change", args=[activity.pk])
    browser = client_for(coordinator)
    form = browser.get(url).context["adminform"].form
    data = _as_posted(form)
    # Someone saves on the page meanwhile.
    current = Activity.objects.get(pk=activity.pk)
    current.traffic_light, current.traffic_light_comment = "green", "Fler vuxna"
    activity_save(activity=current, by=None)

    data["places"] = "Centrum"
    response = browser.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert "Någon annan sparade det här efter att du öppnade det" in response.content.decode()
    activity.refresh_from_db()
    assert (activity.traffic_light, activity.places) == ("green", "")
    merged = response.context["adminform"].form
    assert merged["traffic_light"].value() == "green"
    assert merged["places"].value() == "Centrum"
    # Saving what the admin now shows keeps both changes.
    assert browser.post(url, _as_posted(merged)).status_code == HTTPStatus.FOUND
    activity.refresh_from_db()
    assert (activity.traffic_light, activity.places) == ("green", "Centrum")


def _import_plan(agreement):
    from openpyxl import Workbook

    area = make_priority_area(agreement, name="Barn och unga")
    plan = make_plan(agreement, 2024)
    organisation = make_organisation(name="Kommun X", agreement=agreement)
    activity = make_activity(
        make_strategy(make_goal(plan, priority_area=area, title="Mål A"), title="Strategi A"),
        title="Föräldraträffar",
        responsible_organisation=organisation,
        contact_name="Kim",
    )
    book = Workbook()
    book.active.append(excel.HEADERS)
    row = dict.fromkeys(k for k, _h in excel.COLUMNS)
    row.update(
        priority_area="Barn och unga",
        goal="Mål A",
        strategy="Strategi A",
        title="Föräldraträffar",
        description="Från filen",
        responsible_organisation="Kommun X",
        contact="Kim",
        status="Pågår",
    )
    book.active.append([row[k] for k, _h in excel.COLUMNS])
    import io

    out = io.BytesIO()
    book.save(out)
    return plan, activity, out.getvalue()


def test_the_plan_import_refuses_what_changed_after_the_preview(client_for, agreement, member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan, activity, data = _import_plan(agreement)
    client = client_for(member)
    url = reverse("plans:plan-import", args=[agreement.pk, 2024])
    client.post(url, {"file": SimpleUploadedFile("plan.xlsx", data)})
    current = Activity.objects.get(pk=activity.pk)
    current.description = "Ändrad på sidan under tiden"
    current.save()

    # The worker saves the import; its page says why nothing was imported.
    page = client.post(url, {"confirm": "1"}, follow=True).content.decode()
    assert "Rad 2: ”Föräldraträffar” ändrades av någon annan efter förhandsgranskningen." in page
    activity.refresh_from_db()
    assert activity.description == "Ändrad på sidan under tiden"
    assert activity.status == "planned"  # nothing of the file was written


def test_an_import_without_preview_never_overwrites_a_save_made_meanwhile(agreement):
    """The path a command takes: the service loads and saves; a save in between wins."""
    from plans.imports.plan import PlanPreview
    from plans.imports.save import plan_import_save

    plan, activity, data = _import_plan(agreement)
    preview = PlanPreview(plan=plan, data=data)
    assert preview.errors == []
    real_clean_fields = Activity.clean_fields

    def someone_saves_meanwhile(self, *args, **kwargs):
        Activity.objects.filter(pk=self.pk).update(
            description="Sparad under importen", version=self.version + 1
        )
        return real_clean_fields(self, *args, **kwargs)

    from django.core.exceptions import ValidationError

    with (
        mock.patch.object(Activity, "clean_fields", someone_saves_meanwhile),
        pytest.raises(ValidationError) as refused,
    ):
        plan_import_save(preview=preview)
    assert "Rad 2" in refused.value.messages[0]
    activity.refresh_from_db()
    assert activity.status == "planned"  # the file's "Pågår" was not written


def test_a_stale_cause_in_the_problem_form_comes_back_merged(agreement, member):
    """The causes are a formset: its own fields (the row id, DELETE) are not merged as edits."""
    problem = make_problem(make_picture(agreement), title="Skadegörelse")
    cause = make_cause(problem, description="Tomma lokaler")
    url = reverse("plans:problem-edit", args=[agreement.pk, problem.pk])
    browser = _browser(member)
    page = browser.get(url).context
    data = _as_posted(page["form"])
    data.update(_as_posted(page["causes"].management_form))
    for form in page["causes"].forms:
        data.update(_as_posted(form))
    # A colleague rewrites the cause meanwhile.
    current = Cause.objects.get(pk=cause.pk)
    current.description = "Tomma lokaler och dålig belysning"
    current.save()

    data["causes-0-description"] = "Tomma lokaler på kvällarna"
    response = browser.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert "Tomma lokaler och dålig belysning" in response.content.decode()
    assert Cause.objects.get(pk=cause.pk).description == "Tomma lokaler och dålig belysning"


def test_a_save_of_a_row_deleted_meanwhile_is_refused_not_resurrected(agreement, activity):
    """What a command or the shell does: load, someone else deletes, save → refused."""
    loaded = Activity.objects.get(pk=activity.pk)
    Activity.objects.filter(pk=activity.pk).delete()
    loaded.title = "Sparad efteråt"
    with pytest.raises(DeletedMeanwhile):
        loaded.save()
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_the_form_says_the_activity_was_deleted_in_the_instant_before_the_save(
    agreement, activity, member
):
    """The page loaded the row, then someone deleted it before the save: a message, no row."""
    url = reverse("plans:activity-edit", args=[agreement.pk, activity.pk])
    posted = _open(_browser(member), url)
    posted["title"] = "Sparad efteråt"
    loaded = Activity.objects.get(pk=activity.pk)
    form = ActivityForm(posted, instance=loaded, plan=activity.strategy.goal.plan)
    assert form.is_valid(), form.errors
    Activity.objects.filter(pk=activity.pk).delete()
    with translation.override("sv"):
        assert save_versioned(form) is None
        assert "Någon annan tog bort det här efter att du öppnade det" in str(form.errors)
    assert not Activity.objects.filter(pk=activity.pk).exists()
