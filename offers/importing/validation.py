"""Row-by-row validation of an import: what would be created, updated or left unchanged,
and every bad row with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from portal import spreadsheets as sheets
from portal.choices import Format, Level
from portal.models import CompetenceArea, Organisation

from ..models import Offer
from ..services import EDITABLE_FIELDS, offer_validate


@dataclass
class RowResult:
    row: int  # spreadsheet row number, header = row 1
    external_id: str
    title: str
    data: dict[str, Any] = field(default_factory=dict)
    areas: list[CompetenceArea] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    action: str = ""  # create | update | unchanged (valid rows only)
    existing: Offer | None = None


@dataclass
class ImportPreview:
    rows: list[RowResult]

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.bad_rows

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if not r.errors and r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {a: self.count(a) for a in ("create", "update", "unchanged")}


class _Lookups(sheets.ReferenceLookups):
    """Reference data and the provider's offers, loaded once per file, not once per row."""

    def __init__(self, provider: Organisation) -> None:
        super().__init__()
        self.existing = {
            o.external_id: o
            for o in Offer.objects.filter(provider=provider).exclude(external_id="")
            .prefetch_related("areas")
        }


def _row(values: dict[str, str], row_number: int, lookups: _Lookups) -> RowResult:
    ext = values["external_id"]
    result = RowResult(row=row_number, external_id=ext, title=values["title"])
    err = result.errors.append
    data: dict[str, Any] = {"external_id": ext, "title": values["title"][:200],
                            "description": values["description"]}
    if not ext:
        err(_("external_id is empty (it identifies the offer on the next import)."))
    if not values["title"]:
        err(_("title is empty."))

    codes = sheets.parse_codes(values["area_codes"])
    result.errors.extend(lookups.area_errors(codes))
    if not codes:
        err(_("area_codes is empty; give at least one competence area."))
    result.areas = [area for area in map(lookups.area, codes) if area is not None]

    for column, choices in (("level", Level.values), ("format", Format.values)):
        value = values[column].lower()
        if value not in choices:
            err(_("Unknown %(column)s “%(value)s” (use one of %(choices)s).")
                % {"column": column, "value": values[column], "choices": ", ".join(choices)})
        data[column] = value

    language = values["language"].lower() or Offer.Language.NB
    if language in {"no", "nn", "norsk"}:
        language = Offer.Language.NB
    if language not in Offer.Language.values:
        err(_("Unknown language “%(value)s” (use nb, en or other).")
            % {"value": values["language"]})
    data["language"] = language

    result.errors.extend(lookups.municipality_errors(values["municipality_code"]))
    data["municipality"] = lookups.municipality(values["municipality_code"])

    for column, target in (("start_date", "start_date"), ("end_date", "end_date"),
                           ("deadline", "application_deadline")):
        try:
            data[target] = sheets.parse_date(values[column])
        except ValueError:
            err(sheets.date_error(column, values[column]))
            data[target] = None

    for column, parse in (("price_nok", sheets.parse_decimal),
                          ("credits", sheets.parse_decimal),
                          ("hours", sheets.parse_int),
                          ("min_participants", sheets.parse_int),
                          ("max_participants", sheets.parse_int)):
        try:
            data[column] = parse(values[column])
        except ValueError:
            err(sheets.number_error(column, values[column]))
            data[column] = None
    if data["price_nok"] is not None and data["price_nok"] < 0:
        err(_("price_nok is negative."))
        data["price_nok"] = None  # reported once, not again by the shared rules below

    try:
        data["on_demand"] = sheets.parse_bool(values["on_demand"])
    except ValueError:
        err(_("on_demand “%(value)s” must be ja or nei.") % {"value": values["on_demand"]})
        data["on_demand"] = False

    data["url"] = values["url"]
    if data["url"]:
        try:
            URLValidator(schemes=["http", "https"])(data["url"])
        except ValidationError:
            err(_("url “%(value)s” is not a web address.") % {"value": data["url"]})

    if not result.errors:
        try:
            offer_validate(data=data, areas=result.areas)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                result.errors.extend(messages)
    result.data = data
    return result


def _same(offer: Offer, row: RowResult, publish: bool) -> bool:
    for name in EDITABLE_FIELDS:
        if getattr(offer, name) != row.data.get(name, getattr(offer, name)):
            return False
    if {a.pk for a in offer.areas.all()} != {a.pk for a in row.areas}:
        return False
    return not (publish and offer.status != Offer.Status.PUBLISHED)


def preview_rows(
    sheet: sheets.Sheet, *, provider: Organisation, publish: bool = True
) -> ImportPreview:
    """The validation stage: every row checked and planned; nothing is written."""
    lookups = _Lookups(provider)
    seen: dict[str, int] = {}
    rows: list[RowResult] = []
    for line in sheet.rows:
        if line.errors:  # a formula row is not read further: its values are not data
            rows.append(RowResult(row=line.number, external_id=line.values["external_id"],
                                  title=line.values["title"], errors=list(line.errors)))
            continue
        result = _row(line.values, line.number, lookups)
        ext = result.external_id
        if ext:
            if ext in seen:
                result.errors.append(
                    _("Duplicate external_id %(id)s (also on row %(row)s).")
                    % {"id": ext, "row": seen[ext]}
                )
            else:
                seen[ext] = result.row
        if not result.errors:
            result.existing = lookups.existing.get(ext)
            if result.existing is None:
                result.action = "create"
            elif _same(result.existing, result, publish):
                result.action = "unchanged"
            else:
                result.action = "update"
        rows.append(result)
    return ImportPreview(rows=rows)
