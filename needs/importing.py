"""Import of earlier survey answers from CSV or Excel, shared by the adviser's page and
`manage.py import_needs`, through the shared pipeline in `portal.spreadsheets`.

`parse_needs_file` reads and validates every row without writing (the preview); `import_needs`
runs the same parse and then `need_import_apply`, which writes everything in one transaction,
or nothing when a row is bad. Rows key on (orgnr, external_ref), so re-running a file creates
no duplicates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.no import orgnr as orgnr_check

from portal import spreadsheets as sheets
from portal.celery import enqueue_on_commit
from portal.choices import Format, Level
from portal.jobs import job_create, job_fail, job_finish, job_progress
from portal.models import Organisation, User
from portal.uploads import (
    spreadsheet_upload_claim,
    spreadsheet_upload_create,
    spreadsheet_upload_preview_save,
    spreadsheet_uploads_sweep,
)

from .models import NeedImport, SurveyRound
from .rules import need_field_errors
from .services.imports import existing_needs, need_import_apply, same

COLUMNS: tuple[str, ...] = (
    "external_ref", "orgnr", "business_name", "municipality_code", "industry_code", "employees",
    "area_code", "description", "participants", "level", "formats", "earliest_start",
    "latest_start", "max_travel_km", "budget_nok",
)
NUMERIC = ("employees", "participants", "max_travel_km", "budget_nok")
OPTIONAL = {"level", "max_travel_km", "budget_nok", "industry_code", "employees", "description",
            "earliest_start", "latest_start"}
EXAMPLE_ROW: dict[str, str] = {
    "external_ref": "2026-17", "orgnr": "923609016", "business_name": "Vinje Skog AS",
    "municipality_code": "4036", "industry_code": "02.200", "employees": "12",
    "area_code": "skog.motorsag", "description": "Motorsagkurs før hogstsesongen",
    "participants": "4", "level": "course", "formats": "local;workplace",
    "earliest_start": "2027-03-01", "latest_start": "2027-05-01", "max_travel_km": "60",
    "budget_nok": "5000",
}


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


def template_csv() -> bytes:
    return sheets.template_csv(COLUMNS, EXAMPLE_ROW)


def template_xlsx() -> bytes:
    return sheets.template_xlsx(COLUMNS, EXAMPLE_ROW, sheet="needs")


# --- validation of one row ---------------------------------------------------------------


def _number(raw: dict[str, str], column: str, errors: list[str], parse=sheets.parse_int):
    try:
        return parse(raw[column])
    except ValueError:
        errors.append(sheets.number_error(column, raw[column]))
        return None


def _check_row(raw: dict[str, str], row: RowResult, lookups: sheets.ReferenceLookups) -> None:
    errors = row.errors
    v: dict[str, Any] = {}
    for column in COLUMNS:
        if column not in OPTIONAL and not raw[column]:
            errors.append(_("%(column)s is empty.") % {"column": column})
    v["external_ref"] = raw["external_ref"][:100]
    number = raw["orgnr"].replace(" ", "")
    if number and not orgnr_check.is_valid(number):
        errors.append(_("orgnr %(value)s is not a valid organisation number.") % {"value": number})
    v["orgnr"] = number
    v["business_name"] = raw["business_name"][:200]
    errors.extend(lookups.municipality_errors(raw["municipality_code"]))
    municipality = lookups.municipality(raw["municipality_code"])
    v["municipality_id"] = municipality.pk if municipality else None
    industry = raw["industry_code"]
    if industry and not (len(industry) >= 2 and industry[:2].isdigit()
                         and all(p.isdigit() for p in industry.split("."))):
        errors.append(_("industry_code %(value)s is not an SN2007 code.") % {"value": industry})
    v["industry_code"] = industry[:10]
    v["employees"] = _number(raw, "employees", errors)
    if raw["area_code"]:
        errors.extend(lookups.area_errors([raw["area_code"]]))
    area = lookups.area(raw["area_code"])
    v["area_id"] = area.pk if area else None
    v["description"] = raw["description"]
    v["participants"] = _number(raw, "participants", errors)
    level = raw["level"]
    if level and level not in Level.values:
        errors.append(_("Unknown level %(value)s.") % {"value": level})
    v["level"] = level
    formats = sheets.parse_codes(raw["formats"])
    unknown = [f for f in formats if f not in Format.values]
    if unknown:
        errors.append(_("Unknown format %(value)s.") % {"value": ", ".join(unknown)})
    v["formats"] = formats
    for column in ("earliest_start", "latest_start"):
        try:
            v[column] = sheets.parse_date(raw[column])
        except ValueError:
            errors.append(sheets.date_error(column, raw[column]))
            v[column] = None
    v["max_travel_km"] = _number(raw, "max_travel_km", errors)
    v["budget_per_participant"] = _number(raw, "budget_nok", errors, sheets.parse_decimal)
    if v["participants"] is not None:
        rule_errors = need_field_errors(
            participants=v["participants"], employees=None,
            earliest_start=v["earliest_start"], latest_start=v["latest_start"],
            max_travel_km=v["max_travel_km"], budget=v["budget_per_participant"],
            formats=None if unknown else formats,
        )
        errors.extend(rule_errors.values())
    row.values = v


PROGRESS_EVERY = 100  # rows between two progress reports


def parse_needs_file(data: bytes, filename: str, *, round: SurveyRound | None = None,
                     progress: Callable[[int, int], None] | None = None) -> ParseResult:
    """Reads and checks every row; nothing is written. Also works out what an import would do.
    `progress(rows_done_since_last_call, total)` lets a background import show how far it is."""
    result = ParseResult()
    try:
        sheet = sheets.read_spreadsheet(data, filename, columns=COLUMNS, numeric=NUMERIC)
    except sheets.SpreadsheetError as exc:
        result.file_errors.append(str(exc))
        return result
    lookups = sheets.ReferenceLookups()
    seen: dict[tuple[str, str], int] = {}
    total = len(sheet.rows)
    if progress is not None:
        progress(0, total)
    for index, line in enumerate(sheet.rows, start=1):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(PROGRESS_EVERY, total)
        row = RowResult(row=line.number, errors=list(line.errors))
        if not row.errors:  # a formula row is not read further: its values are not data
            _check_row(line.values, row, lookups)
        key = (row.values.get("orgnr", ""), row.values.get("external_ref", ""))
        if all(key) and not row.errors:
            if key in seen:
                row.errors.append(_("Duplicate of row %(row)s (same orgnr and external_ref).")
                                  % {"row": seen[key]})
            else:
                seen[key] = row.row
        result.rows.append(row)
    if progress is not None:
        progress(total % PROGRESS_EVERY, total)
    if not result.rows:
        result.file_errors.append(_("The file has no rows."))
    _plan(result, round)
    return result


def _plan(result: ParseResult, survey_round: SurveyRound | None) -> None:
    """Marks each good row create / update / unchanged against the database."""
    good = [r for r in result.rows if not r.errors]
    orgs = {o.orgnr: o for o in Organisation.objects.filter(
        orgnr__in={r.values["orgnr"] for r in good})}
    existing = existing_needs(orgs.values(), {r.values["external_ref"] for r in good})
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
            row.action = "unchanged" if same(need, row.values, round_id) else "update"


PREVIEW_ROWS = 200  # rows listed under "What will happen"; the counts cover every row


def preview_data(result: ParseResult) -> dict[str, Any]:
    """The preview as stored on the upload (JSON) for its page."""
    return {**result.summary(), "counts": result.counts(), "ok": result.ok, "rows": [
        {"row": r.row, "orgnr": r.values.get("orgnr", ""),
         "external_ref": r.values.get("external_ref", ""),
         "participants": r.values.get("participants"), "action": r.action,
         "new_business": r.new_business, "error": bool(r.errors)}
        for r in result.rows[:PREVIEW_ROWS]]}


def need_import_upload(*, data: bytes, filename: str, round: SurveyRound | None = None,
                       by: User, language: str = "") -> NeedImport:
    """Keeps the adviser's file and queues its check (a Celery task, on commit); the preview
    page shows the rows checked / total, then what an import would do."""
    spreadsheet_uploads_sweep(kind=NeedImport.Kind.NEEDS)
    job = job_create(kind="need_preview", by=by)
    options: dict[str, Any] = {"preview_job_id": job.pk}
    if round is not None:
        options["round_id"] = round.pk
    need_import = spreadsheet_upload_create(kind=NeedImport.Kind.NEEDS, data=data,
                                            filename=filename, by=by, options=options)
    from .tasks import need_import_preview_task

    enqueue_on_commit(need_import_preview_task, need_import_id=need_import.pk, job_id=job.pk,
                      language=language)
    return NeedImport.objects.get(pk=need_import.pk)


def need_import_preview(*, need_import: NeedImport, job_id: int | None = None) -> ParseResult:
    """The background check of an upload: every row validated (the job counts them), and
    what the import would do kept on the upload for its preview page. A file that cannot be
    used at all (encoding, columns, no rows) fails the job with the reason."""
    result = parse_needs_file(need_import.read(), need_import.filename, round=need_import.round,
                              progress=job_progress(job_id))
    spreadsheet_upload_preview_save(upload_id=need_import.pk, preview=preview_data(result))
    if result.file_errors:
        job_fail(job_id=job_id, message=" ".join(result.file_errors))
    else:
        counts = result.counts()
        job_finish(job_id=job_id, summary={"rows": counts["rows"], "errors": counts["errors"]})
    return result


def import_needs(data: bytes, filename: str, *, round: SurveyRound | None = None,
                 by: User | None = None,  # None: `import_needs` on the command line
                 dry_run: bool = False) -> ParseResult:
    """Read → validate → (unless a dry run) apply in one transaction.

    Refuses (ValidationError, nothing written) when any row is bad: an import is all or nothing.
    Imported needs are submitted, so `need_submitted` tells matching about each new one."""
    result = parse_needs_file(data, filename, round=round)
    if dry_run:
        return result
    if not result.ok:
        raise ValidationError(_("The file has errors; nothing was imported."))
    return need_import_apply(result=result, round=round, by=by)


def need_import_confirm(*, need_import: NeedImport, by: User | None) -> ParseResult:
    """The adviser confirms a previewed upload: its stored file is read and validated again
    (the database may have changed since the preview) and applied; the upload is marked
    imported in the same transaction, so confirming twice never imports twice. `by` is None
    when the adviser's account is gone by the time the import task runs."""
    with transaction.atomic():
        result = import_needs(need_import.read(), need_import.filename,
                              round=need_import.round, by=by)
        spreadsheet_upload_claim(upload=need_import, summary=result.summary())
    return result
