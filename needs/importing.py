"""Import of earlier survey answers from CSV or Excel, shared by the adviser's page and
`manage.py import_needs`.

`parse_needs_file` reads and checks every row without writing (the preview); `import_needs`
runs the same parse and writes everything in one transaction, or nothing when a row is bad.
Rows key on (orgnr, external_ref), so re-running a file creates no duplicates.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.no import orgnr as orgnr_check

from portal.choices import Format, Level, split_codes
from portal.models import CompetenceArea, Municipality, MunicipalityAlias, Organisation

from . import signals
from .models import Need, SurveyRound
from .rules import need_field_errors

COLUMNS: tuple[str, ...] = (
    "external_ref", "orgnr", "business_name", "municipality_code", "industry_code", "employees",
    "area_code", "description", "participants", "level", "formats", "earliest_start",
    "latest_start", "max_travel_km", "budget_nok",
)
OPTIONAL = {"level", "max_travel_km", "budget_nok", "industry_code", "employees", "description",
            "earliest_start", "latest_start"}
# Fields an import sets on a need; comparing them tells "updated" from "unchanged".
COMPARED = ("area_id", "description", "participants", "level", "formats", "earliest_start",
            "latest_start", "max_travel_km", "budget_per_participant", "round_id")


@dataclass
class RowResult:
    row: int  # as the user sees it in the spreadsheet: the header is row 1
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    action: str = ""  # create / update / unchanged
    new_business: bool = False


@dataclass
class ParseResult:
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.bad_rows

    def counts(self) -> dict[str, int]:
        good = [r for r in self.rows if not r.errors]
        return {
            "rows": len(self.rows),
            "created": sum(r.action == "create" for r in good),
            "updated": sum(r.action == "update" for r in good),
            "unchanged": sum(r.action == "unchanged" for r in good),
            "new_businesses": len({r.values["orgnr"] for r in good if r.new_business}),
            "errors": len(self.bad_rows),
        }

    def summary(self) -> dict[str, Any]:
        return {**self.counts(), "file_errors": self.file_errors,
                "bad_rows": [{"row": r.row, "errors": r.errors} for r in self.bad_rows[:500]]}


# --- reading the file --------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; Excel on Windows saves CSV as Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> pd.DataFrame:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=";,").delimiter
    except csv.Error:
        delimiter = ";" if first.count(";") > first.count(",") else ","
    return pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                       skip_blank_lines=True)


def _xlsx_formula_rows(data: bytes) -> set[int]:
    """Spreadsheet rows holding a formula: pandas only sees cached values, openpyxl sees the
    formula itself."""
    from openpyxl import load_workbook

    rows: set[int] = set()
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    sheet = workbook.worksheets[0]
    for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if any(isinstance(v, str) and v.startswith("=") for v in row):
            rows.add(index)
    workbook.close()
    return rows


def read_table(data: bytes, filename: str) -> tuple[pd.DataFrame, set[int]]:
    if filename.lower().endswith(".xlsx"):
        frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False,
                              engine="openpyxl")
        return frame, _xlsx_formula_rows(data)
    return _read_csv(data), set()


# --- checking values ---------------------------------------------------------------------


class _Lookups:
    """Reference data loaded once per file, not once per row."""

    def __init__(self) -> None:
        self.areas = {a.code: a.pk for a in CompetenceArea.objects.filter(is_active=True)}
        self.municipalities = dict(Municipality.objects.values_list("code", "pk"))
        self.aliases = dict(MunicipalityAlias.objects.values_list("code", "municipality_id"))


def _date(value: str) -> datetime.date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _int(value: str) -> int:
    value = value.strip().replace(" ", "").replace("\xa0", "")
    if value.endswith(".0"):
        value = value[:-2]
    return int(value)


def _check_row(raw: dict[str, str], row: RowResult, lookups: _Lookups) -> None:
    errors = row.errors
    v: dict[str, Any] = {}
    if any(str(cell).startswith("=") for cell in raw.values()):
        errors.append(_("A cell holds a formula (starts with “=”); formulas are refused."))
        return
    for column in COLUMNS:
        if column not in OPTIONAL and not raw.get(column, "").strip():
            errors.append(_("%(column)s is empty.") % {"column": column})
    ref = raw.get("external_ref", "").strip()
    v["external_ref"] = ref[:100]
    number = raw.get("orgnr", "").strip().replace(" ", "")
    if number and not orgnr_check.is_valid(number):
        errors.append(_("orgnr %(value)s is not a valid organisation number.") % {"value": number})
    v["orgnr"] = number
    v["business_name"] = raw.get("business_name", "").strip()[:200]
    code = raw.get("municipality_code", "").strip().zfill(4) if raw.get(
        "municipality_code", "").strip() else ""
    if code:
        municipality_id = lookups.municipalities.get(code) or lookups.aliases.get(code)
        if municipality_id is None:
            errors.append(_("Unknown municipality code %(value)s.") % {"value": code})
        v["municipality_id"] = municipality_id
    industry = raw.get("industry_code", "").strip()
    if industry and not (len(industry) >= 2 and industry[:2].isdigit()
                         and all(p.isdigit() for p in industry.split("."))):
        errors.append(_("industry_code %(value)s is not an SN2007 code.") % {"value": industry})
    v["industry_code"] = industry[:10]
    v["employees"] = None
    if raw.get("employees", "").strip():
        try:
            v["employees"] = _int(raw["employees"])
            if v["employees"] < 0:
                raise ValueError
        except ValueError:
            errors.append(_("employees must be a whole number."))
    area_code = raw.get("area_code", "").strip().lower()
    if area_code:
        v["area_id"] = lookups.areas.get(area_code)
        if v["area_id"] is None:
            errors.append(_("Unknown competence area %(value)s.") % {"value": area_code})
    v["description"] = raw.get("description", "").strip()
    v["participants"] = None
    if raw.get("participants", "").strip():
        try:
            v["participants"] = _int(raw["participants"])
        except ValueError:
            errors.append(_("participants must be a whole number."))
    level = raw.get("level", "").strip()
    if level and level not in Level.values:
        errors.append(_("Unknown level %(value)s.") % {"value": level})
    v["level"] = level
    formats = split_codes(raw.get("formats", ""))
    unknown = [f for f in formats if f not in Format.values]
    if unknown:
        errors.append(_("Unknown format %(value)s.") % {"value": ", ".join(unknown)})
    v["formats"] = formats
    for column in ("earliest_start", "latest_start"):
        v[column] = None
        if raw.get(column, "").strip():
            try:
                v[column] = _date(raw[column])
            except ValueError:
                errors.append(_("%(column)s %(value)s is not a date (use YYYY-MM-DD).")
                              % {"column": column, "value": raw[column]})
    v["max_travel_km"] = None
    if raw.get("max_travel_km", "").strip():
        try:
            v["max_travel_km"] = _int(raw["max_travel_km"])
        except ValueError:
            errors.append(_("max_travel_km must be a whole number."))
    v["budget_per_participant"] = None
    if raw.get("budget_nok", "").strip():
        try:
            v["budget_per_participant"] = Decimal(
                raw["budget_nok"].strip().replace(" ", "").replace(",", "."))
        except InvalidOperation:
            errors.append(_("budget_nok must be a number."))
    if v["participants"] is not None:
        rule_errors = need_field_errors(
            participants=v["participants"], employees=None,
            earliest_start=v["earliest_start"], latest_start=v["latest_start"],
            max_travel_km=v["max_travel_km"], budget=v["budget_per_participant"],
            formats=None if unknown else formats,
        )
        errors.extend(rule_errors.values())
    row.values = v


def parse_needs_file(data: bytes, filename: str, *, round: SurveyRound | None = None
                     ) -> ParseResult:
    """Reads and checks every row; nothing is written. Also works out what an import would do."""
    result = ParseResult()
    if len(data) > settings.IMPORT_MAX_BYTES:
        result.file_errors.append(_("The file is larger than the limit of %(limit)s MB.")
                                  % {"limit": round_mb(settings.IMPORT_MAX_BYTES)})
        return result
    try:
        frame, formula_rows = read_table(data, filename)
    except Exception as exc:  # a broken file is the user's input, never a 500
        result.file_errors.append(_("The file could not be read: %(error)s") % {"error": exc})
        return result
    frame.columns = [str(c).strip().lower().lstrip("\ufeff") for c in frame.columns]
    missing = [c for c in COLUMNS if c not in frame.columns]
    unknown = [c for c in frame.columns if c not in COLUMNS]
    if missing:
        result.file_errors.append(_("Missing columns: %(columns)s.")
                                  % {"columns": ", ".join(missing)})
    if unknown:
        result.file_errors.append(_("Unknown columns: %(columns)s.")
                                  % {"columns": ", ".join(unknown)})
    if result.file_errors:
        return result
    lookups = _Lookups()
    seen: dict[tuple[str, str], int] = {}
    for index, raw in enumerate(frame.to_dict("records")):
        raw = {k: "" if v is None else str(v) for k, v in raw.items()}
        if not any(v.strip() for v in raw.values()):
            continue
        row = RowResult(row=index + 2)
        if row.row in formula_rows:
            row.errors.append(_("A cell holds a formula; formulas are refused."))
        else:
            _check_row(raw, row, lookups)
        key = (row.values.get("orgnr", ""), row.values.get("external_ref", ""))
        if all(key) and not row.errors:
            if key in seen:
                row.errors.append(_("Duplicate of row %(row)s (same orgnr and external_ref).")
                                  % {"row": seen[key]})
            else:
                seen[key] = row.row
        result.rows.append(row)
    if not result.rows:
        result.file_errors.append(_("The file has no rows."))
    _plan(result, round)
    return result


def round_mb(size: int) -> str:
    return f"{size / 1_048_576:.1f}".rstrip("0").rstrip(".")


def _plan(result: ParseResult, survey_round: SurveyRound | None) -> None:
    """Marks each good row create / update / unchanged against the database."""
    good = [r for r in result.rows if not r.errors]
    orgnrs = {r.values["orgnr"] for r in good}
    orgs = {o.orgnr: o for o in Organisation.objects.filter(orgnr__in=orgnrs)}
    existing = _existing_needs(orgs.values(), {r.values["external_ref"] for r in good})
    round_id = survey_round.pk if survey_round else None
    for row in good:
        org = orgs.get(row.values["orgnr"])
        if org is not None and org.kind != Organisation.Kind.BUSINESS:
            row.errors.append(_("orgnr %(value)s belongs to an organisation that is not a "
                                "business.") % {"value": org.orgnr})
            continue
        employees = org.employees if org is not None and org.employees is not None else (
            row.values["employees"])
        if employees is not None and row.values["participants"] > employees:
            row.errors.append(_("participants is more than the business's %(n)s employees.")
                              % {"n": employees})
            continue
        if org is None:
            row.new_business = True
            row.action = "create"
            continue
        need = existing.get((org.pk, row.values["external_ref"]))
        if need is None:
            row.action = "create"
        else:
            row.action = "unchanged" if _same(need, row.values, round_id) else "update"


def _existing_needs(orgs, refs: set[str]) -> dict[tuple[int, str], Need]:
    found: dict[tuple[int, str], Need] = {}
    org_ids = [o.pk for o in orgs]
    refs_list = list(refs)
    # Chunked so a large file stays under SQLite's parameter limit.
    for start in range(0, len(refs_list), 500):
        for need in Need.objects.filter(organisation_id__in=org_ids,
                                        external_ref__in=refs_list[start:start + 500]):
            found[(need.organisation_id, need.external_ref)] = need
    return found


def _target(values: dict[str, Any], round_id: int | None) -> dict[str, Any]:
    return {
        "area_id": values["area_id"], "description": values["description"],
        "participants": values["participants"], "level": values["level"],
        "formats": values["formats"], "earliest_start": values["earliest_start"],
        "latest_start": values["latest_start"], "max_travel_km": values["max_travel_km"],
        "budget_per_participant": values["budget_per_participant"], "round_id": round_id,
    }


def _same(need: Need, values: dict[str, Any], round_id: int | None) -> bool:
    target = _target(values, round_id)
    for name in COMPARED:
        current = getattr(need, name)
        wanted = target[name]
        if name == "budget_per_participant":
            current = None if current is None else Decimal(current).normalize()
            wanted = None if wanted is None else Decimal(wanted).normalize()
        if current != wanted:
            return False
    return True


# --- writing -----------------------------------------------------------------------------


def import_needs(data: bytes, filename: str, *, round: SurveyRound | None = None, by=None,
                 dry_run: bool = False) -> ParseResult:
    """Parses and, unless a dry run, imports everything in one transaction.

    Refuses (ValidationError, nothing written) when any row is bad: an import is all or nothing.
    Imported needs are submitted, so `need_submitted` tells matching about each new one."""
    result = parse_needs_file(data, filename, round=round)
    if dry_run:
        return result
    if not result.ok:
        raise ValidationError(_("The file has errors; nothing was imported."))
    with transaction.atomic():
        _write(result, round, by)
    return result


def _write(result: ParseResult, survey_round: SurveyRound | None, by) -> None:
    round_id = survey_round.pk if survey_round else None
    rows = result.rows
    orgs = {o.orgnr: o for o in Organisation.objects.filter(
        orgnr__in={r.values["orgnr"] for r in rows})}
    for row in rows:
        values = row.values
        if values["orgnr"] not in orgs:
            orgs[values["orgnr"]] = Organisation.objects.create(
                orgnr=values["orgnr"], name=values["business_name"] or values["orgnr"],
                kind=Organisation.Kind.BUSINESS, municipality_id=values.get("municipality_id"),
                industry_code=values["industry_code"], industry_standard="SN2007",
                employees=values["employees"],
            )
    existing = _existing_needs(orgs.values(), {r.values["external_ref"] for r in rows})
    now = timezone.now()
    to_create: list[Need] = []
    to_update: list[Need] = []
    for row in rows:
        org = orgs[row.values["orgnr"]]
        target = _target(row.values, round_id)
        need = existing.get((org.pk, row.values["external_ref"]))
        if need is None:
            need = Need(organisation=org, external_ref=row.values["external_ref"],
                        status=Need.Status.SUBMITTED, submitted_at=now, created_by=by, **target)
            to_create.append(need)
            row.action = "create"
        elif _same(need, row.values, round_id):
            row.action = "unchanged"
        else:
            for name, value in target.items():
                setattr(need, name, value)
            need.updated_at = now
            to_update.append(need)
            row.action = "update"
    Need.objects.bulk_create(to_create, batch_size=500)
    Need.objects.bulk_update(to_update, [*COMPARED, "updated_at"], batch_size=500)
    # Signals after the rows exist, still inside the transaction: matching queues on commit.
    for need in to_create:
        signals.need_submitted.send(sender=Need, need_id=need.pk)
    for need in to_update:
        if need.status in Need.MATCHABLE:
            signals.need_changed.send(sender=Need, need_id=need.pk)
