"""Spreadsheet import of offers (CSV and .xlsx): read → validate (preview) → apply atomically,
through the shared pipeline in `portal.spreadsheets` (the needs import uses the same one).

The web pages and `manage.py import_offers` use the same three steps.
"""

from .apply import (
    ImportResult,
    offer_import_apply,
    offer_import_confirm,
    offer_import_preview,
    offer_import_upload,
    offers_import,
)
from .reading import COLUMNS, EXAMPLE_ROW, ImportFileError, read_table, template_csv, template_xlsx
from .validation import ImportPreview, RowResult, preview_rows

__all__ = [
    "COLUMNS", "EXAMPLE_ROW", "ImportFileError", "ImportPreview", "ImportResult", "RowResult",
    "offer_import_apply", "offer_import_confirm", "offer_import_preview", "offer_import_upload",
    "offers_import", "preview_rows", "read_table",
    "template_csv", "template_xlsx",
]
