"""CSV and Excel downloads of the dashboard's tables (every table, the same cells as shown)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from ..views._common import csv_safe
from .tables import Report, Table

WITHHELD = "–"


def _header(table: Table) -> list[str]:
    return [table.row_header or "", *[c.label for c in table.columns]]


def _values(table: Table):
    for row in table.rows:
        yield [row.label, *[WITHHELD if cell.withheld else cell.number for cell in row.cells]]


def table_csv(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([csv_safe(h) for h in _header(table)])
    for values in _values(table):
        writer.writerow([csv_safe(v) if isinstance(v, str) else ("" if v is None else v)
                         for v in values])
    return response


def report_xlsx(report: Report, filename: str) -> HttpResponse:
    """One sheet per table, its title and summary above the numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for table in report.tables:
        sheet = workbook.create_sheet(title=table.id[:31])
        sheet.append([table.title])
        sheet["A1"].font = bold
        sheet.append([table.summary])
        sheet.append([])
        sheet.append(_header(table))
        for cell in sheet[4]:
            cell.font = bold
        for values in _values(table):
            sheet.append([csv_safe(v) if isinstance(v, str) else v for v in values])
        sheet.column_dimensions["A"].width = 42
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
