"""Example facts and situation pictures for the Piteå demo (all marked as example data).

Idempotent like the rest of `seed_demo`: records are found by their natural keys and only
created when missing; nothing existing is changed.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from pitebra.models import Organisation

from .models import (
    Approval,
    Cause,
    Indicator,
    Observation,
    Place,
    Problem,
    SituationPicture,
    Source,
)

EXAMPLE = "Exempeldata"
KOLADA_IDS = {"Piteå kommun": "2581", "Älvsbyns kommun": "2560"}
SOURCES = [
    # name, covers, used, limitations
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
INDICATORS = [
    # name, unit, Kolada KPI, better, source, priority area, {year: (Piteå, riket)}
    (
        "Anmälda brott totalt",
        "antal per 100 000 inv.",
        "N07540",
        Indicator.Better.LOWER,
        "Kolada",
        "Trygga miljöer",
        {
            2019: (9020, 14870),
            2020: (8650, 14460),
            2021: (8310, 13690),
            2022: (8470, 13840),
            2023: (8120, 13410),
            2024: (7930, 12980),
            2025: (7810, 12700),
        },
    ),
    (
        "Anmälda våldsbrott",
        "antal per 100 000 inv.",
        "N07403",
        Indicator.Better.LOWER,
        "Kolada",
        "Trygga miljöer",
        {
            2019: (905, 1165),
            2020: (874, 1120),
            2021: (861, 1098),
            2022: (912, 1131),
            2023: (938, 1104),
            2024: (897, 1076),
            2025: (880, 1060),
        },
    ),
    (
        "Invånare 15–17 år lagförda för brott",
        "antal per 1 000 inv. 15–17 år",
        "N02905",
        Indicator.Better.LOWER,
        "Kolada",
        "Barn och unga",
        {
            2019: (11.2, 15.1),
            2020: (10.4, 14.6),
            2021: (9.8, 14.0),
            2022: (10.9, 14.8),
            2023: (12.1, 15.3),
            2024: (11.6, 14.9),
            2025: (11.0, 14.5),
        },
    ),
    (
        "Elever i åk 8 som känner sig trygga i skolan",
        "%",
        "N15643",
        Indicator.Better.HIGHER,
        "Skolenkäten (Skolinspektionen)",
        "Barn och unga",
        {
            2019: (88.0, 86.5),
            2020: (87.2, 86.9),
            2021: (89.1, 87.0),
            2022: (86.4, 85.8),
            2023: (85.9, 85.4),
            2024: (86.8, 85.9),
            2025: (87.5, 86.2),
        },
    ),
]
PLACES = ["Centrum", "Öjebyn", "Norrfjärden", "Hortlax", "Rosvik", "Strömbacka"]
PICTURE_TEXTS = {
    "crime_extent": (
        f"{EXAMPLE}. Anmälda brott per invånare har minskat sedan 2019 och ligger långt under "
        "riket. Våldsbrotten ligger kvar på ungefär samma nivå, med en topp 2023. Skadegörelse "
        "och ordningsstörningar koncentreras till centrum och till skolor i Öjebyn och Hortlax."
    ),
    "crime_consequences": (
        f"{EXAMPLE}. Trygghetsmätningen visar att kvinnor och äldre undviker centrum och "
        "busstationen kvällstid. Skadegörelse kostar kommunen och bostadsbolaget pengar och "
        "gör miljöer otrygga."
    ),
    "other_information": (
        f"{EXAMPLE}. LUPP-enkäten visar att få unga har en meningsfull fritid sena helgkvällar. "
        "Fältassistenter och nattvandrare finns i centrum på fredagar."
    ),
    "analysis": (
        f"{EXAMPLE}. Brotten är få men samlade i tid och rum: helgkvällar i centrum och nätter "
        "under sommarlovet. Problemen hänger ihop med unga som saknar alkoholfria mötesplatser "
        "och med fysiska miljöer som upplevs otrygga."
    ),
}
# When each problem happens, as structured choices beside the free-text note.
WHEN = {
    "Unga samlas och dricker alkohol i centrum på helgkvällar": (
        ["evening", "night"],
        ["fri", "sat"],
        ["spring", "summer"],
    ),
    "Otrygghet vid busstationen kvällstid": (
        ["evening"],
        ["mon", "tue", "wed", "thu", "fri"],
        ["autumn", "winter"],
    ),
    "Skadegörelse och klotter vid skolor": (["night"], [], ["summer"]),
    "Elever som känner sig otrygga i skolan": (
        ["morning", "daytime"],
        ["mon", "tue", "wed", "thu", "fri"],
        [],
    ),
}

PROBLEMS = [
    # title, area, places, where, when, affected, trend, seriousness, causes, indicators,
    # sources, years
    (
        "Unga samlas och dricker alkohol i centrum på helgkvällar",
        "Barn och unga",
        ["Centrum"],
        "Stadsparken och gågatan",
        "Fredag och lördag kväll, främst vår och sommar",
        "Unga 14–17 år; boende och näringsidkare i centrum",
        Problem.Trend.INCREASING,
        Problem.Seriousness.HIGH,
        [
            "Få alkoholfria mötesplatser öppna sena helgkvällar",
            "Langning av alkohol från äldre kompisar",
            "Låg vuxennärvaro ute på kvällarna",
        ],
        ["Invånare 15–17 år lagförda för brott"],
        ["LUPP-enkät (ungdomsenkät)", "Polisens anmälningsstatistik"],
        (2024, 2025),
    ),
    (
        "Otrygghet vid busstationen kvällstid",
        "Trygga miljöer",
        ["Centrum"],
        "Busstationen och resecentrum",
        "Vardagskvällar efter kl. 21, vinterhalvåret",
        "Kvinnor och äldre som reser kvällstid",
        Problem.Trend.STABLE,
        Problem.Seriousness.MEDIUM,
        ["Dålig belysning och skymd sikt", "Grupper som samlas i väntsalen för värmens skull"],
        [],
        ["Polisens trygghetsmätning", "Trygghetsvandring i centrum"],
        (2024, 2025),
    ),
    (
        "Skadegörelse och klotter vid skolor",
        "Trygga miljöer",
        ["Öjebyn", "Hortlax"],
        "",
        "Nätter och sommarlov",
        "Skolor, fastighetsägare och boende i närområdet",
        Problem.Trend.DECREASING,
        Problem.Seriousness.MEDIUM,
        [
            "Skadegörelse som åtgärdas sent signalerar att ingen bryr sig",
            "Lite att göra för unga under sommarlovet",
        ],
        ["Anmälda brott totalt"],
        ["Polisens anmälningsstatistik"],
        (2024, 2025),
    ),
    (
        "Elever som känner sig otrygga i skolan",
        "Barn och unga",
        [],
        "Högstadieskolor i kommunen",
        "Skoldagar, raster och vägen hem",
        "Elever i årskurs 7–9",
        Problem.Trend.STABLE,
        Problem.Seriousness.MEDIUM,
        [
            "Kränkningar i sociala medier som följer med in i skolan",
            "Få vuxna i korridorer och på raster",
        ],
        ["Elever i åk 8 som känner sig trygga i skolan"],
        ["Skolenkäten (Skolinspektionen)"],
        (2024, 2025),
    ),
    (
        "Narkotika bland unga och unga vuxna",
        "Barn och unga",
        ["Centrum", "Norrfjärden"],
        "",
        "Kvällar och helger året runt",
        "Unga 15–24 år och deras familjer",
        Problem.Trend.INCREASING,
        Problem.Seriousness.HIGH,
        [
            "Narkotika säljs öppet via sociala medier",
            "Cannabis normaliseras bland unga",
        ],
        [],
        [],
        (2025,),
    ),
]


def seed_facts(*, agreement, users):
    """Sources, indicators with values for Piteå and the whole country, places and pictures."""
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
    for position, (name, unit, kpi, better, source, area, values) in enumerate(INDICATORS):
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
        for year, (own, country) in values.items():
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
    places = {
        name: Place.objects.get_or_create(agreement=agreement, name=name)[0] for name in PLACES
    }
    agreed_on = timezone.make_aware(datetime.datetime(2024, 3, 14, 10, 0))
    for year in (2024, 2025):
        picture, created = SituationPicture.objects.get_or_create(
            agreement=agreement,
            year=year,
            version=1,
            defaults={**PICTURE_TEXTS, "created_by": users["kommun"]},
        )
        if created and year == 2024:
            for party, username in [
                (Approval.Party.POLICE, "polis"),
                (Approval.Party.MUNICIPALITY, "kommun"),
            ]:
                Approval.objects.create(picture=picture, party=party, user=users[username])
            picture.approvals.update(approved_at=agreed_on)
            SituationPicture.objects.filter(pk=picture.pk).update(agreed_at=agreed_on)
        for position, row in enumerate(PROBLEMS):
            (title, area, tags, where, when, affected, trend, serious, causes) = row[:9]
            linked_indicators, linked_sources, years = row[9:]
            if year not in years:
                continue
            problem, created = Problem.objects.get_or_create(
                picture=picture,
                title=title,
                defaults={
                    "description": f"{EXAMPLE}.",
                    "priority_area": areas.get(area),
                    "where": where,
                    "when": when,
                    **dict(
                        zip(
                            ["times_of_day", "weekdays", "seasons"],
                            WHEN.get(title, ([], [], [])),
                            strict=True,
                        )
                    ),
                    "affected": affected,
                    "trend": trend,
                    "seriousness": serious,
                    "position": position,
                },
            )
            if not created:
                continue
            problem.places.set(places[name] for name in tags)
            problem.indicators.set(indicators[name] for name in linked_indicators)
            problem.sources.set(sources[name] for name in linked_sources)
            Cause.objects.bulk_create(
                Cause(problem=problem, description=text, position=n)
                for n, text in enumerate(causes)
            )


def seed_current_picture(*, agreement, users, today: datetime.date):
    """This year's situation picture of the successor agreement: a draft, written a few weeks
    ago and not yet agreed, with the problems carried from the last picture. Idempotent."""
    year = agreement.first_year
    picture, created = SituationPicture.objects.get_or_create(
        agreement=agreement,
        year=year,
        version=1,
        defaults={**PICTURE_TEXTS, "created_by": users["kommun"]},
    )
    if not created:
        return picture
    written = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=21), datetime.time(10))
    )
    SituationPicture.objects.filter(pk=picture.pk).update(created_at=written)
    areas = {area.name: area for area in agreement.priority_areas.all()}
    for position, row in enumerate(PROBLEMS[:3]):
        title, area, _tags, where, when, affected, trend, serious, causes = row[:9]
        problem = Problem.objects.create(
            picture=picture,
            title=title,
            description=f"{EXAMPLE}.",
            priority_area=areas.get(area),
            where=where,
            when=when,
            affected=affected,
            trend=trend,
            seriousness=serious,
            position=position,
        )
        Cause.objects.bulk_create(
            Cause(problem=problem, description=text, position=n) for n, text in enumerate(causes)
        )
    return picture
