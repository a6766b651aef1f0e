"""Row-by-row validation of an import: what would be created, updated or left unchanged,
and every bad row with its reason."""

from __future__ import annotations

from collections.abc import Callable
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

    def as_data(self, limit: int = 500) -> dict[str, Any]:
        """The preview as stored on the upload (JSON) for its page; the counts cover every
        row, the lists the first `limit`."""
        return {
            "counts": {**self.counts, "errors": len(self.bad_rows), "rows": len(self.rows)},
            "ok": self.is_valid,
            "bad_rows": [{"row": r.row, "external_id": r.external_id, "errors": r.errors}
                         for r in self.bad_rows[:limit]],
            "rows": [{"row": r.row, "external_id": r.external_id, "title": r.title,
                      "action": r.action} for r in self.rows[:limit]],
        }


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

    # The rules that compare columns run even when another column is wrong, so the preview
    # lists every error of the row at once; a column already reported is not reported again.
    reported = {target for column, target in COLUMN_FIELDS.items()
                if values.get(column) and data.get(target) is None}
    if values.get("area_codes"):
        reported.add("areas")  # an unknown code was reported by the lookup
    try:
        offer_validate(data=data, areas=result.areas)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            if field not in reported:
                result.errors.extend(m for m in messages if m not in result.errors)
    result.data = data
    return result


# Spreadsheet column → offer field, for the columns parsed into a value of their own.
COLUMN_FIELDS = {"start_date": "start_date", "end_date": "end_date",
                 "deadline": "application_deadline", "price_nok": "price_nok",
                 "credits": "credits", "hours": "hours", "min_participants": "min_participants",
                 "max_participants": "max_participants"}


def _same(offer: Offer, row: RowResult, publish: bool) -> bool:
    for name in EDITABLE_FIELDS:
        if getattr(offer, name) != row.data.get(name, getattr(offer, name)):
            return False
    if {a.pk for a in offer.areas.all()} != {a.pk for a in row.areas}:
        return False
    return not (publish and offer.status != Offer.Status.PUBLISHED)


PROGRESS_EVERY = 100  # rows between two progress reports


def preview_rows(
    sheet: sheets.Sheet, *, provider: Organisation, publish: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ImportPreview:
    """The validation stage: every row checked and planned; nothing is written. `progress`
    (rows validated since the last call) lets a background import show how far it is."""
    lookups = _Lookups(provider)
    seen: dict[str, int] = {}
    rows: list[RowResult] = []
    for index, line in enumerate(sheet.rows, start=1):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY)
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
    if progress is not None:
        progress(len(sheet.rows) % PROGRESS_EVERY)
    return ImportPreview(rows=rows)
