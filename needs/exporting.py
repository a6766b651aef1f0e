"""CSV and Excel export of the adviser's need list, safe against formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from portal.spreadsheets import escape_cell

from .models import Need


def export_header() -> list[str]:
    return [_("ID"), _("Business"), _("Organisation number"), _("Municipality"),
            _("Competence area code"), _("Competence area"), _("Title"), _("Description"),
            _("Participants"), _("Level"), _("Formats"), _("Earliest start"), _("Latest start"),
            _("Max travel (km)"), _("Online only"), _("Budget per participant"), _("Priority"),
            _("Status"), _("Survey round"), _("External reference")]


def export_rows(needs: Iterable[Need]) -> Iterable[list[Any]]:
    for need in needs:
        org = need.organisation
        yield [escape_cell(v) for v in (
            need.pk, org.name, org.orgnr, org.municipality.code if org.municipality else "",
            need.area.code, need.area.label, need.title, need.description, need.participants,
            need.level, ";".join(need.formats),
            need.earliest_start.isoformat() if need.earliest_start else "",
            need.latest_start.isoformat() if need.latest_start else "",
            need.max_travel_km if need.max_travel_km is not None else "",
            _("yes") if need.online_only else "",
            float(need.budget_per_participant) if need.budget_per_participant is not None else "",
            need.priority, need.status, need.round.name if need.round else "",
            need.external_ref,
        )]


def export_csv(needs: Iterable[Need]) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a BOM: what Excel with Norwegian settings opens correctly.
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(export_header())
    writer.writerows(export_rows(needs))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(needs: Iterable[Need]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Needs")[:31])
    sheet.append(export_header())
    for row in export_rows(needs):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
