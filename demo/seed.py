"""The demo: the Piteå agreement 2023–2025 as signed, its successor running from the current
year, a second agreement and demo users; each step's data comes from its module in `demo/`.

Idempotent: every record is found by its natural key and only created when missing, so running
it twice changes nothing. Passwords are set when a demo user is created, never reset. The
successor's dates are counted from the day the demo is first loaded (`today`), so a newcomer
always finds a year in progress.
"""

import base64
import binascii
import datetime

from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pitebra.models import Agreement, Membership, Organisation, PriorityArea, StepStatus, User
from pitebra.services import agreement_copy
from plans.models import Activity
from security import two_factor

from .facts import seed_facts
from .followup import seed_current_followup, seed_followup
from .plan import seed_current_plan, seed_plans
from .report import seed_report
from .situation import seed_current_picture, seed_situation
from .wheel import seed_debrief, seed_wheel

DEMO_PASSWORD = "pitebra-demo"  # noqa: S105 - documented demo login, refused without DEBUG
# The coordinator's authenticator secret (base32), printed in the README: with two-factor
# login required, the demo still works, in two steps.
DEMO_TOTP_SECRET = "PITEBRADEMOSAMORDNAREHEMLIGKODXX"  # noqa: S105 - documented demo secret
# The coordinator's published backup codes (each works once; `seed_demo --force` restores them).
DEMO_BACKUP_CODES = [f"samverk{n}" for n in "23456789ab"]

PITEA_INTRODUCTION = (
    "Ett effektivt brottsförebyggande arbete kräver samverkan. Samhället har allt att vinna på "
    "minskad brottslighet och ökad trygghet. Därför behövs ett planerat aktivt "
    "brottsförebyggande arbete. Det innebär att alla – både offentliga och privata "
    "samhällsfunktioner men även medborgerliga initiativ – ska samverka sida vid sida.\n\n"
    "Utgångspunkten för en fungerande samverkan är att polisen och kommunen enas kring en "
    "gemensam uppfattning om vilka problem som finns lokalt."
)
FIVE_STEPS = (
    "1. Kommunen och Polisen samlar in fakta om tillståndet i kommunen.\n"
    "2. En gemensam lägesbild upprättas.\n"
    "3. Konkreta handlingsplaner upprättas angående lämpliga åtgärder. "
    "Vem ska göra vad och när?\n"
    "4. Konkret operativt arbete vidtas därefter.\n"
    "5. Resultaten följs upp och utvärdering sker av genomförda brottsförebyggande insatser."
)
PRIORITY_AREAS = [
    ("Barn och unga", "Arbeta brottsförebyggande med barn och ungdomar."),
    ("Trygga miljöer", "Verka för trygga miljöer."),
]
PARTIES = [
    ("Lokalpolisområde Piteå älvdal", Organisation.Kind.POLICE),
    ("Piteå kommun", Organisation.Kind.MUNICIPALITY),
    ("Älvsbyns kommun", Organisation.Kind.MUNICIPALITY),
]
# Partners belong to the agreement they work with (Piteå's; Älvsbyn registers its own).
PITEA_PARTNERS = [
    ("PiteBo AB", Organisation.Kind.PARTNER),
    ("Strömbackaskolan", Organisation.Kind.PARTNER),
    ("Föreningen Nattvandrarna i Piteå", Organisation.Kind.PARTNER),
]
# The parties' organisation numbers: the open data's publisher URIs are made from them.
ORGANISATION_NUMBERS = {
    "Piteå kommun": "212000-2759",
    "Lokalpolisområde Piteå älvdal": "202100-0076",  # Polismyndigheten
}
# The public page of both Piteå agreements is on; these activities stay internal, to show
# that an activity is public only when someone marked it so.
PUBLIC_CONTACT = "pitebra@pitea.example"
INTERNAL_ACTIVITIES = {"Gemensam lägesbild med fastighetsägare", "Belysning vid busstationen"}

