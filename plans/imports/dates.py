"""The one reader of Swedish dates and periods, as people write them in a plan or a table.

`read_period(value, year)` turns "vecka 10", "v. 12–14", "Q2", "jan–mars", "hösten 2025",
"löpande" or a real Excel date into a start and an end within the plan year; what it cannot
read comes back with `ok=False` and the text kept, never as an error. Weeks are ISO 8601 weeks.
"""

import datetime
import functools
import re
from dataclasses import dataclass

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
# Seasons as a plan means them: spring and autumn are the school terms.
SEASONS = {
    "våren": ((1, 1), (6, 30)), "vår": ((1, 1), (6, 30)), "vt": ((1, 1), (6, 30)),
    "vårterminen": ((1, 1), (6, 30)), "sommaren": ((6, 1), (8, 31)), "sommar": ((6, 1), (8, 31)),
    "hösten": ((8, 1), (12, 31)), "höst": ((8, 1), (12, 31)), "ht": ((8, 1), (12, 31)),
    "höstterminen": ((8, 1), (12, 31)), "vintern": ((1, 1), (2, 29)), "vinter": ((1, 1), (2, 29)),
    "första halvåret": ((1, 1), (6, 30)), "h1": ((1, 1), (6, 30)),
    "andra halvåret": ((7, 1), (12, 31)), "h2": ((7, 1), (12, 31)),
}  # fmt: skip
WHOLE_YEAR = {
    "hela året", "helår", "helåret", "året runt", "under året", "löpande", "pågående",
    "kontinuerligt", "hela perioden", "återkommande", "hela år", "årligen", "varje år",
}  # fmt: skip
DASH = re.compile(r"\s*(?:[-–—]|\btill\b|\bto\b)\s*")
YEAR_AT_END = re.compile(r"^(?P<rest>.*?)[\s,]*(?:'|\b)(?P<year>(?:19|20)\d{2})$")
WEEK = re.compile(
    r"^(?:v|v\.|vecka|veckor|vv|vnr|w)\s*(?P<a>\d{1,2})(?:\s*[-–—]\s*(?:v\.?\s*)?(?P<b>\d{1,2}))?$"
)  # noqa: E501
QUARTER = re.compile(r"^(?:q|kv|kv\.|kvartal|k)\s*(?P<q>[1-4])$")
DAY_MONTH = re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:[/-](?P<y>\d{2}|\d{4}))?$")
DAY_NAME = re.compile(r"^(?:den\s+)?(?P<d>\d{1,2})\s*(?P<m>[a-zåäö]+)\.?$")
YEAR_MONTH = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$")


@dataclass(frozen=True)
class Period:
    """A start and an end (either may be None); `ok` is False when the text was not read."""

    start: datetime.date | None
    end: datetime.date | None
    text: str = ""
    ok: bool = True
    note: str = ""


