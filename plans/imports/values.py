"""Cell values as Swedish tables write them: numbers, missing marks, statuses and scopes."""

import re
from decimal import Decimal, InvalidOperation

from ..models import Activity, Observation

MISSING_MARKS = {"", "..", "...", "…", "-", "–", "—", "x", "×"}
MAX_ABS_VALUE = Decimal(10) ** 11
MESSY_SPACE = re.compile(r"\s\s|[\u00a0\n\t\r]")
SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u2007']")
Status = Activity.Status
Scope = Observation.Scope

STATUS_WORDS = {
    Status.PLANNED: [
        "planerad", "planerat", "planerade", "ej påbörjad", "ej påbörjat", "ej startad",
        "ej startat", "inte påbörjad", "inte startad", "ej igång", "kommande", "ny", "planned",
    ],
    Status.ONGOING: [
        "pågående", "pågår", "påbörjad", "påbörjat", "startad", "startat", "igång", "i gång",
        "löpande", "pågår löpande", "aktiv", "under arbete", "ongoing",
    ],
    Status.DONE: [
        "klar", "klart", "klara", "avslutad", "avslutat", "genomförd", "genomfört", "genomförda",
        "slutförd", "slutfört", "utförd", "utfört", "färdig", "färdigt", "done", "ok",
    ],
    Status.POSTPONED: [
        "senarelagd", "senarelagt", "uppskjuten", "uppskjutet", "framflyttad", "flyttad",
        "försenad", "försenat", "vilande", "pausad", "pausat", "postponed",
    ],
    Status.CANCELLED: [
        "avbruten", "avbrutet", "inställd", "inställt", "struken", "stryks", "utgår", "utgått",
        "stoppad", "avbryts", "cancelled",
    ],
}  # fmt: skip
STATUS_BY_WORD = {word: status for status, words in STATUS_WORDS.items() for word in words}
LIGHT_BY_WORD = {
    "grön": "green", "gröna": "green", "green": "green", "gul": "yellow", "gult": "yellow",
    "yellow": "yellow", "röd": "red", "rött": "red", "red": "red",
}  # fmt: skip
GENDER_BY_WORD = {
    "": "T", "t": "T", "totalt": "T", "total": "T", "alla": "T", "båda könen": "T",
    "k": "K", "kvinnor": "K", "flickor": "K", "kvinnor och flickor": "K", "m": "M", "män": "M",
    "pojkar": "M", "män och pojkar": "M",
}  # fmt: skip
COUNTRY_WORDS = {"riket", "hela riket", "hela landet", "landet", "sverige", "country", "0000"}
MUNICIPALITY_WORDS = {"kommun", "kommunen", "municipality"}
COUNTY_WORDS = {"län", "länet", "region", "regionen", "county"}
# SCB's county codes: a municipality's Kolada id begins with its county's.
COUNTIES = {
    "01": "Stockholms", "03": "Uppsala", "04": "Södermanlands", "05": "Östergötlands",
    "06": "Jönköpings", "07": "Kronobergs", "08": "Kalmar", "09": "Gotlands", "10": "Blekinge",
    "12": "Skåne", "13": "Hallands", "14": "Västra Götalands", "17": "Värmlands",
    "18": "Örebro", "19": "Västmanlands", "20": "Dalarnas", "21": "Gävleborgs",
    "22": "Västernorrlands", "23": "Jämtlands", "24": "Västerbottens", "25": "Norrbottens",
}  # fmt: skip


class Missing:
    """A mark of a missing value in official statistics ('..', '–', empty)."""


MISSING = Missing()


def clean(value) -> str:
    """Text of a cell with its whitespace tidied; '' for an empty cell."""
    if value is None:
        return ""
    if type(value) is str:
        text = value.strip()
        if not MESSY_SPACE.search(text):
            return text  # the common case, without splitting and joining
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).replace("\u00a0", " ").split())


def key(text) -> str:
    """How two names are compared: case, spaces and surrounding punctuation ignored."""
    return clean(text).casefold().strip(" .,;:*")


def read_number(value):
    """A Decimal, MISSING, or raises ValueError; '1 234,5' and '12 %' are numbers."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = SPACES.sub("", str(value or "")).replace("\u2212", "-")
        if text in MISSING_MARKS:
            return MISSING
        text = text.removesuffix("%").removesuffix("kr").replace(",", ".")
        if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text):
            raise ValueError(value)
        number = Decimal(text)
    try:
        if abs(number) >= MAX_ABS_VALUE:
            raise ValueError(value)
        return number.quantize(Decimal("0.001"))
    except InvalidOperation as error:
        raise ValueError(value) from error


def read_status(text):
    """An activity status from the words people use, or None."""
    word = key(text)
    if word in STATUS_BY_WORD:
        return STATUS_BY_WORD[word]
    for label_status in Status:
        if word == str(label_status.label).casefold():
            return label_status.value
    return None


def county_name(kolada_id: str) -> str:
    prefix = COUNTIES.get((kolada_id or "")[:2], "")
    return f"{prefix} län" if prefix else ""


def scope_words(agreement):
    """{word: scope}: the municipality's and county's own names, Kolada ids, and plain words."""
    words = dict.fromkeys(COUNTRY_WORDS, Scope.COUNTRY)
    words.update(dict.fromkeys(MUNICIPALITY_WORDS, Scope.MUNICIPALITY))
    words.update(dict.fromkeys(COUNTY_WORDS, Scope.COUNTY))
    municipality = agreement.municipality
    name = key(municipality.name)
    short = re.sub(r"s? kommun$", "", name)
    for word in {name, short, short.removesuffix("s"), f"{short} kommun"}:
        words[word] = Scope.MUNICIPALITY
    code = municipality.kolada_id
    if code:
        words[code] = Scope.MUNICIPALITY
        words[f"00{code[:2]}"] = Scope.COUNTY
        county = key(county_name(code))
        if county:
            base = county.removesuffix(" län")
            for word in {county, base, base.removesuffix("s"), f"region {base.removesuffix('s')}"}:
                words[word] = Scope.COUNTY
    return words
