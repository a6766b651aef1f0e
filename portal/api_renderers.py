"""CSV as an alternative representation of the API's lists (`Accept: text/csv`).

The rows are the JSON results flattened: lists joined with `;` (as in the imports), nested
objects as JSON. Cells that a spreadsheet would run as a formula get a leading apostrophe.
An error answer becomes `field,message` rows.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rest_framework.renderers import BaseRenderer
from rest_framework.settings import api_settings

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        text = ";".join(_cell(v) if not isinstance(v, dict) else json.dumps(v) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        context = renderer_context or {}
        response = context.get("response")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if response is not None and response.status_code >= 400:
            writer.writerow(["field", "message"])
            items = data.items() if isinstance(data, dict) else [("detail", data)]
            for field, messages in items:
                for message in messages if isinstance(messages, list) else [messages]:
                    writer.writerow([field, _cell(message)])
            return buffer.getvalue().encode()
        rows = data.get("results", [data]) if isinstance(data, dict) else (data or [])
        columns = list(rows[0]) if rows and isinstance(rows[0], dict) else self._columns(
            context.get("view"))
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return buffer.getvalue().encode()

    @staticmethod
    def _columns(view) -> list[str]:
        """The header of an empty list: the serializer's field names."""
        try:
            return list(view.get_serializer().fields)
        except Exception:  # noqa: BLE001 - views without a serializer have no known columns
            return []


# Lists answer JSON by default, CSV for `Accept: text/csv`, the browsable page for browsers.
LIST_RENDERERS = [*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer]
