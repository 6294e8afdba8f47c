"""What may be published: the switches (off by default), organisation numbers and the
personal-data check that refuses a public text naming a person, with the place named."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from pitebra.models import Agreement, Organisation
from pitebra.personal_data import check_texts, findings_in
from plans.models import Activity, CitizenPromise
from tests.factories import make_activity, make_goal, make_plan, make_strategy, make_user


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


def test_nothing_is_public_by_default(agreement):
    plan = make_plan(agreement)
    activity = make_activity(make_strategy(make_goal(plan)))
    assert agreement.public is False
    assert activity.public is False
    assert Agreement._meta.get_field("public").default is False


def test_the_demo_publishes_pitea_with_the_parties_numbers(demo):
    pitea, alvsbyn = demo["pitea"], demo["alvsbyn"]
    assert pitea.public and demo["current"].public and not alvsbyn.public
    assert pitea.municipality.organisation_number == "212000-2759"
    assert pitea.police_area.organisation_number == "202100-0076"
    assert pitea.municipality.publisher_uri == "http://dataportal.se/organisation/SE2120002759"
    activities = Activity.objects.filter(strategy__goal__plan__agreement=pitea)
    assert activities.filter(public=True).exists()
    assert activities.filter(public=False).exists()  # some stay internal


@pytest.mark.parametrize("number", ["212000-2743", "2120002742", "21200-02742", "abc"])
def test_a_wrong_organisation_number_is_refused(db, number):
    org = Organisation(name="X", kind=Organisation.Kind.MUNICIPALITY, organisation_number=number)
    with pytest.raises(ValidationError) as refused:
        org.full_clean()
    assert "organisation_number" in refused.value.message_dict


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Kontakta Lisa på 070-123 45 67 efter kl 18", "telefonnummer"),
        ("Ring 0911-123 45", "telefonnummer"),
        ("ring +46 70 123 45 67", "telefonnummer"),
        ("skriv till lisa.larsson@pitea.se", "e-postadress"),
        ("gäller 19811218-9876 i Öjebyn", "personnummer"),
        ("gäller 811218-9876", "personnummer"),
    ],
)
def test_the_check_finds_personal_data(text, kind):
    assert any(kind in str(found) for found in findings_in(text))


@pytest.mark.parametrize(
    "text",
    [
        "Minst 5 insatser i veckan under 2024–2025",
        "Budget 120 000 kr, 35 timmar",
        "Trygghetsvandring i Öjebyn 2025-10-07",
        "Organisationsnummer 212000-2742",
        "19811218-9875 har fel kontrollsiffra",
    ],
)
def test_ordinary_text_passes(text):
    assert findings_in(text) == []


def test_a_users_name_is_found(db):
    make_user(first_name="Ylva", last_name="Ytterström")
    found = check_texts([("Aktivitet 'Nattfotboll': beskrivning", "Ledd av ylva ytterström")])
    assert [str(f) for f in found] == [
        "Aktivitet 'Nattfotboll': beskrivning: namnet på en användare (Ylva Ytterström)"
    ]


def test_a_public_activity_refuses_personal_data_by_the_field(agreement):
    plan = make_plan(agreement, status="adopted", adopted_on="2024-02-01")
    activity = make_activity(
        make_strategy(make_goal(plan)),
        description="Ring 070-123 45 67",
        contact_name="Samordnaren",
        public=True,
    )
    with pytest.raises(ValidationError) as refused:
        activity.full_clean()
    assert list(refused.value.message_dict) == ["description"]
    assert "telefonnummer" in refused.value.message_dict["description"][0]
    activity.public = False
    activity.full_clean()  # internal text may name the contact's number


def test_a_promise_on_a_public_page_refuses_an_email(agreement):
    agreement.public = True
    agreement.save()
    promise = CitizenPromise(
        plan=make_plan(agreement),
        promise="Frågor till per.polis@polisen.se",
        responsible_organisation=agreement.police_area,
        target_count=3,
        unit="dialoger",
    )
    with pytest.raises(ValidationError) as refused:
        promise.full_clean()
    assert "promise" in refused.value.message_dict


def _settings_url(agreement):
    from django.urls import reverse

    return reverse("public-settings", args=[agreement.pk])


def test_a_coordinator_turns_the_page_on(client_for, agreement, coordinator):
    response = client_for(coordinator).post(
        _settings_url(agreement), {"public": "on", "public_contact": "trygg@kommun.example"}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.public and agreement.public_contact == "trygg@kommun.example"


def test_a_member_may_not_turn_the_page_on(client_for, agreement, member):
    response = client_for(member).post(_settings_url(agreement), {"public": "on"})
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert not agreement.public


def test_turning_on_is_refused_with_the_place_named(client_for, agreement, coordinator):
    plan = make_plan(agreement, status="adopted", adopted_on="2024-02-01")
    Activity.objects.filter(
        pk=make_activity(make_strategy(make_goal(plan)), title="Nattfotboll", contact_name="X").pk
    ).update(public=True, description="Ledare: ring 070-123 45 67")
    response = client_for(coordinator).post(_settings_url(agreement), {"public": "on"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Aktivitet 2024 ”Nattfotboll”: beskrivning: ett telefonnummer" in text.replace("“", "”")
    agreement.refresh_from_db()
    assert not agreement.public


def test_a_persons_own_address_is_no_contact(client_for, agreement, coordinator):
    coordinator.email = "kim.k@kommun.example"
    coordinator.save()
    response = client_for(coordinator).post(
        _settings_url(agreement), {"public_contact": "Kim.K@kommun.example"}
    )
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.public_contact == ""
