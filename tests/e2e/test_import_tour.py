"""The import tour: a member uploads the group's own messy plan, changes a mapping, imports."""

from playwright.sync_api import expect

from pitebra.models import Agreement
from plans.models import Activity

from ..plans.messy_files import messy_plan_xlsx


def test_member_imports_the_groups_own_plan(page, demo_server, login, check_a11y, tmp_path):
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    path = tmp_path / "genomforandeplan.xlsx"
    path.write_bytes(messy_plan_xlsx())
    login(page, "kommun")
    page.goto(f"{demo_server.url}/agreements/{pitea.pk}/plans/2025/import/")
    page.get_by_label("Fil (.xlsx, .xls eller .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Visa en förhandsgranskning").click()
    # The demo plan already has one of these activities: seven new rows and one changed.
    expect(
        page.get_by_role("heading", name="Förhandsgranskning: 7 nya, 1 ändrade, 0 oförändrade")
    ).to_be_visible()
    check_a11y(page)
    page.set_viewport_size({"width": 375, "height": 800})
    # Nothing in the import's own content is wider than a phone (tables and the tabs scroll
    # in their own box).
    wide = page.evaluate(
        """[...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > 376)
        .filter(e => !e.closest('.table-responsive, nav, .nav'))
        .map(e => e.tagName)"""
    )
    assert wide == []
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Kommentar").select_option("follow_up")
    page.get_by_role("button", name="Uppdatera förhandsgranskningen").click()
    expect(page.get_by_label("Kommentar")).to_have_value("follow_up")
    page.get_by_role("button", name="Importera", exact=True).click()
    expect(page.get_by_text("Importerade: 7 nya och 1 ändrade aktiviteter")).to_be_visible()
    night = Activity.objects.get(title="Nattvandring fredagar", strategy__goal__plan__year=2025)
    assert night.follow_up == "Behöver fler vuxna"
