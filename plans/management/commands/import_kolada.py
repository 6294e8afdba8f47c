"""python manage.py import_kolada --kpi N07540 --municipality 2581,0000 --years 2019-2025"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation

from pitebra.models import Agreement, Municipality
from plans.services.imports import (
    COUNTRY_CODE,
    kolada_kept_note,
    kolada_note,
    observations_import,
    observations_keep_older,
    parse_kolada,
)
from plans.services.kolada import KoladaError, fetch_data
from security.audit import Action, record


def parse_years(text: str) -> list[int]:
    years = set()
    try:
        for part in text.split(","):
            first, _sep, last = part.strip().partition("-")
            years.update(range(int(first), int(last or first) + 1))
    except ValueError as error:
        raise CommandError(
            f"--years: expected e.g. 2019-2025 or 2022,2024, got {text!r}"
        ) from error
    if not years or min(years) < 1990 or max(years) > 2100 or len(years) > 50:
        raise CommandError(f"--years: {text!r} is not a range of years between 1990 and 2100")
    return sorted(years)


class Command(BaseCommand):
    help = (
        "Fetch one Kolada KPI's values for a municipality (and comparison areas such as 0000, "
        "the whole country) and save them as observations of the indicator with that KPI id. "
        "All or nothing; running it again updates the same values."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kpi", required=True, help="Kolada KPI id, e.g. N07540")
        parser.add_argument(
            "--municipality",
            required=True,
            help="Kolada area ids, comma-separated: 2581 (Piteå), 0000 (the whole country)",
        )
        parser.add_argument("--years", required=True, help="e.g. 2019-2025 or 2022,2024")
        parser.add_argument(
            "--agreement",
            type=int,
            help="The agreement's id; found from the municipality's Kolada id when left out",
        )
        parser.add_argument("--base-url", help="Kolada API base (default: settings)")
        parser.add_argument("--timeout", type=float, help="Seconds to wait for each page")

    def handle(self, *args, **options):
        # Operators read the command's output in English, like its help text.
        with translation.override(None):
            return self.run(**options)

    def run(self, *, kpi, municipality, years, agreement=None, **options):
        codes = [code.strip() for code in municipality.split(",") if code.strip()]
        if not codes or not all(code.isdigit() and len(code) == 4 for code in codes):
            raise CommandError("--municipality: four-digit Kolada ids, e.g. 2581 or 2581,0000")
        agreement = self._agreement(agreement, codes)
        try:
            data = fetch_data(
                kpi=kpi,
                municipalities=codes,
                years=parse_years(years),
                base_url=options.get("base_url"),
                timeout=options.get("timeout"),
            )
        except KoladaError as error:
            raise CommandError(f"Nothing was saved. {error}") from error
        result = parse_kolada(agreement=agreement, data=data)
        if result.errors:
            raise CommandError("Nothing was saved.\n" + "\n".join(result.errors))
        today = timezone.localdate()
        with transaction.atomic():
            created, updated = observations_import(rows=result.rows, note=kolada_note(today))
            kept = observations_keep_older(nulls=result.nulls, note=kolada_kept_note(today))
            record(Action.IMPORT, agreement=agreement, summary=f"kolada command {kpi}"[:200])
        if kept:
            self.stdout.write(
                f"{kept} values Kolada left empty already had an older value: kept, with a note."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{kpi}: {created} new and {updated} updated values for {agreement} "
                f"({result.skipped} empty values skipped)."
            )
        )

    def _agreement(self, pk, codes):
        if pk is not None:
            found = Agreement.objects.filter(pk=pk).select_related("municipality").first()
            if found is None:
                raise CommandError(f"No agreement has the id {pk}.")
            return found
        own = [code for code in codes if not code.startswith("00") and code != COUNTRY_CODE]
        if len(own) != 1:
            raise CommandError("Give --agreement, or exactly one municipality id besides 00NN.")
        municipality = Municipality.objects.filter(code=own[0]).first()
        if municipality is None:
            raise CommandError(f"{own[0]} is not the code of any of Sweden's municipalities.")
        candidates = list(
            Agreement.objects.filter(municipality__kolada_id=own[0]).select_related("municipality")
        )
        if len(candidates) != 1:
            raise CommandError(
                f"{len(candidates)} agreements have a municipality with Kolada id {own[0]} "
                f"({municipality.name}): give --agreement <id>."
            )
        return candidates[0]
