"""The follow-up tour: a police officer logs work on a phone, the coordinator walks the
follow-up pages. Every page is checked with axe-core."""

import re

from playwright.sync_api import expect

from followup.models import Decision, LogEntry, Meeting
from pitebra.models import Agreement
from plans.models import Activity

PHONE = {"width": 375, "height": 667}


def test_police_officer_logs_work_on_a_phone(page, demo_server, login, check_a11y):
    # The current year runs in the successor of the signed agreement.
    current = Agreement.objects.get(previous__first_year=2023, municipality__name="Piteå kommun")
    page.set_viewport_size(PHONE)
    login(page, "polis")
    before = LogEntry.objects.count()

    page.get_by_role("link", name="Logga arbete").click()
    # polis works for two agreements: choose one.
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga arbete")
    check_a11y(page)
    page.get_by_role("link", name=re.compile(r"Piteå kommun \d{4}–\d{4}$")).click()
    expect(page.get_by_label("Aktivitet")).to_be_visible()
    check_a11y(page)

    # Today and my organisation are already filled in; the activity is chosen, my own first.
    page.get_by_label("Aktivitet").select_option(index=1)
    page.get_by_label("Vad som gjordes").fill("Synlig närvaro vid resecentrum")
    page.get_by_label("Antal gånger").fill("2")
    page.get_by_text("Fler uppgifter").click()
    page.get_by_label("Antal nådda personer").fill("15")
    page.get_by_role("button", name="Spara", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("Loggat:")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppföljning:")
    expect(
        page.get_by_role("cell", name="Synlig närvaro vid resecentrum", exact=True)
    ).to_be_visible()
    check_a11y(page)
    entry = LogEntry.objects.latest("pk")
    assert LogEntry.objects.count() == before + 1
    assert (entry.occasions, entry.people_reached) == (2, 15)
    assert entry.created_by.username == "polis"
    assert entry.organisation.name == "Lokalpolisområde Piteå älvdal"
    assert entry.activity.strategy.goal.plan.agreement == current


def test_coordinator_walks_the_follow_up(page, demo_server, login, check_a11y):
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    base = f"{demo_server.url}/agreements/{pitea.pk}"
    login(page, "samordnare")
    page.goto(f"{base}/")
    page.get_by_role("link", name="Uppföljning", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Uppföljning 20\d\d$"))
    check_a11y(page)

    page.goto(f"{base}/followup/2024/")
    expect(page.get_by_role("heading", name="Medborgarlöften")).to_be_visible()
    promises = page.locator("details").filter(
        has=page.get_by_role("heading", name="Medborgarlöften")
    )
    expect(promises.get_by_role("table")).to_contain_text(re.compile("I fas|Efter"))
    check_a11y(page)

    page.get_by_role("link", name="Utvärderingar", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utvärderingar 2024")
    check_a11y(page)
    page.get_by_role("link", name=re.compile("^Redigera – ")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utvärdering:")
    check_a11y(page)
    page.get_by_label("Lärdomar").fill("Boka lokaler tidigare.")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Utvärderingen sparades")

    activity = Activity.objects.get(
        strategy__goal__plan__year=2024, title="Trygghetsvandring i Centrum"
    )
    page.goto(f"{base}/activities/{activity.pk}/followup/")
    check_a11y(page)
    page.get_by_label("Trafikljus").select_option("yellow")
    page.get_by_label("Kommentar").fill("Uppföljningen av åtgärderna dröjer.")
    page.get_by_role("button", name="Uppdatera statusen").click()
    expect(page.get_by_role("table").last).to_contain_text("Uppföljningen av åtgärderna dröjer.")

    page.get_by_role("link", name="Möten", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Möten")
    check_a11y(page)
    page.get_by_role("link", name="Nytt möte").click()
    expect(page.get_by_label("Dagordning")).to_have_value(re.compile("Saknade utvärderingar"))
    check_a11y(page)
    page.get_by_label(re.compile("Karin Kommun")).check()
    page.get_by_label("Protokoll").fill("Genomgång inför årsrapporten.")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Mötet sparades")
    page.get_by_role("textbox", name="Beslut").fill("Starta trygghetsvandring i Norrfjärden.")
    page.get_by_role("button", name="Lägg till beslutet").click()
    check_a11y(page)
    page.get_by_role("link", name=re.compile("^Gör det till en aktivitet i planen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gör beslutet till en aktivitet")
    check_a11y(page)
    page.get_by_label("Strategi").select_option(index=1)
    page.get_by_role("button", name="Skapa aktiviteten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Starta trygghetsvandring i Norrfjärden."
    )
    meeting = Meeting.objects.latest("pk")
    assert Decision.objects.get(meeting=meeting).activity is not None

    page.goto(f"{base}/council/2024/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hur rådet fungerat 2024")
    expect(page.get_by_text("3 medlemmar har svarat.")).to_be_visible()
    check_a11y(page)
    page.goto(f"{base}/council/2025/")
    page.get_by_role("button", name="Starta självvärderingen").click()
    page.get_by_role("button", name="Öppna omgången för svar").click()
    page.get_by_role("link", name="Besvara självvärderingen").click()
    check_a11y(page)
    for question in page.locator("fieldset").all():  # one per question, scores 1–5
        question.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Skicka mina svar").click()
    expect(page.get_by_role("status")).to_contain_text("Dina svar sparades")
    check_a11y(page)

    page.get_by_role("link", name="Påminnelser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Påminnelser via e-post")
    check_a11y(page)
