"""The whole-site tour at a laptop (1366×900) and a phone (375×667): every page of each role
passes axe, no page is wider than a phone, the collapsed header stays one line, and the main
pages are photographed into test-results/screenshots/ (artefacts, not committed)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from followup.models import Meeting
from pitebra.models import Agreement
from plans.models import Activity, CitizenPromise, Indicator, Problem, SituationPicture, Source

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 667}
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
# Pages photographed at both sizes (the README shows two of them).
MAIN = {"home", "dashboard", "plan", "timeline", "followup", "log", "reports"}


def _pages(role):
    """(name, path) of every page the demo role may open (in the signed 2023–2025 agreement)."""
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    a = pitea.pk
    pages = [("home", reverse("home")), ("dashboard", reverse("agreement-detail", args=[a]))]
    pages += [
        ("reports", reverse("followup:report-list", args=[a])),
        ("calendar", reverse("calendar")),
        ("reminders", reverse("reminder-settings")),
        ("password", reverse("password_change")),
    ]
    if role == "reader":
        return pages
    activity = Activity.objects.filter(
        strategy__goal__plan__agreement=pitea, strategy__goal__plan__year=2025
    ).first()
    strategy, goal = activity.strategy, activity.strategy.goal
    picture = SituationPicture.objects.filter(agreement=pitea).order_by("-year", "-version").first()
    problem = Problem.objects.filter(picture=picture).first()
    indicator = Indicator.objects.filter(agreement=pitea).first()
    source = Source.objects.filter(agreement=pitea).first()
    promise = CitizenPromise.objects.filter(plan__agreement=pitea).first()
    meeting = Meeting.objects.filter(agreement=pitea).first()
    item = {"agreement_pk": a}
    pages += [
        ("plan", reverse("plans:plan-detail", args=[a, 2025])),
        ("timeline", reverse("plans:plan-timeline", args=[a, 2025])),
        ("followup", reverse("followup:followup-year", args=[a, 2025])),
        ("log", reverse("followup:log-create", args=[a])),
        ("facts", reverse("plans:indicator-list", args=[a])),
        ("indicator", reverse("plans:indicator-detail", args=[a, indicator.pk])),
        ("indicator-edit", reverse("plans:indicator-edit", args=[a, indicator.pk])),
        ("indicator-new", reverse("plans:indicator-create", args=[a])),
        ("import-csv", reverse("plans:import-csv", args=[a])),
        ("import-kolada", reverse("plans:import-kolada", args=[a])),
        ("documents", reverse("plans:document-list", args=[a])),
        ("sources", reverse("plans:source-list", args=[a])),
        ("situation", reverse("plans:situation-list", args=[a])),
        ("situation-detail", reverse("plans:situation-detail", args=[a, picture.pk])),
        ("plans", reverse("plans:plan-list", args=[a])),
        ("plan-2024", reverse("plans:plan-detail", args=[a, 2024])),
        ("compare", reverse("plans:plan-compare", args=[a, 2025])),
        ("as-of", reverse("plans:plan-as-of", args=[a, 2025]) + "?on=2025-03-01"),
        ("plan-import", reverse("plans:plan-import", args=[a, 2025])),
        ("goal-new", reverse("plans:goal-create", args=[a, 2025])),
        ("goal-edit", reverse("plans:goal-edit", args=[a, goal.pk])),
        ("strategy-new", reverse("plans:strategy-create", args=[a, goal.pk])),
        ("strategy-edit", reverse("plans:strategy-edit", args=[a, strategy.pk])),
        ("activity-new", reverse("plans:activity-create", args=[a, strategy.pk])),
        ("activity", reverse("plans:activity-detail", args=[a, activity.pk])),
        ("activity-edit", reverse("plans:activity-edit", args=[a, activity.pk])),
        (
            "activity-delete",
            reverse("plans:item-delete", kwargs={**item, "kind": "activity", "pk": activity.pk}),
        ),
        ("activity-followup", reverse("followup:activity-followup", args=[a, activity.pk])),
        ("followup-2024", reverse("followup:followup-year", args=[a, 2024])),
        ("evaluations", reverse("followup:evaluation-list", args=[a, 2024])),
        ("evaluation", reverse("followup:evaluation-edit", args=[a, activity.pk])),
        ("meetings", reverse("followup:meeting-list", args=[a])),
        ("meeting-new", reverse("followup:meeting-create", args=[a])),
        ("council", reverse("followup:council-year", args=[a, 2024])),
        ("report-preview", reverse("followup:report-preview", args=[a, 2024])),
    ]
    if source:
        pages.append(("source-edit", reverse("plans:source-edit", args=[a, source.pk])))
    if promise:
        pages.append(("promise-edit", reverse("plans:promise-edit", args=[a, promise.pk])))
    if meeting:
        pages.append(("meeting", reverse("followup:meeting-detail", args=[a, meeting.pk])))
        pages.append(("meeting-edit", reverse("followup:meeting-edit", args=[a, meeting.pk])))
    if problem:
        pages.append(("problem-edit", reverse("plans:problem-edit", args=[a, problem.pk])))
    if picture and picture.agreed_at is None:
        pages.append(("situation-edit", reverse("plans:situation-edit", args=[a, picture.pk])))
        pages.append(("problem-new", reverse("plans:problem-create", args=[a, picture.pk])))
    if role == "coordinator":
        pages += [
            ("report-edit", reverse("followup:report-edit", args=[a, 2025])),
            ("copy", reverse("agreement-copy", args=[a])),
        ]
    return pages


def _check_page(page, check_a11y, name, size, username):
    expect(page.locator("h1").first).to_be_visible()
    check_a11y(page)
    if size == "phone":
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], f"{page.url} is {wide} px wide at 375 px"
        header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
        assert header <= 64, f"{page.url}: the collapsed header is {header} px tall"
    if name in MAIN:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{username}-{name}-{size}.png"), full_page=False)


# One test per size: the tour's longest walk, split so that pytest-xdist can run the halves
# side by side.
SIZES = pytest.mark.parametrize(
    ("size", "viewport"), [("laptop", LAPTOP), ("phone", PHONE)], ids=["laptop", "phone"]
)


@SIZES
@pytest.mark.parametrize(
    ("username", "role"),
    [("samordnare", "coordinator"), ("folkhalsoradet", "reader")],
)
def test_every_page_at_laptop_and_phone_size(
    page, demo_server, login, check_a11y, username, role, size, viewport
):
    login(page, username)
    pages = _pages(role)
    failures = []
    page.set_viewport_size(viewport)
    for name, path in pages:
        page.goto(demo_server.url + path)
        try:
            _check_page(page, check_a11y, name, size, username)
        except AssertionError as error:
            failures.append(f"[{size}] {name}: {str(error)[:600]}")
    assert not failures, "\n".join(failures)


@SIZES
def test_member_pages_at_both_sizes(page, demo_server, login, check_a11y, size, viewport):
    """The pages whose header and menus differ for a member (and one in two working groups)."""
    failures = []
    for username in ("kommun", "polis"):
        login(page, username)
        pages = [p for p in _pages("member") if p[0] in MAIN | {"activity", "activity-followup"}]
        page.set_viewport_size(viewport)
        for name, path in pages:
            page.goto(demo_server.url + path)
            try:
                _check_page(page, check_a11y, name, size, username)
            except AssertionError as error:
                failures.append(f"[{username} {size}] {name}: {str(error)[:600]}")
        page.context.clear_cookies()
    assert not failures, "\n".join(failures)


def test_a_member_logs_work_from_any_page_in_three_taps_on_a_phone(page, demo_server, login):
    """One tap on “Log work” in the header, one to choose the activity, typing, one tap on Save:
    from every main page."""
    page.set_viewport_size(PHONE)
    login(page, "kommun")
    # Work is logged in the year that runs now: the signed agreement's successor (a log entry
    # must fall within its activity's plan year).
    current = Agreement.objects.get(previous__first_year=2023, municipality__name="Piteå kommun")
    a, year = current.pk, current.first_year
    activity = Activity.objects.filter(strategy__goal__plan__agreement=current).first()
    paths = [
        reverse("home"),
        reverse("agreement-detail", args=[a]),
        reverse("plans:plan-detail", args=[a, year]),
        reverse("plans:plan-timeline", args=[a, year]),
        reverse("followup:followup-year", args=[a, year]),
        reverse("followup:log-create", args=[a]),
        reverse("followup:report-list", args=[a]),
        reverse("plans:activity-detail", args=[a, activity.pk]),
        reverse("plans:indicator-list", args=[a]),
        reverse("plans:situation-list", args=[a]),
        reverse("followup:meeting-list", args=[a]),
    ]
    page.goto(demo_server.url + paths[1])  # the successor becomes the current agreement
    for path in paths:
        name = path
        page.goto(demo_server.url + path)
        page.get_by_role("link", name="Logga arbete", exact=True).first.click()  # tap 1
        expect(page.get_by_role("heading", level=1)).to_have_text("Logga arbete")
        # The form starts on "Välj aktivitet", the person's own activities first: a hurried
        # entry never lands on an activity nobody chose.
        page.get_by_label("Aktivitet").select_option(index=1)  # tap 2
        page.get_by_label("Vad som gjordes").fill(f"Arbete loggat från {name}")
        page.get_by_role("button", name="Spara", exact=True).click()  # tap 3
        expect(page.get_by_role("status")).to_contain_text("Loggat:")


def test_a_member_of_two_reaches_the_current_agreements_log_form_directly(page, demo_server, login):
    alvsbyn = Agreement.objects.get(municipality__name="Älvsbyns kommun")
    page.set_viewport_size(PHONE)
    login(page, "polis")
    page.goto(f"{demo_server.url}/agreements/{alvsbyn.pk}/")
    # Anywhere else, even outside the agreement, “Log work” remembers Älvsbyn.
    page.goto(f"{demo_server.url}/calendar/")
    page.get_by_role("link", name="Logga arbete", exact=True).click()
    expect(page).to_have_url(
        f"{demo_server.url}{reverse('followup:log-create', args=[alvsbyn.pk])}"
    )
    # The switcher in the collapsed menu changes the current agreement.
    page.get_by_role("button", name="Meny").click()
    # Agreements go by their short names in the switcher, the legal title below.
    page.get_by_role("button", name="Aktuell överenskommelse: Älvsbyn 2024–2026").click()
    # The demo has two Piteå agreements (the signed one and its successor): either will do.
    link = page.get_by_role("link", name=re.compile(r"^Piteå \d{4}–\d{4}")).first
    href = link.get_attribute("href")
    pk = int(href.strip("/").split("/")[-1])
    assert Agreement.objects.get(pk=pk).municipality.name == "Piteå kommun"
    link.click()
    expect(page).to_have_url(f"{demo_server.url}/agreements/{pk}/")
    page.get_by_role("link", name="Logga arbete", exact=True).click()
    expect(page).to_have_url(f"{demo_server.url}{reverse('followup:log-create', args=[pk])}")
