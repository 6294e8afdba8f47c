"""Step 2 of the demo: Piteå's situation pictures, 2024 agreed by both parties and 2025 a
draft, and this year's draft of the successor agreement (example data)."""

import datetime

from django.utils import timezone

from plans.models import Approval, Cause, Place, Problem, SituationPicture

EXAMPLE = "Exempeldata"
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


def seed_situation(*, agreement, users, sources, indicators):
    """Places and the pictures of 2024 (agreed) and 2025 (a draft), with their problems linked
    to the sources and indicators of `seed_facts`. Idempotent."""
    areas = {area.name: area for area in agreement.priority_areas.all()}
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
            title, tags, causes = row[0], row[2], row[8]
            linked_indicators, linked_sources, years = row[9:]
            if year not in years:
                continue
            when = WHEN.get(title, ([], [], []))
            times = zip(["times_of_day", "weekdays", "seasons"], when, strict=True)
            problem, created = Problem.objects.get_or_create(
                picture=picture,
                title=title,
                defaults={**_problem_fields(row, areas, position), **dict(times)},
            )
            if not created:
                continue
            problem.places.set(places[name] for name in tags)
            problem.indicators.set(indicators[name] for name in linked_indicators)
            problem.sources.set(sources[name] for name in linked_sources)
            _causes(problem, causes)


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
        problem = Problem.objects.create(
            picture=picture, title=row[0], **_problem_fields(row, areas, position)
        )
        _causes(problem, row[8])
    return picture


def _problem_fields(row, areas, position):
    _title, area, _tags, where, when, affected, trend, serious = row[:8]
    return {
        "description": f"{EXAMPLE}.",
        "priority_area": areas.get(area),
        "where": where,
        "when": when,
        "affected": affected,
        "trend": trend,
        "seriousness": serious,
        "position": position,
    }


def _causes(problem, causes):
    Cause.objects.bulk_create(
        Cause(problem=problem, description=text, position=n) for n, text in enumerate(causes)
    )
