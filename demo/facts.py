"""Step 1 of the demo: Piteå's sources and indicators, with values for Piteå and the whole
country (example data, in a plausible range)."""

from decimal import Decimal

from pitebra.models import Organisation
from plans.models import Indicator, Observation, Source

EXAMPLE = "Exempeldata"
KOLADA_IDS = {"Piteå kommun": "2581", "Älvsbyns kommun": "2560"}
# name, covers, used, limitations
SOURCES = [
    (
        "Kolada",
        "Nyckeltal för kommuner från bl.a. Polisen, BRÅ och Skolverket, jämförbara över tid "
        "och med riket.",
        True,
        "Bygger på anmälda brott: mörkertalet syns inte. Små tal i en mindre kommun svänger "
        "mycket mellan åren.",
    ),
    (
        "Polisens anmälningsstatistik",
        "Anmälda brott per brottskategori och område inom lokalpolisområdet.",
        True,
        "Anmälningsbenägenhet och polisens egna insatser påverkar siffrorna.",
    ),
    (
        "Polisens trygghetsmätning",
        "Boendes upplevda problem och otrygghet i kommunens områden.",
        True,
        "Svarsfrekvensen är låg bland unga och bland utrikes födda.",
    ),
    (
        "LUPP-enkät (ungdomsenkät)",
        "Ungas fritid, trygghet, alkohol och droger, årskurs 8 och gymnasiets år 2.",
        True,
        "Genomförs vart tredje år; självrapporterade svar.",
    ),
    (
        "Skolenkäten (Skolinspektionen)",
        "Elevers upplevelse av trygghet och studiero i skolan.",
        True,
        "Redovisas per skola; låg svarsfrekvens på vissa skolor.",
    ),
    (
        "Trygghetsvandring i centrum",
        "Fysiska brister i miljön: belysning, skymd sikt, skadegörelse.",
        True,
        "En ögonblicksbild från en kväll; deltagarna är inte representativa.",
    ),
    (
        "Sjukvårdens skadedata",
        "Skador efter våld som behandlats inom vården.",
        False,
        "Utelämnad: finns inte nedbruten på kommunnivå för de senaste åren.",
    ),
]
YEARS = range(2019, 2026)
PER_100_000, PER_1_000_YOUNG = "antal per 100 000 inv.", "antal per 1 000 inv. 15–17 år"
LOWER, HIGHER = Indicator.Better.LOWER, Indicator.Better.HIGHER
# name, unit, Kolada KPI, better, source, priority area, Piteå's values, the country's (YEARS)
INDICATORS = [
    ("Anmälda brott totalt", PER_100_000, "N07540", LOWER, "Kolada", "Trygga miljöer",
     (9020, 8650, 8310, 8470, 8120, 7930, 7810),
     (14870, 14460, 13690, 13840, 13410, 12980, 12700)),
    ("Anmälda våldsbrott", PER_100_000, "N07403", LOWER, "Kolada", "Trygga miljöer",
     (905, 874, 861, 912, 938, 897, 880),
     (1165, 1120, 1098, 1131, 1104, 1076, 1060)),
    ("Invånare 15–17 år lagförda för brott", PER_1_000_YOUNG, "N02905", LOWER, "Kolada",
     "Barn och unga",
     (11.2, 10.4, 9.8, 10.9, 12.1, 11.6, 11.0),
     (15.1, 14.6, 14.0, 14.8, 15.3, 14.9, 14.5)),
    ("Elever i åk 8 som känner sig trygga i skolan", "%", "N15643", HIGHER,
     "Skolenkäten (Skolinspektionen)", "Barn och unga",
     (88.0, 87.2, 89.1, 86.4, 85.9, 86.8, 87.5),
     (86.5, 86.9, 87.0, 85.8, 85.4, 85.9, 86.2)),
]  # fmt: skip


def seed_facts(*, agreement):
    """Sources and indicators with their values; returns both by name. Idempotent."""
    for name, code in KOLADA_IDS.items():
        Organisation.objects.filter(name=name, agreement=None, kolada_id="").update(kolada_id=code)
    sources = {}
    for name, covers, used, limitations in SOURCES:
        sources[name] = Source.objects.get_or_create(
            agreement=agreement,
            name=name,
            defaults={"covers": covers, "used": used, "limitations": limitations},
        )[0]
    areas = {area.name: area for area in agreement.priority_areas.all()}
    indicators = {}
    for position, row in enumerate(INDICATORS):
        name, unit, kpi, better, source, area, own_values, country_values = row
        indicator, created = Indicator.objects.get_or_create(
            agreement=agreement,
            name=name,
            defaults={
                "unit": unit,
                "kolada_kpi": kpi,
                "better": better,
                "source": sources[source],
                "position": position,
                "description": f"{EXAMPLE}: värdena är påhittade men i rimlig storleksordning.",
            },
        )
        if created and area in areas:
            indicator.priority_areas.add(areas[area])
        indicators[name] = indicator
        for year, own, country in zip(YEARS, own_values, country_values, strict=True):
            for scope, value in [
                (Observation.Scope.MUNICIPALITY, own),
                (Observation.Scope.COUNTRY, country),
            ]:
                Observation.objects.get_or_create(
                    indicator=indicator,
                    year=year,
                    subperiod="",
                    scope=scope,
                    gender=Observation.Gender.TOTAL,
                    defaults={"value": Decimal(str(value)), "note": EXAMPLE},
                )
    return sources, indicators
