"""Spreadsheet import of offers (CSV and .xlsx): read → validate (preview) → apply atomically.

The web pages and `manage.py import_offers` use the same three steps.
"""

from .apply import ImportResult, offers_import
from .reading import COLUMNS, EXAMPLE_ROW, ImportFileError, read_table, template_csv, template_xlsx
from .validation import ImportPreview, RowResult, preview_rows

__all__ = [
    "COLUMNS", "EXAMPLE_ROW", "ImportFileError", "ImportPreview", "ImportResult", "RowResult",
    "offers_import", "preview_rows", "read_table", "template_csv", "template_xlsx",
]
