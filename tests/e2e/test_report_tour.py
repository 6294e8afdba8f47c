"""The report tour: Folkhälsorådet downloads the published report; a member previews a draft."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from pitebra.models import Agreement


def test_reader_downloads_the_published_report(page, demo_server, login, check_a11y):
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    login(page, "folkhalsoradet")
    page.get_by_role("link", name=re.compile("Piteå älvdal samt Piteå kommun$")).click()
    page.get_by_role("link", name="Rapporter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Årsrapporter")
    expect(page.get_by_role("link", name="Förhandsgranska", exact=False)).to_have_count(0)
    check_a11y(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Årsrapport 2024, version 1 (PDF)").click()
    assert download.value.suggested_filename == "arsrapport-pitea-2024-v1.pdf"
    assert page.url.endswith(f"/agreements/{pitea.pk}/reports/")


def test_member_previews_the_draft_report(page, demo_server, login, check_a11y):
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    login(page, "kommun")
    page.goto(f"{demo_server.url}/agreements/{pitea.pk}/reports/")
    check_a11y(page)
    page.get_by_role("link", name="Förhandsgranska utkastet för 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utkast till årsrapport 2025")
    expect(page.frame_locator("iframe").get_by_role("heading", level=1)).to_have_text(
        "Gemensamt brottsförebyggande arbete 2025"
    )
    check_a11y(page)
    # The way back and the draft PDF sit above the report.
    expect(page.get_by_role("link", name="Utkast som PDF för 2025")).to_be_visible()
    page.get_by_role("link", name="Tillbaka till rapporterna").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Årsrapporter")


def test_coordinator_writes_the_reports_texts(page, demo_server, login, check_a11y):
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    login(page, "samordnare")
    page.goto(f"{demo_server.url}/agreements/{pitea.pk}/reports/2025/edit/")
    check_a11y(page)
    page.get_by_label("Förord").fill("Året då vi höll i och höll ut.")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Rapportens texter sparades.")


def test_member_waits_for_the_draft_pdf_made_in_the_background(
    page, demo_server, login, check_a11y, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    login(page, "kommun")
    page.goto(f"{demo_server.url}/agreements/{pitea.pk}/reports/")
    page.get_by_role("link", name="Utkast som PDF för 2025").click()
    expect(page.get_by_role("status")).to_contain_text("PDF-utkastet görs just nu")
    check_a11y(page)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    page.reload()
    link = page.get_by_role("link", name="Ladda ner PDF-utkastet för 2025")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith("-2025-utkast.pdf")
    check_a11y(page)
