"""Columns by meaning: each PiteBra field has Swedish synonyms, and a fuzzy match for the rest."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from .values import key

FUZZY_THRESHOLD = 86


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    synonyms: tuple[str, ...]


PLAN_FIELDS = [
    Field("priority_area", _("Priority area"), ("prioriterat område", "område", "fokusområde",
          "insatsområde", "prioriterade områden", "prioritering")),
    Field("goal", _("Goal"), ("mål", "delmål", "övergripande mål", "målsättning", "mål för året")),
    Field("strategy", _("Strategy"), ("strategi", "strategier", "arbetssätt", "inriktning")),
    Field("causes", _("Cause"), ("orsak", "orsaker", "orsak som åtgärdas", "problem",
          "problem som åtgärdas", "bakomliggande orsak", "trolig orsak", "sannolik orsak")),
    Field("title", _("Measure (activity)"), ("åtgärd", "åtgärd (aktivitet)", "aktivitet",
          "aktivitet / åtgärd", "aktivitet/åtgärd", "åtgärd/aktivitet", "insats", "åtgärder",
          "aktiviteter", "insatser", "vad", "aktivitet eller åtgärd")),
    Field("description", _("Description"), ("beskrivning", "innehåll", "kort beskrivning")),
    Field("operational_goal", _("Operational goal"), ("operativa mål", "operativt mål",
          "förväntat resultat", "resultatmål", "effektmål")),
    Field("when", _("When (period)"), ("när", "tidsplan", "tid", "period", "tidpunkt",
          "datum", "tidsperiod", "genomförs", "när genomförs")),
    Field("start", _("Start"), ("start", "startdatum", "från", "påbörjas", "starttid")),
    Field("end", _("End"), ("slut", "slutdatum", "till", "klart senast", "deadline",
          "avslutas", "sluttid")),
    Field("responsible_organisation", _("Responsible organisation"), ("ansvarig",
          "ansvarig organisation", "huvudansvarig", "vem", "ansvarig part", "ansvarig aktör",
          "huvudman", "ansvarig verksamhet")),
    Field("contact", _("Contact person"), ("kontaktperson", "kontakt", "ansvarig person",
          "kontaktpersoner", "ansvarig handläggare")),
    Field("partners", _("Partner organisations"), ("samverkansparter", "samverkanspart",
          "samverkan med", "i samverkan med", "partner", "parter", "medverkande", "övriga aktörer",
          "samarbetspartner", "samarbetspartners")),
    Field("status", _("Status"), ("status", "läge", "lägesstatus")),
    Field("traffic_light", _("Traffic light"), ("trafikljus", "bedömning", "färg")),
    Field("traffic_light_comment", _("Assessment comment"), ("kommentar till bedömning",
          "bedömningskommentar", "motivering")),
    Field("target_group", _("Target group"), ("målgrupp", "målgrupper", "för vem")),
    Field("places", _("Places"), ("platser", "plats", "var", "geografiskt område")),
    Field("estimated_hours", _("Estimated hours"), ("beräknade timmar", "timmar",
          "tid (timmar)", "antal timmar", "resurs timmar")),
    Field("estimated_cost", _("Estimated cost (SEK)"), ("beräknad kostnad (kr)", "kostnad",
          "budget", "kostnad kr", "kostnad (kr)", "beräknad kostnad")),
    Field("follow_up", _("Follow-up"), ("uppföljning", "hur följs upp", "uppföljning/mätning",
          "mätning", "hur mäts")),
]  # fmt: skip
FACT_FIELDS = [
    Field("indicator", _("Indicator"), ("indikator", "nyckeltal", "mått", "indikatornamn", "kpi",
          "variabel", "statistik", "nyckeltalsnamn", "kpi-id", "brottstyp")),
    Field("period", _("Period"), ("period", "år", "tid", "månad", "kvartal", "årtal",
          "tidsperiod")),
    Field("scope", _("Scope"), ("område", "omfattning", "region", "kommun", "geografi",
          "jämförelse", "nivå", "område/kommun", "kommun/län", "område (kommun, län, riket)")),
    Field("value", _("Value"), ("värde", "antal", "andel", "värden", "siffra", "utfall", "värdet")),
    Field("gender", _("Gender"), ("kön",)),
]  # fmt: skip


def _norm(text):
    return re.sub(r"\s*/\s*", " / ", key(text)).replace("  ", " ")


def header_score(text, fields):
    """(field key, score 0–100) of the field a header most likely means."""
    header = _norm(text)
    if not header:
        return "", 0
    best = ("", 0)
    for field in fields:
        for synonym in (field.key, field.synonyms[0], *field.synonyms):
            synonym = _norm(synonym)
            if header == synonym:
                return field.key, 100
            score = fuzz.ratio(header, synonym)
            score = max(score, fuzz.token_sort_ratio(header, synonym))
            if score > best[1]:
                best = (field.key, score)
    return best


def map_columns(headers, fields, saved=None):
    """The field each column holds ('' for none): saved choices, then synonyms, then fuzzy."""
    saved = saved or {}
    valid = {field.key for field in fields}
    result = [""] * len(headers)
    taken = set()
    scored = []
    for index, header in enumerate(headers):
        choice = saved.get(key(header))
        if choice is not None and (choice in valid or choice == ""):
            result[index] = choice
            taken.add(choice)
            continue
        field, score = header_score(header, fields)
        if score >= FUZZY_THRESHOLD:
            scored.append((score, -index, index, field))
    for _score, _neg, index, field in sorted(scored, reverse=True):
        if field not in taken and not result[index]:
            result[index] = field
            taken.add(field)
    return result
