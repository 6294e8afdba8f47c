"""Reading the file a user has (.xlsx, .xls, .csv) into a header and rows, skipping the rest.

The header row is found among the first rows by how many of its cells name a PiteBra field;
title, note, blank and total rows are skipped and reported with their line numbers.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pitebra.limits import open_workbook, sheet_rows
from pitebra.spreadsheets import imported_text
from pitebra.text import decode_text

from .columns import FUZZY_THRESHOLD, header_score
from .values import clean

HEADER_SEARCH = 15
MAX_COLUMNS = 60
TOTAL = re.compile(r"^(summa|totalt?|antal|sum|totalsumma|sammanlagt)\b", re.IGNORECASE)
NOTE = re.compile(r"^(källa|anm|anmärkning|not|obs|reviderad|uppdaterad|\*)", re.IGNORECASE)


class TableError(Exception):
    """The file cannot be read as a table; the message says why in the user's words."""


@dataclass
class Table:
    headers: list[str]
    header_line: int
    rows: list[tuple[int, list]]
    skipped: list[tuple[int, str]] = field(default_factory=list)
    blank: int = 0


def _delimiter(text):
    lines = [line for line in text.splitlines()[:40] if line.strip()]
    best, best_score = ";", -1
    for delimiter in (";", "\t", ","):
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        wide = [c for c in counts if c > 1]
        score = len(wide) * (max(wide) if wide else 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(data):
    text = decode_text(data)
    # newline="": a line may end in \r\n, \n or a lone \r (old Mac Excel), as csv expects.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    max_rows = settings.PITEBRA_IMPORT_MAX_ROWS  # the same limit as an .xlsx (pitebra.limits)
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise TableError(
                _("Line %(line)s of the file could not be read as CSV.") % {"line": reader.line_num}
            ) from error
        number += 1
        if number > max_rows + 1:
            raise TableError(_("The file has more than %(max)s rows.") % {"max": max_rows})
        yield [imported_text(cell) for cell in row[:MAX_COLUMNS]]  # the export's apostrophe off


def _xlsx_rows(data):
    # The one safe opener (declared size checked before loading, rows and columns capped).
    try:
        workbook = open_workbook(data)
    except ValidationError as error:
        raise TableError(" ".join(error.messages)) from error
    try:
        yield from sheet_rows(workbook.worksheets[0])
    except ValidationError as error:
        raise TableError(" ".join(error.messages)) from error
    finally:
        workbook.close()


def _xls_rows(data):
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception as error:  # noqa: BLE001 - xlrd raises many kinds on a broken file
        raise TableError(
            _("The file could not be read as an Excel 97–2003 workbook (.xls).")
        ) from error
    for r in range(min(sheet.nrows, settings.PITEBRA_IMPORT_MAX_ROWS + 1)):
        row = []
        for c in range(min(sheet.ncols, MAX_COLUMNS)):
            cell = sheet.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            else:
                row.append(cell.value)
        yield row


def raw_rows(data: bytes):
    """The file's rows as lists of cell values, whatever its format (judged by content)."""
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _xls_rows(data)
    if b"\x00" in data[:4096]:
        raise TableError(_("The file is not an Excel workbook or a CSV text file."))
    return _csv_rows(data)


def _cells(row):
    values = list(row or [])
    while values and clean(values[-1]) == "":
        values.pop()
    return values


def _is_total(texts):
    if not any(TOTAL.match(t) for t in texts):
        return False
    words = [t for t in texts if not re.fullmatch(r"[\d\s.,%\u00a0]+", t)]
    return len(words) == 1 and bool(TOTAL.match(words[0]))


def read_table(data: bytes, fields, plain=None) -> Table:
    """Find the header among the first rows; keep the data rows with their line numbers.

    `plain` names the columns of a file without a header row in PiteBra's own older layout
    (e.g. indicator;period;scope;value), used when no header is found and the widths agree.
    """
    rows = list(raw_rows(data)) if plain else raw_rows(data)
    if plain:
        first = next((_cells(r) for r in rows if any(clean(c) for c in r or [])), [])
        if len(first) == len(plain) and _header_score(first, fields) < 2:
            table = Table(headers=list(plain), header_line=0, rows=[])
            _data_rows(table, enumerate(rows, start=1), len(plain))
            return table
    rows = iter(rows)
    before = []
    header, header_line = None, 0
    for line, row in enumerate(rows, start=1):
        cells = _cells(row)
        if _header_score(cells, fields) >= 2:
            header, header_line = [clean(c) for c in cells], line
            break
        before.append((line, cells))
        if line >= HEADER_SEARCH:
            break
    if header is None:
        names = ", ".join(str(f.synonyms[0]).capitalize() for f in fields)
        raise TableError(
            _(
                "No header row was found in the first %(n)s rows. PiteBra looks for a row "
                "with column names such as: %(names)s."
            )
            % {"n": HEADER_SEARCH, "names": names}
        )
    table = Table(headers=header, header_line=header_line, rows=[])
    for line, cells in before:
        table.skipped.append((line, "blank" if not any(clean(c) for c in cells) else "title"))
    _data_rows(table, enumerate(rows, start=header_line + 1), len(header))
    return table


def _header_score(cells, fields):
    return sum(header_score(clean(c), fields)[1] >= FUZZY_THRESHOLD for c in cells)


def _data_rows(table, numbered, width):
    for line, row in numbered:
        cells = _cells(row)[:width]
        texts = [t for t in map(clean, cells) if t]
        if not texts:
            table.blank += 1
        elif _is_total(texts):
            table.skipped.append((line, "total"))
        elif len(texts) == 1 and NOTE.match(texts[0]):
            table.skipped.append((line, "note"))
        else:
            table.rows.append((line, cells + [None] * (width - len(cells))))


SKIP_REASONS = {
    "blank": gettext_lazy("an empty row above the column names"),
    "title": gettext_lazy("a title or note above the column names"),
    "total": gettext_lazy("a sum or count row"),
    "note": gettext_lazy("a note row"),
}


def skipped_messages(table):
    return [
        _("Row %(line)s: %(reason)s, skipped.") % {"line": line, "reason": SKIP_REASONS[reason]}
        for line, reason in table.skipped
    ]


def with_repeats(rows, ident):
    """Each row with the line of the first earlier row that names the same thing (the same
    `ident(row)`), or None: a file may name a thing once."""
    first = {}
    for row in rows:
        name = ident(row)
        yield row, first.get(name)
        first.setdefault(name, row.line)
