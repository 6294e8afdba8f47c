"""Two people edit one activity at once in two browsers: nothing either of them saved is lost.

The scenario of issue 12: `polis` saves a new traffic light and comment while `kommun` has the
same activity open; kommun's save is refused and shows polis's values with kommun's own change
on top, and a second click on Spara keeps both.
"""

from playwright.sync_api import expect

from pitebra.models import Agreement
from plans.models import Activity


def _edit(page, server, agreement, activity):
    page.goto(f"{server.url}/agreements/{agreement.pk}/activities/{activity.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Redigera aktivitet")


def test_polis_and_kommun_save_the_same_activity(browser, demo_server, login, check_a11y):
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    activity = (
        Activity.objects.filter(strategy__goal__plan__agreement=pitea)
        .order_by("-strategy__goal__plan__year", "pk")
        .first()
    )
    new_light = "red" if activity.traffic_light != "red" else "green"
    polis_context, kommun_context = browser.new_context(), browser.new_context()
    polis, kommun = polis_context.new_page(), kommun_context.new_page()
    login(polis, "polis")
    login(kommun, "kommun")
    _edit(kommun, demo_server, pitea, activity)
    _edit(polis, demo_server, pitea, activity)

    polis.locator("[name=traffic_light]").select_option(new_light)
    polis.locator("[name=traffic_light_comment]").fill("Polisen bedömer läget på nytt")
    polis.get_by_role("button", name="Spara").click()
    expect(polis.get_by_role("status")).to_contain_text("Sparat")

    kommun.locator("[name=places]").fill("Öjebyn, Centrum")
    kommun.get_by_role("button", name="Spara").click()
    expect(kommun.locator("#conflict")).to_contain_text(
        "Någon annan sparade det här efter att du öppnade det"
    )
    expect(kommun.locator("[name=traffic_light]")).to_have_value(new_light)
    expect(kommun.locator("[name=traffic_light_comment]")).to_have_value(
        "Polisen bedömer läget på nytt"
    )
    expect(kommun.locator("[name=places]")).to_have_value("Öjebyn, Centrum")
    check_a11y(kommun)

    kommun.get_by_role("button", name="Spara").click()
    expect(kommun.get_by_role("status")).to_contain_text("Sparat")
    activity.refresh_from_db()
    assert activity.traffic_light == new_light
    assert activity.traffic_light_comment == "Polisen bedömer läget på nytt"
    assert activity.places == "Öjebyn, Centrum"
    polis_context.close()
    kommun_context.close()
