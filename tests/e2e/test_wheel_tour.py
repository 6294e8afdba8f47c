"""The annual wheel tour: the wheel at 1366 and 375 px, by keyboard, and on one printed page."""

import re

from playwright.sync_api import expect

from pitebra.models import Agreement


def _current():
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    return Agreement.objects.get(previous=pitea)


def test_the_wheel_is_read_and_operated_by_keyboard(page, demo_server, login, check_a11y):
    current = _current()
    year = current.first_year
    login(page, "kommun")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{demo_server.url}/agreements/{current.pk}/followup/")
    page.get_by_role("link", name="Årshjul").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Årshjul {year}")
    expect(page.locator("svg.wheel")).to_be_visible()
    check_a11y(page)

    # Every mark of the wheel is a link with a name, reached with Tab in the order of the rings.
    marks = page.locator("svg.wheel a")
    assert marks.count() > 10
    first = marks.first
    first.focus()
    expect(first).to_be_focused()
    expect(first).to_have_attribute("aria-label", re.compile(r"^Riskperiod: Valborg, 30 apr"))
    page.keyboard.press("Tab")
    expect(marks.nth(1)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")  # the period's page: last year's memory and the debrief
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Valborg {year}")
    expect(page.get_by_text(f"Samma period {year - 1}")).to_be_visible()
    expect(
        page.get_by_text("Börja", exact=False).or_(page.get_by_text("Samla fler vuxna"))
    ).to_be_visible()
    check_a11y(page)
    page.go_back()

    # The printed wheel fits one A4 page.
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    page.emulate_media(media="screen")


def test_the_wheel_on_a_phone_is_a_list_by_month(page, demo_server, login, check_a11y):
    current = _current()
    login(page, "kommun")
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{demo_server.url}/agreements/{current.pk}/wheel/{current.first_year}/")
    expect(page.locator("svg.wheel")).to_be_hidden()
    expect(page.get_by_role("rowgroup").filter(has_text="juni")).to_contain_text("Midsommar")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways: {width} px"
    check_a11y(page)
