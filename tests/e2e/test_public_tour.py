"""The public pages in a browser, as a visitor from the local paper's link sees them: no login,
axe at 0 at 1366 and 375 px, nothing wider than a phone, readable without JavaScript, and the
settings page a coordinator turns the page on from."""

from django.urls import reverse
from playwright.sync_api import expect

from followup.models import PublishedReport
from pitebra.models import Agreement
from plans.models import Activity, CitizenPromise

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 667}


def _public_paths():
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    current = Agreement.objects.get(previous=pitea)
    activity = Activity.objects.public().filter(strategy__goal__plan__agreement=pitea).first()
    promise = CitizenPromise.objects.filter(plan__agreement=current).first()
    assert PublishedReport.objects.filter(report__agreement=pitea).exists()
    return [
        reverse("public:index"),
        reverse("public:agreement", args=[pitea.pk]),
        reverse("public:agreement-year", args=[pitea.pk, 2024]),
        reverse("public:agreement", args=[current.pk]),
        reverse("public:promise", args=[current.pk, promise.pk]),
        reverse("public:activity", args=[pitea.pk, activity.pk]),
        reverse("public:data"),
    ]


def test_the_public_pages_at_laptop_and_phone_size(page, demo_server, check_a11y):
    paths = _public_paths()
    failures = []
    for size, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        for path in paths:
            page.goto(demo_server.url + path)
            try:
                expect(page.locator("h1").first).to_be_visible()
                assert "/accounts/login" not in page.url
                check_a11y(page)
                if size == "phone":
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    assert wide <= PHONE["width"], f"{wide} px wide at 375 px"
            except AssertionError as error:
                failures.append(f"[{size}] {path}: {str(error)[:600]}")
    assert not failures, "\n".join(failures)


def test_a_visitor_without_javascript_reads_a_promise_and_its_evidence(browser, demo_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_server.url + reverse("public:index"))
    page.get_by_role("link", name="Överenskommelse om samverkan").first.click()
    promise = page.locator("table a").first
    name = promise.inner_text()
    promise.click()
    expect(page.locator("h1")).to_have_text(name)
    expect(page.get_by_role("heading", name="Aktiviteter som bär löftet")).to_be_visible()
    context.close()


def test_a_coordinator_finds_the_settings_of_the_public_page(page, demo_server, login, check_a11y):
    login(page, "samordnare")
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    page.goto(demo_server.url + reverse("agreement-detail", args=[pitea.pk]))
    page.get_by_role("link", name="Inställningar för den offentliga sidan").click()
    expect(page.locator("h1")).to_have_text("Offentlig sida och öppna data")
    check_a11y(page)
