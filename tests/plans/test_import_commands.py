"""import_plan and import_facts: messy files land with the automatic mapping, twice = no change."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from plans.models import Activity, Indicator, Observation

from .messy_files import messy_agreement, messy_facts_csv, messy_plan_xlsx


def _run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def _history_count():
    return Activity.history.count()


@pytest.fixture
def setup(db, tmp_path):
    agreement, plan = messy_agreement()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(messy_plan_xlsx())
    return agreement, plan, path


def test_import_plan_lands_every_activity_with_the_automatic_mapping(setup):
    agreement, plan, path = setup
    args = ["--agreement", str(agreement.pk), "--year", "2025", str(path)]
    dry = _run("import_plan", *args, "--dry-run")
    assert "Header on row 4" in dry
    assert "Row 1: a title or note above the column names, skipped." in dry
    assert "Row 2: a title or note above the column names, skipped." in dry
    assert "Row 13: a sum or count row, skipped." in dry
    assert "Kommentar → kept in the description" in dry
    assert "Organisation “Nattvandrarna i Piteå”" in dry
    assert "Dry run, nothing saved: 8 new, 0 changed, 0 unchanged." in dry
    assert not Activity.objects.exists()

    out = _run("import_plan", *args)
    assert "Imported: 8 new, 0 changed, 0 unchanged." in out
    activities = {a.title: a for a in Activity.objects.in_plan(plan)}
    assert len(activities) == 8
    night = activities["Nattvandring fredagar"]
    assert night.responsible_organisation.name == "Nattvandrarna i Piteå"
    assert night.status == "ongoing"
    assert (night.start, night.end) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert night.contact_user.username == "anna"
    assert night.estimated_cost == Decimal("12000")
    assert "Kommentar: Behöver fler vuxna" in night.description
    assert [c.description for c in night.causes.all()] == ["Få vuxna ute på kvällarna"]
    parents = activities["Föräldraträffar åk 7"]
    assert parents.responsible_organisation == agreement.municipality
    assert "socialtjänsten" in parents.description
    assert parents.contact_name == "Lisa i föreningen"
    assert (parents.start, parents.end) == (datetime.date(2025, 3, 17), datetime.date(2025, 4, 6))
    assert sorted(p.name for p in parents.partners.all()) == [
        "Lokalpolisområde Piteå älvdal",
        "Strömbackaskolan",
    ]
    assert activities["Belysning i Badhusparken"].responsible_organisation.name == "PiteBo AB"
    assert activities["Belysning i Badhusparken"].status == "cancelled"
    assert activities["Trygghetsvandring Öjebyn"].status == "done"
    assert activities["Medborgardialog"].status == "postponed"
    assert activities["Sommarvärdar"].start == datetime.date(2025, 6, 1)

    history = _history_count()
    again = _run("import_plan", *args)
    assert "Imported: 0 new, 0 changed, 8 unchanged." in again
    assert _history_count() == history
    assert Activity.objects.in_plan(plan).count() == 8


def test_import_plan_fails_with_a_non_zero_exit_and_saves_nothing(setup, tmp_path):
    agreement, _plan, _path = setup
    bad = tmp_path / "bad.csv"
    bad.write_text("Namn;Ålder\nEva;42\n", encoding="utf-8")
    with pytest.raises(CommandError, match="No header row was found"):
        _run("import_plan", "--agreement", str(agreement.pk), "--year", "2025", str(bad))
    with pytest.raises(CommandError, match="no plan for 2030"):
        _run("import_plan", "--agreement", str(agreement.pk), "--year", "2030", str(bad))
    assert not Activity.objects.exists()


def test_import_facts_reads_windows_1252_with_missing_marks_and_own_names(db, tmp_path):
    agreement, _plan = messy_agreement()
    path = tmp_path / "fakta.csv"
    path.write_bytes(messy_facts_csv())
    args = ["--agreement", str(agreement.pk), str(path)]
    out = _run("import_facts", *args)
    assert "Header on row 3" in out
    assert "5 new, 0 changed, 0 unchanged values; 2 missing values" in out
    values = sorted(
        (o.indicator.name, o.year, o.scope, o.value)
        for o in Observation.objects.select_related("indicator")
    )
    assert values == [
        ("Andel trygga i centrum (%)", 2023, "municipality", Decimal("68.000")),
        ("Andel trygga i centrum (%)", 2024, "country", Decimal("71.500")),
        ("Anmälda brott per 100 000 inv", 2023, "country", Decimal("13410.000")),
        ("Anmälda brott per 100 000 inv", 2023, "municipality", Decimal("8120.500")),
        ("Anmälda brott per 100 000 inv", 2024, "county", Decimal("10234.500")),
    ]
    assert Indicator.objects.filter(agreement=agreement).count() == 2
    again = _run("import_facts", *args)
    assert "0 new, 0 changed, 5 unchanged values" in again
    assert Observation.objects.count() == 5


def _plan_csv(status):
    return f"Aktivitet;Status;Ansvarig\nNattvandring;{status};Polisen\n".encode()


def test_activities_without_a_contact_person_are_one_question_not_a_silent_save(db):
    """A file without a contact column: which member is the contact is asked, once."""
    from plans.imports.plan import PlanPreview
    from plans.imports.save import plan_import_save

    agreement, plan = messy_agreement()
    anna = agreement.memberships.get(user__username="anna").user
    data = "Aktivitet;Ansvarig\nNattvandring;Polisen\nSkolvägar;Polisen\n".encode()
    question = next(q for q in PlanPreview(plan=plan, data=data).questions if q.kind == "contact")
    assert question.lines == [2, 3]
    assert f"use:{anna.pk}" in dict(question.options)
    answered = PlanPreview(plan=plan, data=data, answers={question.name: f"use:{anna.pk}"})
    assert plan_import_save(preview=answered)["created"] == 2
    assert set(Activity.objects.values_list("contact_user", flat=True)) == {anna.pk}


def test_the_import_save_checks_every_rule_of_a_valid_activity(db):
    """The save runs `Activity.clean()` too: a row that reaches it without a contact is refused."""
    from django.core.exceptions import ValidationError

    from plans.imports.plan import PlanPreview
    from plans.imports.save import plan_import_save

    _agreement, plan = messy_agreement()
    data = b"Aktivitet;Ansvarig;Kontaktperson\nNattvandring;Polisen;Kim\n"
    preview = PlanPreview(plan=plan, data=data)
    preview.rows[0].values.update(contact_name="", contact_user=None)
    with pytest.raises(ValidationError, match="Rad 2: Ange en kontaktperson"):
        plan_import_save(preview=preview)
    assert not Activity.objects.exists()


def test_a_decision_is_saved_per_agreement_and_offered_next_time(db, other_agreement):
    from plans.imports.plan import PlanPreview
    from plans.imports.save import plan_import_save

    agreement, plan = messy_agreement()
    preview = PlanPreview(plan=plan, data=_plan_csv("Vilar till hösten"))
    # No area column and two areas: asked once, too (and no contact column: asked once more).
    area, question = [q for q in preview.questions if q.kind != "contact"]
    assert (area.kind, area.default) == ("area", f"use:{agreement.priority_areas.first().pk}")
    assert question.default == "text" and not question.remembered
    assert "use:postponed" in dict(question.options)
    preview = PlanPreview(
        plan=plan, data=_plan_csv("Vilar till hösten"), answers={question.name: "use:postponed"}
    )
    plan_import_save(preview=preview)
    assert Activity.objects.get().status == "postponed"

    again = PlanPreview(plan=plan, data=_plan_csv("vilar till hösten"))
    _area, question = [q for q in again.questions if q.kind != "contact"]
    assert question.default == "use:postponed" and question.remembered
    # Another agreement has its own mapping.
    from ..factories import make_plan

    elsewhere = PlanPreview(
        plan=make_plan(other_agreement, 2025), data=_plan_csv("Vilar till hösten")
    )
    assert elsewhere.questions[-1].default == "text"


def test_dates_outside_the_plan_year_and_weeks_over_the_new_year_are_flagged(db):
    from plans.imports.plan import PlanPreview

    _agreement, plan = messy_agreement()
    data = (
        "Prioriterat område;Aktivitet;När\n"
        "Barn och unga;Vinterkväll;nov–feb\n"
        "Barn och unga;Nyårsvandring;v. 52–1\n"
        "Barn och unga;Någon gång;när det passar\n"
    ).encode()
    rows = {row.title: row for row in PlanPreview(plan=plan, data=data).rows}
    assert rows["Vinterkväll"].warnings == ["Ett datum ligger utanför planåret 2025."]
    assert rows["Nyårsvandring"].warnings == [
        "Veckan går över årsskiftet; datumen hålls inom 2025."
    ]
    assert rows["Någon gång"].values["start"] is None
    assert "När: när det passar" in rows["Någon gång"].values["description"]


def test_another_agreements_organisations_are_neither_matched_nor_suggested(db, other_agreement):
    from plans.imports.plan import PlanPreview

    from ..factories import make_organisation

    foreign = make_organisation(name="Hemliga föreningen", agreement=other_agreement)
    _agreement, plan = messy_agreement()
    data = "Aktivitet;Ansvarig\nNattvandring;Hemliga föreningen\n".encode()
    questions = [q for q in PlanPreview(plan=plan, data=data).questions if q.kind == "organisation"]
    (question,) = questions
    assert f"use:{foreign.pk}" not in dict(question.options)
    assert question.default == "create"
