"""The details people trip over, walked at a laptop (1366×900) and a phone (375×667): the import
preview is what gets saved, the successor sees the municipality's facts, the dashboard fits, no
navigation row scrolls sideways, and axe finds nothing (landmark-unique included)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pitebra.models import Agreement, Organisation
from plans.models import Activity, Cause, Indicator

from ..plans.messy_files import messy_plan_xlsx
from ..security.conftest import totp_code
from .conftest import VIOLATIONS_ONLY

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 667}
SIZES = [pytest.param(LAPTOP, id="laptop"), pytest.param(PHONE, id="phone")]
MAX_PHONE_DASHBOARD_PX = 3000


@pytest.fixture
def check_landmarks(axe):
    """axe's landmark rules (best practice, beyond WCAG): every landmark named uniquely."""

    def check(page):
        rules = ["landmark-unique", "landmark-no-duplicate-main", "landmark-one-main"]
        options = {"runOnly": {"type": "rule", "values": rules}, **VIOLATIONS_ONLY}
        results = axe.run(page, options=options)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check


def _agreements():
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    return pitea, Agreement.objects.get(previous=pitea)


@pytest.mark.parametrize("size", SIZES)
def test_the_import_saves_exactly_the_refreshed_preview(
    page, demo_server, login, check_a11y, check_landmarks, tmp_path, size
):
    pitea, _current = _agreements()
    organisations = Organisation.objects.count()
    path = tmp_path / "genomforandeplan.xlsx"
    path.write_bytes(messy_plan_xlsx())
    page.set_viewport_size(size)
    login(page, "kommun")
    page.goto(f"{demo_server.url}{reverse('plans:plan-import', args=[pitea.pk, 2025])}")
    page.get_by_label("Fil (.xlsx, .xls eller .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Visa en förhandsgranskning").click()
    # The near name is chosen for the user: the organisation that exists.
    walkers = page.locator("fieldset", has_text="“Nattvandrarna i Piteå”")
    expect(walkers.get_by_label("Använd ”Föreningen Nattvandrarna i Piteå”")).to_be_checked()
    expect(walkers).to_contain_text("(rad 5 och 9)")
    # The user changes an answer and refreshes: the answer stays.
    drugs = page.locator("fieldset", has_text="“Droger på fester”")
    drugs.get_by_label("Behåll som text").check()
    page.get_by_role("button", name="Uppdatera förhandsgranskningen").click()
    drugs = page.locator("fieldset", has_text="“Droger på fester”")
    expect(drugs.get_by_label("Behåll som text")).to_be_checked()
    check_a11y(page)
    check_landmarks(page)
    page.get_by_role("button", name="Importera", exact=True).click()
    expect(page.get_by_text("Importerade:")).to_be_visible()
    assert Organisation.objects.count() == organisations  # no duplicate organisation
    assert not Cause.objects.filter(description="Droger på fester").exists()
    parents = Activity.objects.get(title="Föräldraträffar åk 7", strategy__goal__plan__year=2025)
    assert "Droger på fester" in parents.description


def test_the_successor_shows_the_municipalitys_indicators(page, demo_server, login):
    pitea, current = _agreements()
    login(page, "kommun")
    page.goto(f"{demo_server.url}{reverse('plans:indicator-list', args=[current.pk])}")
    expect(page.get_by_text("Inga nyckeltal ännu")).to_have_count(0)
    first = Indicator.objects.filter(agreement=pitea).order_by("position").first()
    expect(page.get_by_role("heading", name=first.name).first).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_pages_fit_no_navigation_scrolls_sideways_and_axe_finds_nothing(
    page, demo_server, login, check_a11y, check_landmarks, size
):
    pitea, current = _agreements()
    page.set_viewport_size(size)
    login(page, "samordnare")
    a = current.pk
    pages = [
        reverse("agreement-detail", args=[a]),
        reverse("plans:plan-detail", args=[pitea.pk, 2025]),
        reverse("plans:plan-timeline", args=[pitea.pk, 2025]),
        reverse("followup:followup-year", args=[pitea.pk, 2025]),
        reverse("followup:evaluation-list", args=[pitea.pk, 2025]),
        reverse("followup:report-list", args=[pitea.pk]),
        reverse("plans:indicator-list", args=[a]),
        reverse("agreement-settings", args=[a]),
    ]
    for path in pages:
        page.goto(f"{demo_server.url}{path}")
        sideways = page.evaluate(
            """[...document.querySelectorAll('nav, .nav, .breadcrumb')]
            .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
            .map(e => e.outerHTML.slice(0, 80))"""
        )
        assert sideways == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], path
        check_a11y(page)
        check_landmarks(page)
    if size == PHONE:
        # The agreement's sections: a stacked menu, every section reachable without scrolling.
        page.goto(f"{demo_server.url}{reverse('agreement-detail', args=[a])}")
        page.locator(".agreement-menu > summary").click()
        for name in ("Genomförandeplan", "Uppföljning", "Rapporter"):
            expect(
                page.locator(".agreement-menu").get_by_role("link", name=name)
            ).to_be_in_viewport()


def test_the_dashboard_on_a_phone_is_at_most_3000_px(page, demo_server, login):
    _pitea, current = _agreements()
    page.set_viewport_size(PHONE)
    login(page, "samordnare")
    page.goto(f"{demo_server.url}{reverse('agreement-detail', args=[current.pk])}")
    expect(page.get_by_role("heading", level=1)).to_have_text(current.short_name)
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"dashboard height at 375 px: {height} px")  # noqa: T201 (the number the issue asks for)
    assert height <= MAX_PHONE_DASHBOARD_PX


def test_enrolment_on_a_phone_through_the_otpauth_link(page, demo_server, login, check_a11y):
    page.set_viewport_size(PHONE)
    login(page, "kommun")
    page.goto(f"{demo_server.url}{reverse('security:two-factor')}")
    link = page.get_by_role("link", name="Öppna i autentiseringsappen")
    expect(link).to_be_in_viewport()
    secret = parse_qs(urlsplit(link.get_attribute("href")).query)["secret"][0]
    expect(page.get_by_role("button", name="Kopiera hemligheten")).to_be_visible()
    colour = page.locator("#totp-secret").evaluate("e => getComputedStyle(e).color")
    assert colour in ("rgb(33, 37, 41)", "rgb(0, 0, 0)")  # body text, not magenta
    check_a11y(page)
    page.get_by_label("Kod från appen").fill(totp_code(secret))
    page.get_by_role("button", name="Slå på tvåstegsinloggning").click()
    expect(page.get_by_role("heading", name="Dina reservkoder")).to_be_visible()
    expect(page.get_by_role("button", name="Skriv ut koderna")).to_be_visible()
    # Checked as shown, before the click: a button still in its hover transition measures
    # half-way colours (seen once on a loaded machine).
    check_a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner koderna (.txt)").click()
    assert download.value.suggested_filename == "pitebra-reservkoder.txt"
