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

    # The row's actions sit in one menu.
    page.locator("summary", has_text="Åtgärder – Trygghetsvandring i Öjebyn").click()
    page.get_by_role("link", name=re.compile("^Redigera – Trygghetsvandring i Öjebyn")).click()
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
    menu = page.locator("summary", has_text="Åtgärder – Gemensam lägesbild")
    menu.focus()
    page.keyboard.press("Enter")  # opens the row's menu
    link = page.get_by_role("link", name=re.compile("^Redigera – Gemensam lägesbild"))
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Redigera aktivitet")