USERS = [
    # username, first name, last name, organisation
    ("samordnare", "Sara", "Samordnare", "Piteå kommun"),
    ("polis", "Per", "Polis", "Lokalpolisområde Piteå älvdal"),
    ("kommun", "Karin", "Kommun", "Piteå kommun"),
    ("folkhalsoradet", "Folke", "Hälsoråd", "Piteå kommun"),
]

# Work phones, so closing an account and "my data" have one to handle.
PHONES = {"kommun": "0911-69 60 00", "samordnare": "0911-69 61 00"}


def seed(*, today: datetime.date | None = None):
    today = today or timezone.localdate()
    orgs = {
        name: Organisation.objects.get_or_create(
            name=name, agreement=None, defaults={"kind": kind}
        )[0]
        for name, kind in PARTIES
    }
    for name, number in ORGANISATION_NUMBERS.items():
        Organisation.objects.filter(name=name, agreement=None, organisation_number="").update(
            organisation_number=number
        )
    users = {}
    for username, first, last, org in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@pitebra.example",
                "organisation": orgs[org],
                "phone": PHONES.get(username, ""),
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    coordinator = users["samordnare"]
    if not two_factor.is_enrolled(coordinator) or not two_factor.remaining_backup_codes(
        coordinator
    ):
        key = binascii.hexlify(base64.b32decode(DEMO_TOTP_SECRET)).decode()
        _enrol_authenticator(users["samordnare"], key)

    pitea = _agreement(
        title=(
            "Överenskommelse om samverkan och prioriteringar mellan lokalpolisområde "
            "Piteå älvdal samt Piteå kommun"
        ),
        short_name="Piteå 2023–2025",
        municipality=orgs["Piteå kommun"],
        police_area=orgs["Lokalpolisområde Piteå älvdal"],
        first_year=2023,
        last_year=2025,
        revise_by=datetime.date(2025, 12, 31),
        signatories=(
            "Samverkansavtalet från december 2008: länspolismästare Håkan Karlsson och "
            "Folkhälsorådets ordförande Helena Stenberg.\n"
            "Överenskommelsen sammanställd av arbetsgruppen PiteBra."
        ),
        introduction=PITEA_INTRODUCTION,
        working_method=FIVE_STEPS,
        motto="Håll i, håll ut",
        reported_to="Folkhälsorådet samt polis- och kommunledning",
        summary_due="En skriftlig sammanställning görs vid varje årsskifte.",
    )
    _priority_areas(pitea)
    for name, kind in PITEA_PARTNERS:
        orgs[name] = Organisation.objects.get_or_create(
            name=name, agreement=pitea, defaults={"kind": kind}
        )[0]
    for username, role in [
        ("samordnare", Membership.Role.COORDINATOR),
        ("polis", Membership.Role.MEMBER),
        ("kommun", Membership.Role.MEMBER),
        ("folkhalsoradet", Membership.Role.READER),
    ]:
        Membership.objects.get_or_create(
            agreement=pitea, user=users[username], defaults={"role": role}
        )
    # Where the cycle stood when the demo was written: 2023–2024 done, 2025 under way.
    for year, states in {
        2023: ["done"] * 5,
        2024: ["done"] * 5,
        2025: ["done", "done", "done", "in_progress", "not_started"],
    }.items():
        for step, state in enumerate(states, start=1):
            StepStatus.objects.get_or_create(
                agreement=pitea, year=year, step=step, defaults={"state": state}
            )

    alvsbyn = _agreement(
        title="Samverkansöverenskommelse mellan lokalpolisområde Piteå älvdal och Älvsbyns kommun",
        short_name="Älvsbyn 2024–2026",
        municipality=orgs["Älvsbyns kommun"],
        police_area=orgs["Lokalpolisområde Piteå älvdal"],
        first_year=2024,
        last_year=2026,
        revise_by=datetime.date(2026, 12, 31),
        introduction="Exempeldata: en andra kommun som betjänas av samma lokalpolisområde.",
        working_method=FIVE_STEPS,
        motto="Tillsammans för ett tryggt Älvsbyn",
        reported_to="Kommunstyrelsen samt polis- och kommunledning",
        summary_due="En skriftlig sammanställning görs vid varje årsskifte.",
    )
    _priority_areas(alvsbyn)
    Membership.objects.get_or_create(
        agreement=alvsbyn, user=users["polis"], defaults={"role": Membership.Role.MEMBER}
    )
    seed_plans(agreement=pitea, users=users)
    sources, indicators = seed_facts(agreement=pitea)
    seed_situation(agreement=pitea, users=users, sources=sources, indicators=indicators)
    seed_followup(agreement=pitea, users=users)
    # Last of the seed: the published report is made from everything above.
    seed_report(agreement=pitea, users=users)
    periods = seed_wheel(agreement=pitea, users=users)
    seed_debrief(periods=periods, users=users, year=2025)
    current = _successor(pitea, users, today)
    _public_pages([pitea, current])
    return {
        "pitea": pitea,
        "current": current,
        "alvsbyn": alvsbyn,
        "users": users,
        "organisations": orgs,
    }


