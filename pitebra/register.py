"""Sweden's register, read from `pitebra/data/` (each file's header and the README there name
the source and date): the municipalities, and the police regions and local police areas.
Migrations load them; `load_municipalities` and `load_police_areas` also serve a database that
was emptied since (a test's flush)."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
REGISTER = DATA / "municipalities.csv"
POLICE_AREAS = DATA / "police_areas.csv"


def _rows(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def load_municipalities(model):
    """Create the register's rows with `model` (the app's or a migration's Municipality)."""
    model.objects.bulk_create(
        model(
            code=row["code"],
            name=row["name"],
            county_code=row["county_code"],
            county_name=row["county_name"],
            organisation_number=row["organisation_number"],
        )
        for row in _rows(REGISTER)
    )


def update_organisation_numbers(model):
    """Write the file's organisation numbers onto rows loaded before the file had them."""
    for row in _rows(REGISTER):
        if row["organisation_number"]:
            model.objects.filter(code=row["code"]).update(
                organisation_number=row["organisation_number"]
            )


def load_police_areas(region_model, area_model, municipality_model):
    """Make the police regions and local police areas what the file says, each linked to its
    municipalities: areas are matched by code (updated, created), and an area the file no
    longer has is removed (no other row refers to an area; agreements name their parties)."""
    by_code = {m.code: m for m in municipality_model.objects.all()}
    regions = {}
    codes = []
    for row in _rows(POLICE_AREAS):
        name = row["region"]
        if name not in regions:
            regions[name], _created = region_model.objects.get_or_create(name=name)
        region = regions[name]
        area, _created = area_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "region": region,
                "police_district": row["police_district"],
            },
        )
        area.municipalities.set([by_code[code] for code in row["municipalities"].split()])
        codes.append(row["code"])
    area_model.objects.exclude(code__in=codes).delete()
