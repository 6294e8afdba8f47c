"""The import preview is the truth: answers survive a refresh; the import saves what it showed."""

from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pitebra.models import Membership, Organisation
from plans.models import Activity, Cause

from ..factories import make_indicator, make_member, make_organisation
from .messy_files import messy_agreement, messy_facts_csv, messy_plan_xlsx


class FormAsRendered(HTMLParser):
    """The fields a browser would post from the page's form: checked radios, selected options."""

    def __init__(self):
        super().__init__()
        self.data, self.select, self.labels, self.label_for = {}, None, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            if attrs.get("type") == "radio":
                if "checked" in attrs:
                    self.data[attrs["name"]] = attrs["value"]
            elif attrs.get("type") not in ("submit", "file"):
                self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs["value"]
        elif tag == "label":
            self.label_for = attrs.get("for")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        if tag == "label":
            self.label_for = None

    def handle_data(self, data):
        if self.label_for:
            self.labels[self.label_for] = self.labels.get(self.label_for, "") + data


def rendered(response):
    parser = FormAsRendered()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def messy(db):
    agreement, plan = messy_agreement()
    member = make_member(agreement, Membership.Role.MEMBER, username="kommun")
    return agreement, plan, member


def _radio(parser, html, text, label):
    """(name, value) of the radio labelled `label` in the question about `text`."""
    import re

    section = html[html.index(f"“{text}”") :]
    section = section[: section.index("</fieldset>")]
    for match in re.finditer(
        r'<input[^>]*name="(v_[^"]+)"[^>]*value="([^"]*)"[^>]*id="([^"]+)"', section
    ):
        if parser.labels.get(match[3], "").strip() == label:
            return match[1], match[2]
    raise AssertionError(f"no option {label!r} for {text!r}")


def test_a_changed_answer_survives_the_refresh_and_the_import_saves_the_preview(client_for, messy):
    agreement, plan, member = messy
    school = make_organisation(name="Strömbackaskolan gymnasium", agreement=agreement)
    organisations = Organisation.objects.count()
    client = client_for(member)
    url = reverse("plans:plan-import", args=[agreement.pk, 2025])
    page = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", messy_plan_xlsx())})
    html = page.content.decode()
    form = rendered(page)
    name, value = _radio(form, html, "Strömbackaskolan", "Använd ”Strömbackaskolan gymnasium”")
    assert form.data[name] != value  # the near name is suggested, not chosen for the user

    # The user chooses the existing school and refreshes the preview: the choice stays.
    form.data[name] = value
    page = client.post(url, {**form.data, "refresh": "1"})
    after = rendered(page)
    assert after.data[name] == value
    assert "Strömbackaskolan gymnasium" in page.content.decode()

    # Import exactly what the page shows, as a browser posts it.
    response = client.post(url, {**after.data, "confirm": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert Organisation.objects.count() == organisations + 1  # Nattvandrarna only, no duplicate
    parents = Activity.objects.in_plan(plan).get(title="Föräldraträffar åk 7")
    assert school in parents.partners.all()
    assert not Organisation.objects.filter(name="Strömbackaskolan").exists()


def test_a_name_inside_an_existing_name_is_chosen_and_one_answer_is_not_asked(client_for, messy):
    agreement, plan, member = messy
    walkers = make_organisation(name="Föreningen Nattvandrarna i Piteå", agreement=agreement)
    client = client_for(member)
    url = reverse("plans:plan-import", args=[agreement.pk, 2025])
    page = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", messy_plan_xlsx())})
    html = page.content.decode()
    form = rendered(page)
    name, value = _radio(
        form, html, "Nattvandrarna i Piteå", "Använd ”Föreningen Nattvandrarna i Piteå”"
    )
    assert form.data[name] == value
    assert "(rad 5 och 9)" in html  # the rows where the name is, as a person writes them
    # "Lisa i föreningen" can only be kept as text: decided, shown among the decided ones.
    decided = html[html.index("är redan bestäm") :]
    assert "“Lisa i föreningen”" in decided
    response = client.post(url, {**form.data, "confirm": "1"})
    assert response.status_code == HTTPStatus.FOUND
    night = Activity.objects.in_plan(plan).get(title="Nattvandring fredagar")
    assert night.responsible_organisation == walkers
    assert not Organisation.objects.filter(name="Nattvandrarna i Piteå").exists()


def test_causes_of_one_kind_are_grouped_and_created_all_at_once(client_for, messy):
    agreement, plan, member = messy
    client = client_for(member)
    url = reverse("plans:plan-import", args=[agreement.pk, 2025])
    page = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", messy_plan_xlsx())})
    html = page.content.decode()
    assert "2 orsaker finns inte i lägesbilden" in html
    form = rendered(page)
    for question in [k for k in form.data if k.startswith("v_cause")]:
        form.data[question] = "text"  # chosen one by one first …
    form.data["g_cause"] = "create"  # … then "create all" wins
    page = client.post(url, {**form.data, "refresh": "1"})
    assert rendered(page).data["g_cause"] == "create"
    response = client.post(url, {**rendered(page).data, "confirm": "1"})
    assert response.status_code == HTTPStatus.FOUND
    assert set(Cause.objects.values_list("description", flat=True)) >= {
        "Droger på fester",
        "Dålig belysning",
    }


def test_facts_preview_shows_numbers_as_written_and_says_what_unmapped_columns_do(
    client_for, messy
):
    agreement, plan, member = messy
    make_indicator(agreement, name="Anmälda brott totalt", unit="antal per 100 000 inv.")
    client = client_for(member)
    page = client.post(
        reverse("plans:import-csv", args=[agreement.pk]),
        {"file": SimpleUploadedFile("fakta.csv", messy_facts_csv())},
    )
    html = page.content.decode()
    assert "<td>8 120,5</td>" in html
    assert "8 120,500" not in html
    assert "aktivitets beskrivning" not in html
    assert "Kolumner som inte importeras som fält läses inte in." in html
    # The README's own example is a near match of the indicator and its unit: chosen for the user.
    form = rendered(page)
    name, value = _radio(
        form, html, "Anmälda brott per 100 000 inv", "Använd ”Anmälda brott totalt”"
    )
    assert form.data[name] == value


def test_no_import_page_names_a_shell_command(client_for, messy):
    agreement, plan, member = messy
    client = client_for(member)
    for url in (
        reverse("plans:import-kolada", args=[agreement.pk]),
        reverse("plans:import-csv", args=[agreement.pk]),
        reverse("plans:plan-import", args=[agreement.pk, 2025]),
    ):
        html = client.get(url).content.decode()
        assert "manage.py" not in html and "python " not in html