def _month_end(year, month):
    nxt = datetime.date(year + month // 12, month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def _week(year, week):
    try:
        monday = datetime.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return monday, monday + datetime.timedelta(days=6)


def _single(text, year):
    """(start, end) of one part such as '7 mars', 'mars', 'Q2', or None."""
    if text in WHOLE_YEAR or text == str(year):
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if text in SEASONS:
        (m1, d1), (m2, d2) = SEASONS[text]
        d2 = min(d2, _month_end(year, m2).day)
        return datetime.date(year, m1, d1), datetime.date(year, m2, d2)
    if text in MONTHS:
        month = MONTHS[text]
        return datetime.date(year, month, 1), _month_end(year, month)
    if m := QUARTER.match(text):
        q = int(m["q"])
        return datetime.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    try:
        day = datetime.date.fromisoformat(text)
        return day, day
    except ValueError:
        pass
    if m := YEAR_MONTH.match(text):
        month = int(m["m"])
        if 1 <= month <= 12:
            return datetime.date(int(m["y"]), month, 1), _month_end(int(m["y"]), month)
    m = DAY_MONTH.match(text)
    month_day = (int(m["d"]), int(m["m"]), m["y"]) if m else None
    if (m := DAY_NAME.match(text)) and m["m"] in MONTHS:
        month_day = (int(m["d"]), MONTHS[m["m"]], None)
    if month_day:
        d, month, y = month_day
        y = year if y is None else int(y) + (2000 if len(y) == 2 else 0)
        try:
            day = datetime.date(y, month, d)
        except ValueError:
            return None
        return day, day
    return None


def _weeks(m, year):
    a, b = int(m["a"]), int(m["b"] or m["a"])
    first = _week(year, a)
    last = _week(year + 1 if b < a else year, b)
    if first is None or last is None:
        return None
    return first[0], last[1]


def _normalise(text):
    text = " ".join(str(text).replace("\u00a0", " ").split()).casefold()
    return text.strip(" .,;:").replace("–", "-").replace("—", "-")


def read_period(value, year: int) -> Period:
    """Read a cell into a Period within `year` (see the module docstring)."""
    if value is None or value == "":
        return Period(None, None)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return Period(value, value, text=value.isoformat())
    raw = str(value).strip()
    text = _normalise(raw)
    if not text:
        return Period(None, None)
    span = _read(text, year)
    if span is None:
        return Period(None, None, text=raw, ok=False)
    start, end = span
    note = ""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if WEEK.match(text) and (start < first or end > last):
        # An ISO week can straddle the new year: keep the part that lies in the plan year.
        start, end, note = max(start, first), min(end, last), "clipped"
    return Period(start, end, text=raw, note=note)


def _read(text, year):
    if m := WEEK.match(text):
        return _weeks(m, year)
    if m := YEAR_AT_END.match(text):
        if m["rest"] and not re.search(r"\d{4}-\d{1,2}$", m["rest"]):
            year = int(m["year"])
            text = m["rest"].strip(" ,-")
        elif not m["rest"]:
            year = int(m["year"])
    if (m := re.match(r"^(vt|ht)\s*'?(\d{2})$", text)) is not None:
        year, text = 2000 + int(m[2]), m[1]
    span = _single(text, year)
    if span:
        return span
    # A range: two parts either side of a dash or "till", the second may inherit the month.
    parts = _split_range(text)
    if parts is None:
        return None
    left, right = parts
    end = _single(right, year)
    if end is None:
        return None
    start = _single(left, year)
    if start is None and left.isdigit() and (m := DAY_NAME.match(right)):
        start = _single(f"{left} {m['m']}", year)  # "7-15 mars"
    if start is None:
        return None
    if end[1] < start[0]:
        end = _single(right, year + 1)  # "nov–feb" runs over the new year
        if end is None:
            return None
    return start[0], end[1]


def _split_range(text):
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}\s*-\s*\d{4}-\d{2}-\d{2}", text):
        return text[:10], text[-10:]
    pieces = DASH.split(text)
    if len(pieces) != 2 or not all(pieces):
        return None
    return pieces[0].strip(), pieces[1].strip()


FACT_PERIOD = re.compile(
    r"^(?P<y>(?:19|20)\d{2})"
    r"(?:\s*[-:/ ]?\s*(?P<sub>h[12]|q[1-4]|kv\s*[1-4]|k[1-4]|t[1-3]|m?\d{1,2}))?$"
)
FACT_PERIOD_FIRST = re.compile(r"^(?P<sub>h[12]|q[1-4]|kv\s*[1-4]|k[1-4])\s*(?P<y>(?:19|20)\d{2})$")


def read_fact_period(value) -> tuple[int, str] | None:
    """A statistics period as (year, part of year): 2024, 2024-H1, Q2 2024, 2024-03, mars 2024."""
    if isinstance(value, str):
        return _fact_period_text(value)
    if isinstance(value, int | float) and 1900 <= value <= 2100 and int(value) == value:
        return int(value), ""
    if isinstance(value, datetime.date):
        return value.year, f"{value.month:02d}"
    return _fact_period_text(str(value or ""))


@functools.lru_cache(maxsize=4096)
def _fact_period_text(value):
    text = _normalise(value)
    m = FACT_PERIOD.match(text) or FACT_PERIOD_FIRST.match(text)
    if m:
        sub = (m["sub"] or "").replace(" ", "").upper()
        sub = re.sub(r"^(KV|K)", "Q", sub)
        if sub.startswith("M") or sub.isdigit():
            month = int(sub.lstrip("M"))
            if not 1 <= month <= 12:
                return None
            sub = f"{month:02d}"
        return int(m["y"]), sub
    if (m := re.match(r"^([a-zåäö]+)\.?\s+((?:19|20)\d{2})$", text)) and m[1] in MONTHS:
        return int(m[2]), f"{MONTHS[m[1]]:02d}"
    return None
