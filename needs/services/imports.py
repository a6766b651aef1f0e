"""The apply stage of the needs import: every row of a validated file, in one transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needs import signals
from needs.models import Need, SurveyRound
from portal.models import Organisation, User
from portal.services import organisation_create_without_members

if TYPE_CHECKING:
    from needs.importing import ParseResult

# Fields an import sets on a need; comparing them tells "updated" from "unchanged".
COMPARED = ("area_id", "description", "participants", "level", "formats", "earliest_start",
            "latest_start", "max_travel_km", "budget_per_participant", "round_id")


def existing_needs(orgs, refs: set[str]) -> dict[tuple[int, str], Need]:
    found: dict[tuple[int, str], Need] = {}
    org_ids = [o.pk for o in orgs]
    refs_list = list(refs)
    # Chunked so a large file stays under SQLite's parameter limit.
    for start in range(0, len(refs_list), 500):
        for need in Need.objects.filter(organisation_id__in=org_ids,
                                        external_ref__in=refs_list[start:start + 500]):
            found[(need.organisation_id, need.external_ref)] = need
    return found


def target(values: dict[str, Any], round_id: int | None) -> dict[str, Any]:
    return {
        "area_id": values["area_id"], "description": values["description"],
        "participants": values["participants"], "level": values["level"],
        "formats": values["formats"], "earliest_start": values["earliest_start"],
        "latest_start": values["latest_start"], "max_travel_km": values["max_travel_km"],
        "budget_per_participant": values["budget_per_participant"], "round_id": round_id,
    }


def same(need: Need, values: dict[str, Any], round_id: int | None) -> bool:
    wanted_values = target(values, round_id)
    for name in COMPARED:
        current = getattr(need, name)
        wanted = wanted_values[name]
        if name == "budget_per_participant":
            current = None if current is None else Decimal(current).normalize()
            wanted = None if wanted is None else Decimal(wanted).normalize()
        if current != wanted:
            return False
    return True


@transaction.atomic
def need_import_apply(*, result: ParseResult, round: SurveyRound | None = None,
                      by: User | None = None,  # None: `import_needs` on the command line
                      ) -> ParseResult:
    """Creates the new businesses and creates or updates their needs, keyed on
    (orgnr, external_ref); a row that has not changed is left alone. All or nothing: a bad row,
    or a database error half-way, leaves the database as it was.

    Needs are written in bulk (a file has thousands of rows) and submitted at once; the domain
    signals go out after the rows exist, still inside the transaction, so matching queues its
    work on commit exactly as for a need submitted on its page."""
    if not result.ok:
        raise ValidationError(_("The file has errors; nothing was imported."))
    round_id = round.pk if round else None
    rows = result.rows
    orgs = {o.orgnr: o for o in Organisation.objects.filter(
        orgnr__in={r.values["orgnr"] for r in rows})}
    for row in rows:
        values = row.values
        if values["orgnr"] not in orgs:
            orgs[values["orgnr"]] = organisation_create_without_members(
                orgnr=values["orgnr"], kind=Organisation.Kind.BUSINESS,
                name=values["business_name"], municipality_id=values.get("municipality_id"),
                industry_code=values["industry_code"], industry_standard="SN2007",
                employees=values["employees"],
            )
    existing = existing_needs(orgs.values(), {r.values["external_ref"] for r in rows})
    now = timezone.now()
    to_create: list[Need] = []
    to_update: list[Need] = []
    for row in rows:
        org = orgs[row.values["orgnr"]]
        wanted = target(row.values, round_id)
        need = existing.get((org.pk, row.values["external_ref"]))
        if need is None:
            to_create.append(Need(organisation=org, external_ref=row.values["external_ref"],
                                  status=Need.Status.SUBMITTED, submitted_at=now,
                                  created_by=by, **wanted))
            row.action = "create"
        elif same(need, row.values, round_id):
            row.action = "unchanged"
        else:
            for name, value in wanted.items():
                setattr(need, name, value)
            need.updated_at = now
            to_update.append(need)
            row.action = "update"
    Need.objects.bulk_create(to_create, batch_size=500)
    Need.objects.bulk_update(to_update, [*COMPARED, "updated_at"], batch_size=500)
    for need in to_create:
        signals.need_submitted.send(sender=Need, need_id=need.pk)
    for need in to_update:
        if need.status in Need.MATCHABLE:
            signals.need_changed.send(sender=Need, need_id=need.pk)
    return result
