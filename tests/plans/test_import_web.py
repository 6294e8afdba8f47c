"""The import in the browser: mapping shown and changeable, one decision per unknown value."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pitebra.models import Membership
from plans import excel
from plans.models import Activity, ImportChoice, Observation

from ..factories import make_activity, make_member, make_plan_tree
from .messy_files import UNKNOWN_VALUES, messy_agreement, messy_facts_csv, messy_plan_xlsx


@pytest.fixture
def messy(db):
    agreement, plan = messy_agreement()
    member = make_member(agreement, Membership.Role.MEMBER, username="kommun")
    return agreement, plan, member


def _questions(html):
    """{legend text: {option label: value}} of the value questions on the page."""
    found = {}
    for fieldset in re.findall(r'<fieldset class="[^"]*">.*?</fieldset>', html, re.S):
        if "remembered" in fieldset.split(">")[0]:
            continue
        legend = re.sub(r"<.*?>", "", re.search(r"<legend.*?</legend>", fieldset, re.S)[0])
        name = re.search(r'name="(v_[^"]+)"', fieldset)[1]
        pairs = re.findall(r'value="([^"]*)"[^>]*>\s*<label[^>]*>([^<]*)</label>', fieldset)
        options = {label.strip(): value for value, label in pairs}
        found[" ".join(legend.split())] = (name, options)
    return found


def _columns(html):
    return dict(
        re.findall(r'<select name="(col_\d+)".*?<option value="([^"]*)" selected', html, re.S)
    )


NO_CONTACT = "(ingen kontaktperson i filen)"


def test_messy_plan_lands_with_one_decision_per_unknown_value(client_for, messy):
    agreement, plan, member = messy
    client = client_for(member)
    url = reverse("plans:plan-import", args=[agreement.pk, 2025])
    page = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", messy_plan_xlsx())})
    html = page.content.decode()
    assert page.status_code == HTTPStatus.OK
    assert "Rad 1: en rubrik eller anteckning ovanför kolumnnamnen, hoppades över." in html
    assert "Rad 13: en summerings- eller antalsrad, hoppades över." in html
    assert "Förhandsgranskning: 8 nya, 0 ändrade, 0 oförändrade" in html
    assert "Pågår" in html and "Inställd" in html and "ongoing" not in html
    assert "2025-03-17 – 2025-04-06" in html  # "v. 12–14"
    assert not Activity.objects.exists()

    questions = _questions(html)
    asked = {legend.split("”")[0].split("“")[1] for legend in questions}
    # At most one decision per distinct unknown value, and one contact for the rows without.
    assert asked <= UNKNOWN_VALUES | {NO_CONTACT}
    data = {"columns": str(len(_columns(html))), **_columns(html), "confirm": "1"}
    for legend, (name, options) in questions.items():
        if "Strömbackaskolan" in legend:
            data[name] = options["Skapa en ny organisation"]
        elif "Lisa i föreningen" in legend:
            data[name] = options["Behåll som text (en kontaktperson utan inloggning)"]
        elif NO_CONTACT in legend:
            data[name] = next(v for label, v in options.items() if "Berg" in label)
        else:
            data[name] = next(v for label, v in options.items() if label.startswith("Skapa"))
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    assert Activity.objects.in_plan(plan).count() == 8
    assert ImportChoice.objects.filter(agreement=agreement, kind="organisation").exists()

    # The same messy file again: nothing to decide, every row unchanged, no history written.
    history = Activity.history.count()
    page = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", messy_plan_xlsx())})
    html = page.content.decode()
    assert "Förhandsgranskning: 0 nya, 0 ändrade, 8 oförändrade" in html
    assert _questions(html) == {}
    response = client.post(url, {"columns": "12", **_columns(html), "confirm": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert Activity.history.count() == history


def test_the_user_changes_the_column_mapping_and_it_is_offered_next_time(client_for, messy):
    agreement, plan, member = messy
    client = client_for(member)
    url = reverse("plans:plan-import", args=[agreement.pk, 2025])
    html = client.post(url, {"file": SimpleUploadedFile("p.xlsx", messy_plan_xlsx())}).content
    columns = _columns(html.decode())
    assert columns["col_11"] == ""  # "Kommentar" is kept in the description by default
    columns["col_11"] = "follow_up"
    columns["col_9"] = ""  # "Målgrupp" no longer a field: kept in the description
    client.post(url, {"columns": "12", **columns, "confirm": "1"})
    night = Activity.objects.get(title="Nattvandring fredagar")
    assert night.follow_up == "Behöver fler vuxna"
    assert "Målgrupp: Unga 13–17 år" in night.description
    assert night.target_group == ""
    html = client.post(url, {"file": SimpleUploadedFile("p.xlsx", messy_plan_xlsx())}).content
    assert _columns(html.decode())["col_11"] == "follow_up"


def test_preview_warns_of_an_adopted_plan_dates_outside_the_year_and_near_duplicates(
    client_for, messy
):
    agreement, plan, member = messy
    plan.status, plan.adopted_on = "adopted", datetime.date(2025, 1, 20)
    plan.save()
    strategy = make_plan_tree(agreement, 2024, activities=0)[1]
    strategy.goal.plan = plan
    strategy.goal.save()
    existing = make_activity(strategy, title="Nattvandring på fredagar")
    data = messy_plan_xlsx()
    client = client_for(member)
    url = reverse("plans:plan-import", args=[agreement.pk, 2025])
    html = client.post(url, {"file": SimpleUploadedFile("p.xlsx", data)}).content.decode()
    assert "Planen är fastställd." in html
    assert "Nästan samma namn som aktiviteten ”Nattvandring på fredagar”." in html
    questions = _questions(html)
    name, options = next(q for legend, q in questions.items() if "Nattvandring fredagar" in legend)
    columns = _columns(html)
    client.post(
        url,
        {
            "columns": "12",
            **columns,
            name: options["Matcha ”Nattvandring på fredagar”"],
            "confirm": "1",
        },
    )
    existing.refresh_from_db()
    assert existing.title == "Nattvandring fredagar"
    assert Activity.objects.in_plan(plan).count() == 8


def test_export_then_import_of_an_unchanged_plan_changes_nothing(client_for, messy, tmp_path):
    agreement, plan, member = messy
    client = client_for(member)
    url = reverse("plans:plan-import", args=[agreement.pk, 2025])
    html = client.post(url, {"file": SimpleUploadedFile("p.xlsx", messy_plan_xlsx())}).content
    client.post(url, {"columns": "12", **_columns(html.decode()), "confirm": "1"})
    history = Activity.history.count()
    for exported in (excel.to_xlsx(plan), excel.to_csv(plan).encode("utf-8")):
        html = client.post(url, {"file": SimpleUploadedFile("export", exported)}).content.decode()
        assert "Förhandsgranskning: 0 nya, 0 ändrade, 8 oförändrade" in html
        columns = _columns(html)
        response = client.post(url, {"columns": str(len(columns)), **columns, "confirm": "1"})
        assert response.status_code == HTTPStatus.FOUND
    assert Activity.history.count() == history


def test_messy_facts_csv_lands_on_the_web(client_for, messy):
    agreement, _plan, member = messy
    client = client_for(member)
    url = reverse("plans:import-csv", args=[agreement.pk])
    page = client.post(url, {"file": SimpleUploadedFile("fakta.csv", messy_facts_csv())})
    html = page.content.decode()
    assert "5 värden kommer att importeras" in html
    assert "2 saknade värden" in html
    assert not Observation.objects.exists()
    questions = _questions(html)
    assert len(questions) == 2  # the two indicators, once each
    data = {"columns": "4", **_columns(html), "confirm": "1"}
    for name, options in questions.values():
        data[name] = options["Skapa ett nytt nyckeltal"]
    assert client.post(url, data).status_code == HTTPStatus.FOUND
    assert Observation.objects.count() == 5


def test_import_pages_keep_to_the_agreement_and_the_role(client_for, messy, outsider):
    agreement, _plan, _member = messy
    reader = make_member(agreement, Membership.Role.READER, username="las")
    for name, args in (
        ("plans:plan-import", [agreement.pk, 2025]),
        ("plans:import-csv", [agreement.pk]),
    ):
        url = reverse(name, args=args)
        assert client_for(reader).get(url).status_code == HTTPStatus.FORBIDDEN
        assert client_for(outsider).get(url).status_code == HTTPStatus.NOT_FOUND