def _public_pages(agreements):
    """Turn the public page on, once: an operator who turns it off again is not overruled."""
    for agreement in agreements:
        if agreement.public or agreement.public_contact:
            continue
        Agreement.objects.filter(pk=agreement.pk).update(public=True, public_contact=PUBLIC_CONTACT)
        agreement.public, agreement.public_contact = True, PUBLIC_CONTACT
        Activity.objects.filter(strategy__goal__plan__agreement=agreement).exclude(
            title__in=INTERNAL_ACTIVITIES
        ).update(public=True)


def _successor(seed_agreement, users, today):
    """The agreement that followed the signed one, started from it with "new agreement from the
    old one": three operating years from the current one, with this year's adopted plan, work
    logged up to today, a draft situation picture, and the cycle under way."""
    current = seed_agreement.successors.order_by("first_year").first()
    if current is None:
        first = max(today.year, seed_agreement.last_year + 1)
        current = agreement_copy(
            source=seed_agreement,
            title=f"{seed_agreement.title} {first}–{first + 2}",
            short_name=f"Piteå {first}–{first + 2}",
            first_year=first,
            last_year=first + 2,
            revise_by=datetime.date(first + 2, 12, 31),
            created_by=users["samordnare"],
        )
    plan = seed_current_plan(agreement=current, users=users, today=today)
    seed_current_picture(agreement=current, users=users, today=today)
    seed_current_followup(plan=plan, users=users, today=today)
    seed_wheel(agreement=current, users=users, plan=plan, today=today)
    states = ["done", "in_progress", "done", "in_progress", "not_started"]
    for step, state in enumerate(states, start=1):
        StepStatus.objects.get_or_create(
            agreement=current, year=current.first_year, step=step, defaults={"state": state}
        )
    return current


def _agreement(*, title, municipality, police_area, first_year, **fields):
    agreement, _created = Agreement.objects.get_or_create(
        municipality=municipality,
        police_area=police_area,
        first_year=first_year,
        defaults={"title": title, **fields},
    )
    return agreement


def _priority_areas(agreement):
    for position, (name, goal) in enumerate(PRIORITY_AREAS):
        PriorityArea.objects.get_or_create(
            agreement=agreement,
            name=name,
            defaults={"overarching_goal": goal, "position": position},
        )


def _enrol_authenticator(user, secret_hex):
    """The coordinator's authenticator app, with the secret the README publishes."""
    two_factor.reset(user)
    TOTPDevice.objects.create(
        user=user, name=two_factor.APP_DEVICE_NAME, key=secret_hex, confirmed=True, tolerance=1
    )
    static = StaticDevice.objects.create(
        user=user, name=two_factor.BACKUP_DEVICE_NAME, confirmed=True
    )
    StaticToken.objects.bulk_create(
        StaticToken(device=static, token=code) for code in DEMO_BACKUP_CODES
    )
