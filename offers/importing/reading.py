"""The offers template and reading a file through the shared pipeline (`portal.spreadsheets`)."""

from __future__ import annotations

from portal import spreadsheets as sheets
from portal.spreadsheets import SpreadsheetError as ImportFileError

COLUMNS: list[str] = [
    "external_id", "title", "description", "area_codes", "level", "credits", "hours", "format",
    "municipality_code", "start_date", "end_date", "deadline", "price_nok", "min_participants",
    "max_participants", "language", "url", "on_demand",
]
NUMERIC = ("credits", "hours", "price_nok", "min_participants", "max_participants")
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

__all__ = ["COLUMNS", "EXAMPLE_ROW", "ImportFileError", "read_table", "template_csv",
           "template_xlsx"]


def read_table(data: bytes, filename: str) -> sheets.Sheet:
    """The file's rows as stripped strings, or ImportFileError for a file that cannot be used."""
    return sheets.read_spreadsheet(data, filename, columns=COLUMNS, numeric=NUMERIC)


def template_csv() -> bytes:
    return sheets.template_csv(COLUMNS, EXAMPLE_ROW)


def template_xlsx() -> bytes:
    return sheets.template_xlsx(COLUMNS, EXAMPLE_ROW, sheet="offers")
