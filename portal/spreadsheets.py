"""The one spreadsheet pipeline, shared by the needs and the offers import.

Three stages, as in pretix's model import: `read_spreadsheet` (size limit, encodings, delimiter,
.xlsx, the formula policy) → the app's row validation (with the shared parsers and reference
lookups below; each error names its spreadsheet row) → the app's apply service
(`need_import_apply`, `offer_import_apply`), all rows in one transaction or none.

Formula policy (spreadsheet injection): a cell whose first non-space character is `=`, `+`, `-`
or `@` makes its row an error, in every column and both file types, because a spreadsheet
program would run it when someone opens an export. A plain number such as `-5` in a numeric
column is a number, not a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from .choices import split_codes
from .models import CompetenceArea, Municipality, MunicipalityAlias

FORMULA_START = ("=", "+", "-", "@")
_PLAIN_NUMBER = re.compile(r"^[-+]?\d[\d \u00a0]*([.,]\d+)?$")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y")
TRUE_WORDS = {"ja", "true", "1", "yes", "y", "j", "x"}
FALSE_WORDS = {"nei", "false", "0", "no", "n", ""}


class SpreadsheetError(Exception):
    """The file as a whole cannot be used; the message says why, in words a user understands."""


@dataclass
class SheetRow:
    number: int  # as the user sees it in the spreadsheet: the header is row 1
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    columns: list[str]
    rows: list[SheetRow]


# --- reading -----------------------------------------------------------------------------


def size_check(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise SpreadsheetError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": f"{size / 1_048_576:.2f}", "limit": f"{limit / 1_048_576:.2f}"}
        )


SPREADSHEET_SUFFIXES = (".csv", ".txt", ".xlsx")


def upload_check(*, size: int, filename: str) -> None:
    """What the upload form can tell at once, before the file is stored and checked in the
    background: its size (before it is read into memory) and its type."""
    size_check(size)
    if not (filename or "").lower().endswith(SPREADSHEET_SUFFIXES):
        raise SpreadsheetError(_("Upload a .csv or .xlsx file."))


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; Excel on Windows saves CSV as Windows-1252. Bytes
    that are neither are refused rather than silently replaced."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise SpreadsheetError(
                _("The file's text encoding could not be read. Save it as UTF-8 CSV.")
            ) from exc


def delimiter_of(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(first, delimiters=";,").delimiter
    except csv.Error:
        return ";" if first.count(";") > first.count(",") else ","


def _csv_records(data: bytes) -> Iterator[list[str]]:
    text = decode(data)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_records(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    # data_only=False: a formula cell gives its formula ("=SUM(…)"), which the policy refuses.
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    finally:
        workbook.close()


def is_formula(value: str, *, numeric: bool = False) -> bool:
    stripped = value.strip()
    if not stripped or not stripped.startswith(FORMULA_START):
        return False
    return not (numeric and _PLAIN_NUMBER.match(stripped))


def _cell_name(index: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(index + 1)}{row}"


def read_spreadsheet(data: bytes, filename: str, *, columns: Sequence[str],
                     numeric: Iterable[str] = ()) -> Sheet:
    """Reads a .csv/.txt or .xlsx file into stripped strings keyed by the template's columns.

    Raises SpreadsheetError for what spoils the whole file (size, type, encoding, columns);
    a formula is an error of its row (`SheetRow.errors`), so the other rows are still checked.
    """
    size_check(len(data))
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    name = (filename or "").lower()
    if not name.endswith(SPREADSHEET_SUFFIXES):
        raise SpreadsheetError(_("Upload a .csv or .xlsx file."))
    try:
        records = list(_xlsx_records(data) if name.endswith(".xlsx") else _csv_records(data))
    except SpreadsheetError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file, not a 500
        raise SpreadsheetError(
            _("The file could not be read as a spreadsheet (%(error)s).")
            % {"error": str(exc)[:200]}
        ) from exc
    if not records:
        raise SpreadsheetError(_("The file is empty."))
    header = [c.strip().lower().lstrip("\ufeff") for c in records[0]]
    while header and not header[-1]:
        header.pop()  # trailing empty header cells: spacing, not columns
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    problems = []
    if missing:
        problems.append(
            _("Columns are missing: %(columns)s. Download the template to see all columns.")
            % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if problems:
        raise SpreadsheetError(" ".join(problems))
    numeric = set(numeric)
    rows = []
    for number, record in enumerate(records[1:], start=2):
        cells = [c.strip() for c in record]
        if not any(cells):
            continue  # an empty row is spacing, not data
        if cells[0].startswith(COMMENT):
            continue  # a comment line (the templates' example and instructions), not data
        row = SheetRow(number=number, values={
            column: cells[i] if i < len(cells) else "" for i, column in enumerate(header)})
        if any(cells[len(header):]):
            row.errors.append(_("The row has more cells than there are columns."))
        for index, column in enumerate(header):
            value = row.values[column]
            if is_formula(value, numeric=column in numeric):
                row.errors.append(
                    _("Cell %(cell)s (%(column)s) starts with “%(char)s”: formulas are refused. "
                      "Save the value only.")
                    % {"cell": _cell_name(index, number), "column": column,
                       "char": value.strip()[0]})
        rows.append(row)
    return Sheet(columns=header, rows=rows)


# Export side of the same policy: what a spreadsheet program would run gets a leading quote.
EXPORT_FORMULA_START = (*FORMULA_START, "\t", "\r")


def escape_cell(value: object) -> object:
    """A text cell for a CSV or Excel export, neutralised if it would start a formula."""
    if isinstance(value, str) and value.startswith(EXPORT_FORMULA_START):
        return "'" + value
    return value


# A row whose first cell starts with this is a comment: never imported. The templates' example
# row is one, so a provider who fills in the template below it never imports the example.
COMMENT = "#"


def _commented(example: dict[str, str], columns: Sequence[str]) -> dict[str, str]:
    first = columns[0]
    return {**{c: example.get(c, "") for c in columns},
            first: f"{COMMENT} {example.get(first, '')}".rstrip()}


def template_csv(columns: Sequence[str], example: dict[str, str]) -> bytes:
    """The header, then the example as a comment line (starting with #), never imported."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), delimiter=";")
    writer.writeheader()
    note = _("Example below: lines starting with # are not imported.")  # xgettext skips f-strings
    buffer.write(f"{COMMENT} {note}\r\n")
    writer.writerow(_commented(example, columns))
    # A BOM so Excel opens the UTF-8 file with æøå intact.
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx(columns: Sequence[str], example: dict[str, str], *, sheet: str) -> bytes:
    """The first sheet (the one imported) holds only the header; a second sheet shows the
    example and how to fill in the first."""
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(columns))
    guide = workbook.create_sheet(str(_("Example")))
    guide.append([str(_("Fill in the first sheet, one row each; this sheet is never imported. "
                        "Codes: see the portal's code list."))])
    guide.append([])
    guide.append(list(columns))
    guide.append([example.get(c, "") for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- parsers: each returns None for an empty cell and raises ValueError for a bad one -----


def parse_date(value: str) -> dt.date | None:
    value = re.sub(r"[ T]00:00(:00(\.0+)?)?$", "", value.strip())  # xlsx dates read as text
    if not value:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_decimal(value: str) -> Decimal | None:
    """Norwegian or English notation: `12 500,50`, `12500.5`, `4 500 kr`."""
    value = value.replace("\u00a0", "").replace(" ", "").replace(",", ".").strip()
    if value.lower().endswith("kr"):
        value = value[:-2]
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    return number


def parse_int(value: str) -> int | None:
    """A whole number, zero or more (`12`, `12,0` and `1 200` are fine)."""
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0:
        raise ValueError(value)
    return int(number)


def parse_bool(value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(value)


def parse_codes(value: str) -> list[str]:
    return [code.lower() for code in split_codes(value)]


def date_error(column: str, value: str) -> str:
    return (_("%(column)s “%(value)s” is not a date (use 2027-03-01 or 01.03.2027).")
            % {"column": column, "value": value})


def number_error(column: str, value: str) -> str:
    return (_("%(column)s “%(value)s” is not a valid number.")
            % {"column": column, "value": value})


class ReferenceLookups:
    """Municipalities (with their retired codes) and competence areas, loaded once per file."""

    def __init__(self) -> None:
        self.areas = {a.code: a for a in CompetenceArea.objects.filter(is_active=True)}
        self.municipalities = {m.code: m for m in Municipality.objects.all()}
        for alias in MunicipalityAlias.objects.select_related("municipality"):
            self.municipalities.setdefault(alias.code, alias.municipality)

    def municipality(self, code: str) -> Municipality | None:
        code = code.strip()
        return self.municipalities.get(code.zfill(4) if code.isdigit() else code)

    def area(self, code: str) -> CompetenceArea | None:
        return self.areas.get(code.strip().lower())

    def municipality_errors(self, code: str) -> list[str]:
        if code.strip() and self.municipality(code) is None:
            return [_("Unknown municipality code %(value)s.") % {"value": code.strip()}]
        return []

    def area_errors(self, codes: Iterable[str]) -> list[str]:
        unknown = [c for c in codes if self.area(c) is None]
        if unknown:
            return [_("Unknown competence area %(value)s.") % {"value": ", ".join(unknown)}]
        return []
