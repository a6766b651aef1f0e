"""Reading an uploaded spreadsheet into a DataFrame of strings, with clear file-level errors."""

from __future__ import annotations

import csv
import io

import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _

COLUMNS: list[str] = [
    "external_id", "title", "description", "area_codes", "level", "credits", "hours", "format",
    "municipality_code", "start_date", "end_date", "deadline", "price_nok", "min_participants",
    "max_participants", "language", "url", "on_demand",
]
EXAMPLE_ROW: dict[str, str] = {
    "external_id": "SVEIS-2027-1",
    "title": "Sveisekurs – MIG/MAG grunnkurs",
    "description": "Praktisk sveisekurs for industrien, avsluttes med sveisesertifikat.",
    "area_codes": "industri.sveising;hms",
    "level": "course",
    "credits": "",
    "hours": "40",
    "format": "local",
    "municipality_code": "4026",
    "start_date": "2027-03-01",
    "end_date": "2027-03-05",
    "deadline": "2027-02-01",
    "price_nok": "12500",
    "min_participants": "6",
    "max_participants": "12",
    "language": "nb",
    "url": "https://example.no/kurs/sveising",
    "on_demand": "ja",
}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, in words a user understands."""


def _decode(data: bytes) -> str:
    # UTF-8 (with or without BOM) first; Excel on Windows saves CSV as Windows-1252.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def _delimiter(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(first, delimiters=",;").delimiter
    except csv.Error:
        return ";" if first.count(";") > first.count(",") else ","


def _xlsx_formula_cells(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    found = []
    for row in wb.worksheets[0].iter_rows():
        for cell in row:
            value = cell.value
            if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
                found.append(cell.coordinate)
    wb.close()
    return found


def check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise ImportFileError(
            _("The file is too large (%(size)s MB). The limit is %(limit)s MB.")
            % {"size": f"{size / 1_048_576:.2f}", "limit": f"{limit / 1_048_576:.2f}"}
        )


def read_table(data: bytes, filename: str) -> pd.DataFrame:
    """A DataFrame of stripped strings with the template's columns, or ImportFileError."""
    check_size(len(data))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    name = (filename or "").lower()
    try:
        if name.endswith(".xlsx"):
            formulas = _xlsx_formula_cells(data)
            if formulas:
                raise ImportFileError(
                    _("The file contains formulas (cells %(cells)s). Save values only, without "
                      "formulas, and upload again.") % {"cells": ", ".join(formulas[:10])}
                )
            df = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False,
                               engine="openpyxl")
        elif name.endswith((".csv", ".txt")):
            text = _decode(data)
            df = pd.read_csv(io.StringIO(text), sep=_delimiter(text), dtype=str,
                             keep_default_na=False, skip_blank_lines=False,
                             index_col=False)
        else:
            raise ImportFileError(_("Upload a .csv or .xlsx file."))
    except ImportFileError:
        raise
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file's text encoding could not be read. Save it as UTF-8 CSV.")
        ) from exc
    except Exception as exc:  # noqa: BLE001 - any parser failure is a bad file, not a 500
        raise ImportFileError(
            _("The file could not be read as a spreadsheet (%(error)s).")
            % {"error": str(exc)[:200]}
        ) from exc
    df.columns = [str(c).strip().lower().lstrip("\ufeff") for c in df.columns]
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ImportFileError(
            _("Columns are missing: %(columns)s. Download the template to see all columns.")
            % {"columns": ", ".join(missing)}
        )
    df = df[COLUMNS].astype(str).apply(lambda col: col.str.strip())
    # Rows where every cell is empty are spacing, not data.
    df = df[(df != "").any(axis=1)]
    formulas = [
        f"{col} ({_('row')} {int(idx) + 2})"
        for col in COLUMNS for idx, value in df[col].items() if value.startswith("=")
    ]
    if formulas:
        raise ImportFileError(
            _("The file contains formulas (%(cells)s). Save values only, without formulas, "
              "and upload again.") % {"cells": ", ".join(formulas[:10])}
        )
    return df


def template_csv() -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, delimiter=";")
    writer.writeheader()
    writer.writerow(EXAMPLE_ROW)
    # A BOM so Excel opens the UTF-8 file with æøå intact.
    return buf.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    buf = io.BytesIO()
    pd.DataFrame([EXAMPLE_ROW], columns=COLUMNS).to_excel(buf, index=False, sheet_name="offers")
    return buf.getvalue()
