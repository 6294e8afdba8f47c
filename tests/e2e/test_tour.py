"""The tour: each demo role logs in and visits what it may see, with 0 axe violations."""

import re

import pytest
from playwright.sync_api import expect

from pitebra.models import Agreement

PUBLIC_PAGES = ["/accounts/login/", "/accounts/password_reset/", "/accessibility/"]


def test_public_pages_are_accessible(page, demo_server, check_a11y):
    for path in PUBLIC_PAGES:
        page.goto(demo_server.url + path)
        expect(page.locator("h1")).to_be_visible()
        check_a11y(page)


@pytest.mark.parametrize(
    ("username", "extra_paths"),
    [
        ("samordnare", ["copy/", "/accounts/password_change/", "/admin/"]),
        ("polis", ["/accounts/password_change/"]),
        ("kommun", []),
        ("folkhalsoradet", []),
    ],
)
def test_each_role_tours_its_pages(page, demo_server, login, check_a11y, username, extra_paths):
    login(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina överenskommelser")
    check_a11y(page)

    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    page.get_by_role("link", name=re.compile("Piteå älvdal samt Piteå kommun$")).click()
    # The signed agreement is revised: its successor is where the current year runs.
    expect(page.get_by_role("status")).to_contain_text("Reviderad")
    # Agreements go by their short names ("Piteå 2026–2028"), the legal title below.
    page.get_by_role("link", name=re.compile(r"Piteå \d{4}–\d{4}")).last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Piteå \d{4}–\d{4}"))
    check_a11y(page)
    page.go_back()
    check_a11y(page)

    for path in extra_paths:
        url = (
            f"{demo_server.url}/agreements/{pitea.pk}/{path}"
            if not path.startswith("/")
            else (demo_server.url + path)
        )
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        check_a11y(page)


def test_keyboard_user_reaches_main_content_with_the_skip_link(page, demo_server, login):
    login(page, "kommun")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_language_switch_in_the_header(page, demo_server, login):
    login(page, "polis")
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My agreements")
    expect(page.locator("html")).to_have_attribute("lang", "en")
