"""Row-by-row validation of an import: what would be created, updated or left unchanged,
and every bad row with its reason."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from portal.choices import Format, Level, split_codes
from portal.models import CompetenceArea, Municipality, MunicipalityAlias, Organisation

from ..models import Offer
from ..services import EDITABLE_FIELDS, offer_validate

TRUE_WORDS = {"ja", "true", "1", "yes", "y", "j", "x"}
FALSE_WORDS = {"nei", "false", "0", "no", "n", ""}


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


class _Lookups:
    """Reference data loaded once per file, not once per row."""

    def __init__(self, provider: Organisation) -> None:
        self.areas = {a.code: a for a in CompetenceArea.objects.filter(is_active=True)}
        self.municipalities = {m.code: m for m in Municipality.objects.all()}
        for alias in MunicipalityAlias.objects.select_related("municipality"):
            self.municipalities.setdefault(alias.code, alias.municipality)
        self.existing = {
            o.external_id: o
            for o in Offer.objects.filter(provider=provider).exclude(external_id="")
            .prefetch_related("areas")
        }


def parse_date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    value = re.sub(r"[ T]00:00:00(\.0+)?$", "", value)  # xlsx dates read as text
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_decimal(value: str) -> Decimal | None:
    value = value.replace("\u00a0", "").replace(" ", "").replace(",", ".").strip()
    if not value:
        return None
    if value.lower().endswith("kr"):
        value = value[:-2]
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(value) from exc
    if not number.is_finite():
        raise ValueError(value)
    return number


def parse_int(value: str) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0:
        raise ValueError(value)
    return int(number)


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

    codes = split_codes(values["area_codes"])
    unknown = [c for c in codes if c not in lookups.areas]
    if unknown:
        err(_("Unknown area code: %(codes)s.") % {"codes": ", ".join(unknown)})
    elif not codes:
        err(_("area_codes is empty; give at least one competence area."))
    result.areas = [lookups.areas[c] for c in codes if c in lookups.areas]

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

    muni_code = values["municipality_code"]
    data["municipality"] = None
    if muni_code:
        muni_code = muni_code.zfill(4) if muni_code.isdigit() else muni_code
        if muni_code not in lookups.municipalities:
            err(_("Unknown municipality code %(code)s.") % {"code": values["municipality_code"]})
        else:
            data["municipality"] = lookups.municipalities[muni_code]

    for column, target in (("start_date", "start_date"), ("end_date", "end_date"),
                           ("deadline", "application_deadline")):
        try:
            data[target] = parse_date(values[column])
        except ValueError:
            err(_("%(column)s “%(value)s” is not a date (use 2027-03-01 or 01.03.2027).")
                % {"column": column, "value": values[column]})
            data[target] = None

    for column, target, parse in (("price_nok", "price_nok", parse_decimal),
                                  ("credits", "credits", parse_decimal),
                                  ("hours", "hours", parse_int),
                                  ("min_participants", "min_participants", parse_int),
                                  ("max_participants", "max_participants", parse_int)):
        try:
            data[target] = parse(values[column])
        except ValueError:
            err(_("%(column)s “%(value)s” is not a valid number.")
                % {"column": column, "value": values[column]})
            data[target] = None
    if data["price_nok"] is not None and data["price_nok"] < 0:
        err(_("price_nok is negative."))
        data["price_nok"] = None  # reported once, not again by the shared rules below

    flag = values["on_demand"].lower()
    if flag in TRUE_WORDS:
        data["on_demand"] = True
    elif flag in FALSE_WORDS:
        data["on_demand"] = False
    else:
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
    df: pd.DataFrame, *, provider: Organisation, publish: bool = True
) -> ImportPreview:
    lookups = _Lookups(provider)
    seen: dict[str, int] = {}
    rows: list[RowResult] = []
    for idx, record in zip(df.index, df.to_dict("records"), strict=True):
        result = _row({k: str(v) for k, v in record.items()}, int(idx) + 2, lookups)
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
