"""The facts and situation-picture pages, visited by a municipal member, with 0 axe violations."""

from playwright.sync_api import expect

from pitebra.models import Agreement
from plans.models import Indicator, Problem, SituationPicture


def test_kommun_tours_facts_and_situation_picture(page, demo_server, login, check_a11y):
    login(page, "kommun")
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    base = f"{demo_server.url}/agreements/{pitea.pk}/"
    indicator = Indicator.objects.get(agreement=pitea, kolada_kpi="N07540")
    agreed = SituationPicture.objects.get(agreement=pitea, year=2024)
    draft = SituationPicture.objects.get(agreement=pitea, year=2025)
    problem = Problem.objects.filter(picture=draft).first()

    page.goto(base)
    page.get_by_role("link", name="Fakta", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fakta om kommunen")
    expect(
        page.get_by_role("img", name="Anmälda brott totalt (antal per 100 000 inv.)")
    ).to_be_visible()
    check_a11y(page)

    for path, heading in [
        (f"facts/indicators/{indicator.pk}/", "Anmälda brott totalt"),
        (f"facts/indicators/{indicator.pk}/edit/", "Redigera nyckeltalet Anmälda brott totalt"),
        ("facts/indicators/new/", "Nytt nyckeltal"),
        ("facts/import/csv/", "Importera värden från en fil"),
        ("facts/import/kolada/", "Importera värden från Kolada"),
        ("facts/documents/", "Underlag"),
        ("facts/sources/", "Källförteckning"),
        ("situation/", "Gemensam lägesbild"),
        (f"situation/pictures/{agreed.pk}/", "Lägesbild 2024, version 1"),
        (f"situation/pictures/{draft.pk}/", "Lägesbild 2025, version 1"),
        (f"situation/pictures/{draft.pk}/edit/", "Lägesbild 2025, version 1"),
        (f"situation/pictures/{draft.pk}/problems/new/", "Nytt problem"),
        (f"situation/problems/{problem.pk}/edit/", f"Redigera problemet {problem.title}"),
    ]:
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_a11y(page)


def test_a_personal_number_is_refused_next_to_the_field(page, demo_server, login, check_a11y):
    login(page, "kommun")
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    draft = SituationPicture.objects.get(agreement=pitea, year=2025)
    page.goto(
        f"{demo_server.url}/agreements/{pitea.pk}/situation/pictures/{draft.pk}/problems/new/"
    )
    page.get_by_label("Titel").fill("Bråk vid 811218-9876")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("ser ut som ett personnummer")).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value("Bråk vid 811218-9876")
    check_a11y(page)
    assert not Problem.objects.filter(title__contains="811218").exists()


def test_csv_import_preview_in_the_browser(page, demo_server, login, check_a11y, tmp_path):
    login(page, "kommun")
    pitea = Agreement.objects.get(municipality__name="Piteå kommun", first_year=2023)
    csv = tmp_path / "varden.csv"
    csv.write_text("Anmälda brott totalt;2026;kommun;7 700,5\n", encoding="utf-8")
    page.goto(f"{demo_server.url}/agreements/{pitea.pk}/facts/import/csv/")
    page.get_by_label("Fil (.xlsx, .xls eller .csv)").set_input_files(str(csv))
    page.get_by_role("button", name="Visa en förhandsgranskning").click()
    expect(page.get_by_role("heading", name="Förhandsgranskning")).to_be_visible()
    check_a11y(page)
    page.get_by_role("button", name="Importera de här värdena").click()
    expect(
        page.get_by_text("Importerade 1 nya och 0 uppdaterade värden; 0 saknade värden hoppades")
    ).to_be_visible()
