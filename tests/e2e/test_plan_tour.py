"""The plan tour: a member edits an activity from the plan, then opens the timeline."""

import re

from playwright.sync_api import expect

from pitebra.models import Agreement


def test_member_edits_an_activity_from_the_plan_and_opens_the_timeline(
    page, demo_server, login, check_a11y
):
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    login(page, "kommun")
    page.goto(f"{demo_server.url}/agreements/{pitea.pk}/plans/")
    check_a11y(page)
    page.get_by_role("link", name="Genomförandeplan 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Genomförandeplan 2025")
    check_a11y(page)

    # The row's actions sit in one menu, shared by every row and opened under the row's button.
    page.get_by_role("button", name="Åtgärder Trygghetsvandring i Öjebyn").click()
    check_a11y(page)
    page.locator("#row-menu").get_by_role("link", name="Redigera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redigera aktivitet")
    check_a11y(page)
    page.get_by_label("Målgrupp").fill("Boende och unga i Öjebyn")
    page.get_by_label("Status").select_option("done")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Sparat: Trygghetsvandring i Öjebyn")

    page.get_by_role("link", name="Trygghetsvandring i Öjebyn").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trygghetsvandring i Öjebyn")
    expect(page.get_by_role("table").last).to_contain_text("Boende och unga i Öjebyn")
    check_a11y(page)

    page.goto(f"{demo_server.url}/agreements/{pitea.pk}/plans/2025/timeline/")
    expect(page.get_by_role("heading", level=2)).to_have_text("Tidplan 2025")
    check_a11y(page)
    page.get_by_role("link", name="organisation").click()
    check_a11y(page)


def test_plan_side_pages_are_accessible(page, demo_server, login, check_a11y):
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    login(page, "samordnare")
    base = f"{demo_server.url}/agreements/{pitea.pk}/plans/2025"
    for path in ["/compare/", "/as-of/?on=2025-03-01", "/import/", "/goals/new/", "/promises/new/"]:
        page.goto(base + path)
        expect(page.locator("h1")).to_be_visible()
        check_a11y(page)
    page.goto(f"{demo_server.url}/calendar/")
    page.get_by_role("button", name="Skapa min kalenderlänk").click()
    expect(page.get_by_label("Din personliga kalenderlänk")).to_have_value(re.compile(r"\.ics$"))
    check_a11y(page)


def test_plan_tree_is_usable_by_keyboard(page, demo_server, login):
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    login(page, "polis")
    page.goto(f"{demo_server.url}/agreements/{pitea.pk}/plans/2025/")
    page.get_by_role("combobox", name="Status").select_option("postponed")
    page.get_by_role("combobox", name="Status").press("Enter")
    expect(
        page.get_by_role("link", name="Gemensam lägesbild med fastighetsägare", exact=True)
    ).to_be_visible()
    menu = page.get_by_role("button", name=re.compile("^Åtgärder Gemensam lägesbild"))
    menu.focus()
    page.keyboard.press("Enter")  # opens the row's menu right under its button
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")  # closes it, focus back on the button
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the first of the menu's links
    expect(page.locator("#row-menu").get_by_role("link", name="Redigera")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Redigera aktivitet")


def test_status_changes_from_a_plan_row_in_the_shared_dialog(page, demo_server, login, check_a11y):
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    login(page, "polis")
    page.goto(f"{demo_server.url}/agreements/{pitea.pk}/plans/2025/")
    opener = page.get_by_role("link", name="Ändra status Trygghetsvandring i Öjebyn")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=re.compile("Trygghetsvandring i Öjebyn"))
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Status")).to_be_focused()
    check_a11y(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()

    page.keyboard.press("Enter")
    dialog.get_by_label("Status").select_option("postponed")
    dialog.get_by_label("Trafikljus").select_option("red")
    dialog.get_by_label("Kommentar (krävs)").fill("Flyttad till hösten")
    dialog.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Statusen uppdaterades")
    row = page.locator("tr", has=page.get_by_role("link", name="Trygghetsvandring i Öjebyn"))
    expect(row.first).to_contain_text("Uppskjuten")
    expect(row.first).to_contain_text("Röd")
