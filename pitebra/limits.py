"""Limits on what a user may upload, each in one place, with a Swedish error and nothing saved.

The numbers come from settings (see README: Limits). Every `.xlsx` reader opens its file with
`open_workbook` and walks a sheet with `sheet_rows`; every JSON upload goes through `load_json`;
every list of import errors is shown through `cap_errors`.
"""

import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from .text import decode_text

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*\bref=\"([^\"]+)\"")
# The <dimension> element comes before the rows: the head of a sheet is enough to find it.
_SHEET_HEAD_BYTES = 64 * 1024


def _limit(name: str) -> int:
    return int(getattr(settings, name))


def _unreadable():
    return ValidationError(
        _("The file could not be read as an Excel workbook (.xlsx)."), code="unreadable"
    )


def _too_large(what: str):
    return ValidationError(
        _("The workbook is too large to import (%(what)s). Split it into smaller files.")
        % {"what": what},
        code="too_large",
    )


def check_workbook(data: bytes) -> None:
    """Refuse a workbook whose declared size exceeds the limits, before anything is loaded.

    A 5 KB file can declare A1:XFD1048576 or unpack to gigabytes; both are refused here from
    the zip directory and the head of each sheet, without inflating the whole file.
    """
    max_rows = _limit("PITEBRA_IMPORT_MAX_ROWS")
    max_columns = _limit("PITEBRA_XLSX_MAX_COLUMNS")
    max_bytes = _limit("PITEBRA_XLSX_MAX_UNCOMPRESSED_MB") * 1024 * 1024
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable() from error
    with archive:
        entries = archive.infolist()
        total = sum(entry.file_size for entry in entries)
        if total > max_bytes or len(entries) > 10_000:
            raise _too_large(
                _("%(mb)s MB unpacked, at most %(max)s MB")
                % {"mb": total // (1024 * 1024), "max": max_bytes // (1024 * 1024)}
            )
        for entry in entries:
            if not (
                entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")
            ):
                continue
            try:
                with archive.open(entry) as sheet:
                    head = sheet.read(_SHEET_HEAD_BYTES)
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as error:
                raise _unreadable() from error
            match = _DIMENSION.search(head)
            if not match:
                continue
            try:
                ref = match.group(1).decode("ascii")
                min_col, min_row, max_col, max_row = range_boundaries(ref)
            except (UnicodeDecodeError, ValueError, TypeError):
                continue  # no usable dimension: sheet_rows caps the rows while reading
            if (max_row or 0) > max_rows + 1:  # + the header row
                raise _too_large(
                    _("%(rows)s rows, at most %(max)s") % {"rows": max_row, "max": max_rows}
                )
            if (max_col or 0) > max_columns:
                raise _too_large(
                    _("%(columns)s columns, at most %(max)s")
                    % {"columns": max_col, "max": max_columns}
                )


def open_workbook(file):
    """An uploaded .xlsx (bytes or a file object), checked, then opened read-only.

    Raises ValidationError with a Swedish message for a broken or too large file.
    """
    data = file if isinstance(file, bytes | bytearray) else file.read()
    check_workbook(bytes(data))
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise _unreadable() from error


def sheet_rows(sheet) -> Iterator[tuple]:
    """The sheet's rows as values, at most the row and column limits.

    openpyxl's read-only mode pads every row up to the declared dimension; capping both here
    keeps a file without (or with a lying) dimension from holding a worker for minutes.
    """
    max_rows = _limit("PITEBRA_IMPORT_MAX_ROWS") + 1  # + the header row
    max_columns = _limit("PITEBRA_XLSX_MAX_COLUMNS")
    for number, row in enumerate(
        sheet.iter_rows(max_row=max_rows + 1, max_col=max_columns, values_only=True), start=1
    ):
        if number > max_rows:
            raise _too_large(_("more than %(max)s rows") % {"max": max_rows - 1})
        yield row


def _depth_ok(text: str, max_depth: int) -> bool:
    """Whether brackets nest at most max_depth deep, counted outside strings."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                return False
        elif char in "]}":
            depth -= 1
    return True


def load_json(data: bytes):
    """A JSON upload, parsed after checking its size and how deep it nests."""
    max_bytes = _limit("PITEBRA_JSON_MAX_KB") * 1024
    if len(data) > max_bytes:
        raise ValidationError(
            _("The file is larger than %(kb)s KB.") % {"kb": max_bytes // 1024}, code="too_large"
        )
    text = decode_text(data)
    max_depth = _limit("PITEBRA_JSON_MAX_DEPTH")
    if not _depth_ok(text, max_depth):
        raise ValidationError(
            _("The file nests deeper than %(depth)s levels; it is not data PiteBra can read.")
            % {"depth": max_depth},
            code="too_deep",
        )
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ValidationError(_("The file is not valid JSON."), code="invalid_json") from error


@dataclass(frozen=True)
class CappedErrors:
    """The first errors of a long list, and how many more there are."""

    shown: list
    hidden: int

    def __bool__(self):
        return bool(self.shown)

    def __iter__(self):
        return iter(self.shown)

    def __len__(self):
        return len(self.shown) + self.hidden


def cap_errors(errors) -> CappedErrors:
    """At most PITEBRA_MAX_ERRORS_SHOWN errors; the rest are counted, not listed."""
    errors = list(errors)
    limit = _limit("PITEBRA_MAX_ERRORS_SHOWN")
    return CappedErrors(shown=errors[:limit], hidden=max(len(errors) - limit, 0))
