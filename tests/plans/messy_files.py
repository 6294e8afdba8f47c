"""Realistic messy files, written by the tests themselves: a group's own plan and statistics."""

import datetime
import io

from openpyxl import Workbook

from pitebra.models import Organisation

from ..factories import (
    make_agreement,
    make_cause,
    make_member,
    make_organisation,
    make_picture,
    make_plan,
    make_priority_area,
    make_problem,
)

PLAN_HEADERS = [
    "Prioriterat område", "Mål", "Orsak som åtgärdas", "Aktivitet / åtgärd", "Huvudansvarig",
    "Samverkan med", "Kontaktperson", "När", "Status", "Målgrupp", "Budget", "Kommentar",
]  # fmt: skip
PLAN_ROWS = [
    ["Barn och unga", "Färre unga i kriminalitet", "Få vuxna ute på kvällarna",
     "Nattvandring fredagar", "Nattvandrarna i Piteå", "Polisen", "Anna Berg", "löpande",
     "pågående", "Unga 13–17 år", "12 000", "Behöver fler vuxna"],
    ["Barn och unga", "Färre unga i kriminalitet", "Droger på fester",
     "Föräldraträffar åk 7", "Piteå kommun, socialtjänsten", "Polisen; Strömbackaskolan",
     "Lisa i föreningen", "v. 12–14", "Ej påbörjad", "Föräldrar", "1\u00a0500", ""],
    ["Barn och unga", "Färre unga i kriminalitet", "", "Skolpolis i högstadiet", "Polisen",
     "", "", "Q2", "ej startad", "Elever", "", ""],
    ["Trygga miljöer", "Tryggare centrum", "Dålig belysning", "Belysning i Badhusparken",
     "PiteBo", "Piteå kommun", "", datetime.datetime(2025, 3, 7), "Avbruten", "", "250 000", ""],
    ["Trygga miljöer", "Tryggare centrum", "Få vuxna ute på kvällarna",
     "Trygghetsvandring Öjebyn", "Polisen", "PiteBo, Nattvandrarna i Piteå", "", "vecka 10",
     "klart", "Boende", "", ""],
    ["Trygga miljöer", "Tryggare centrum", "", "Medborgardialog", "Piteå kommun", "",
     "Anna Berg", "hösten 2025", "senarelagd", "", "", "Flyttad från våren"],
    ["Trygga miljöer", "Tryggare centrum", "", "Klotter sanering", "PiteBo", "", "",
     "jan–mars", "Genomförd", "", "8\u202f000", ""],
    ["Trygga miljöer", "Tryggare centrum", "", "Sommarvärdar", "Piteå kommun", "Polisen", "",
     "sommaren", "planerad", "", "", ""],
]  # fmt: skip
UNKNOWN_VALUES = {  # the distinct texts a user must decide about at most once each
    "Nattvandrarna i Piteå",
    "PiteBo",
    "Strömbackaskolan",
    "Droger på fester",
    "Dålig belysning",
    "Lisa i föreningen",
}


def messy_agreement():
    """An agreement like Piteå's: parties, a partner company, areas, a cause, a member."""
    municipality = make_organisation(name="Piteå kommun", kind="municipality", kolada_id="2581")
    police = make_organisation(name="Lokalpolisområde Piteå älvdal", kind="police")
    agreement = make_agreement(municipality=municipality, police_area=police)
    make_organisation(name="PiteBo AB", kind=Organisation.Kind.PARTNER, agreement=agreement)
    make_priority_area(agreement, name="Barn och unga", position=1)
    make_priority_area(agreement, name="Trygga miljöer", position=2)
    problem = make_problem(make_picture(agreement, 2025), title="Otrygghet i centrum")
    make_cause(problem, description="Få vuxna ute på kvällarna")
    make_member(agreement, username="anna", first_name="Anna", last_name="Berg")
    plan = make_plan(agreement, 2025)
    return agreement, plan


def messy_plan_xlsx():
    """Title (merged cells), a note, a blank row, headers on row 4, 8 activities, a total."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Genomförandeplan 2025 – PiteBra"])
    sheet.merge_cells("A1:L1")
    sheet.append(["Reviderad 2025-02-10 efter arbetsgruppens möte"])
    sheet.append([])
    sheet.append(PLAN_HEADERS)
    for row in PLAN_ROWS:
        sheet.append(row)
    sheet.append([None, None, None, "Summa aktiviteter: 8"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


FACTS_CSV = (
    "Statistik från Kolada och Brå;;;\r\n"
    "Uttag 2025-01-15;;;\r\n"
    "Indikator;Period;Område;Värde\r\n"
    "Anmälda brott per 100 000 inv;2023;Piteå;8 120,5\r\n"
    "Anmälda brott per 100 000 inv;2023;Riket;13\u00a0410\r\n"
    "Anmälda brott per 100 000 inv;2024;Piteå;..\r\n"
    "Anmälda brott per 100 000 inv;2024;Norrbottens län;10 234,5\r\n"
    "Andel trygga i centrum (%);2024;Hela landet;71,5\r\n"
    "Andel trygga i centrum (%);2024;Piteå kommun;–\r\n"
    "Andel trygga i centrum (%);2023;2581;68\r\n"
    "Summa;;;\r\n"
)


def messy_facts_csv():
    """Windows-1252 as Excel saves it on Swedish Windows (the thin space becomes a plain one)."""
    return FACTS_CSV.replace("\u00a0", "\xa0").encode("cp1252")
