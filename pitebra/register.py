"""Sweden's municipalities, read from `pitebra/data/municipalities.csv` (its header names the
source and date). A migration loads them; `load_municipalities` also serves a database that
was emptied since (a test's flush)."""

import csv
from pathlib import Path

REGISTER = Path(__file__).resolve().parent / "data" / "municipalities.csv"


def load_municipalities(model):
    """Create the register's rows with `model` (the app's or a migration's Municipality)."""
    with REGISTER.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        model.objects.bulk_create(
            model(
                code=row["code"],
                name=row["name"],
                county_code=row["county_code"],
                county_name=row["county_name"],
                organisation_number=row["organisation_number"],
            )
            for row in rows
        )
