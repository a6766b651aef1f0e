"""Creating, editing and moving needs through their statuses.

Each change that the matching engine cares about sends a domain signal right after the save,
inside the transaction; `matching` queues its work on commit, so a rollback queues nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needs import notices, signals
from needs.models import Need, SurveyResponse
from needs.rules import need_field_errors
from needs.selectors import round_current
from portal.models import Organisation, User

# The fields a business (or an import) may set on a need.
NEED_FIELDS: tuple[str, ...] = (
    "area", "title", "description", "participants", "to_train", "to_recruit", "level",
    "formats", "earliest_start", "latest_start", "max_travel_km", "online_only",
    "budget_per_participant", "priority", "consequence", "willing_to_share",
)
EDITABLE_STATUSES = (Need.Status.DRAFT, Need.Status.SUBMITTED, Need.Status.IN_BROKERING)


def need_validate(*, organisation: Organisation, data: dict[str, Any]) -> None:
    """Raises ValidationError keyed by field when the need's values do not fit together."""
    errors = need_field_errors(
        participants=data.get("participants"),
        to_train=data.get("to_train"),
        to_recruit=data.get("to_recruit"),
        employees=organisation.employees,
        earliest_start=data.get("earliest_start"),
        latest_start=data.get("latest_start"),
        max_travel_km=data.get("max_travel_km"),
        online_only=bool(data.get("online_only")),
        budget=data.get("budget_per_participant"),
        formats=data.get("formats", []),
        level=data.get("level") or "",
    )
    if data.get("area") is None:
        errors["area"] = _("Choose a competence area.")
    if errors:
        raise ValidationError(errors)


def _apply(need: Need, data: dict[str, Any]) -> None:
    for field in NEED_FIELDS:
        if field in data:
            value = data[field]
            if field in ("title", "description", "level", "consequence") and value is None:
                value = ""
            setattr(need, field, value)
    if need.online_only:
        # "Online only" and a travel distance contradict each other; online wins.
        need.max_travel_km = None


@transaction.atomic
def need_create(
    *, organisation: Organisation, data: dict[str, Any], by: User,
    response: SurveyResponse | None = None, submit: bool = False,
) -> Need:
    """A new need. Outside the survey it is tagged with the round open today, if any, so the
    barometer still counts it in that year; with no open round it has no round."""
    need_validate(organisation=organisation, data=data)
    need = Need(organisation=organisation, created_by=by, response=response)
    need.round = response.round if response is not None else round_current()
    _apply(need, data)
    if submit:
        need.status = Need.Status.SUBMITTED
        need.submitted_at = timezone.now()
    need.save()
    if submit:
        signals.need_submitted.send(sender=Need, need_id=need.pk)
        notices.tell_advisers_about_need(need=need, changed=False, by=by)
    return need


@transaction.atomic
def need_update(*, need: Need, data: dict[str, Any], by: User) -> Need:
    """`by`, who changes the need, is not told about their own change."""
    need = Need.objects.select_for_update().select_related("organisation").get(pk=need.pk)
    if need.status not in EDITABLE_STATUSES:
        raise ValidationError(_("This need can no longer be changed."), code="locked")
    merged = {field: getattr(need, field) for field in NEED_FIELDS}
    merged.update(data)
    need_validate(organisation=need.organisation, data=merged)
    _apply(need, data)
    need.save()
    if need.status in Need.MATCHABLE:
        # Matching recomputes this need's matches when it hears about the change.
        signals.need_changed.send(sender=Need, need_id=need.pk)
        notices.tell_advisers_about_need(need=need, changed=True, by=by)
    return need


def _move(need: Need, status: str) -> None:
    if not need.can_move_to(status):
        raise ValidationError(
            _("A need that is %(current)s cannot become %(new)s.")
            % {"current": need.get_status_display(), "new": Need.Status(status).label},
            code="illegal_transition",
        )
    need.status = status


@transaction.atomic
def need_submit(*, need: Need, by: User) -> Need:
    """`by`, who submits, is not told about their own submission."""
    need = Need.objects.select_for_update().select_related("organisation").get(pk=need.pk)
    need_validate(
        organisation=need.organisation,
        data={field: getattr(need, field) for field in NEED_FIELDS},
    )
    _move(need, Need.Status.SUBMITTED)
    need.submitted_at = timezone.now()
    need.save(update_fields=["status", "submitted_at", "updated_at"])
    signals.need_submitted.send(sender=Need, need_id=need.pk)
    notices.tell_advisers_about_need(need=need, changed=False, by=by)
    return need


@transaction.atomic
def need_withdraw(*, need: Need) -> Need:
    need = Need.objects.select_for_update().get(pk=need.pk)
    _move(need, Need.Status.WITHDRAWN)
    need.save(update_fields=["status", "updated_at"])
    signals.need_withdrawn.send(sender=Need, need_id=need.pk)
    return need


@transaction.atomic
def need_delete_draft(*, need: Need) -> None:
    """A draft was never seen by anyone else, so removing it leaves no trace to keep."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status != Need.Status.DRAFT:
        raise ValidationError(_("Only drafts can be removed; withdraw the need instead."))
    need.delete()


@transaction.atomic
def need_set_outcome(
    *, need: Need, outcome: str, offer_id: int | None = None, note: str = ""
) -> Need:
    """The business's answer, a round later, to whether an earlier need was met."""
    if outcome and outcome not in Need.Outcome.values:
        raise ValidationError({"outcome": _("Unknown answer.")})
    need = Need.objects.select_for_update().get(pk=need.pk)
    need.outcome = outcome
    need.outcome_offer_id = offer_id
    need.outcome_note = note[:300]
    need.save(update_fields=["outcome", "outcome_offer", "outcome_note", "updated_at"])
    return need


@transaction.atomic
def need_mark_in_brokering(*, need_id: int) -> Need:
    """Called by matching when an adviser starts working on a need. Idempotent."""
    need = Need.objects.select_for_update().get(pk=need_id)
    if need.status != Need.Status.IN_BROKERING:
        _move(need, Need.Status.IN_BROKERING)
        need.save(update_fields=["status", "updated_at"])
    return need


@transaction.atomic
def need_mark_covered(*, need_id: int, by: User, offer_id: int | None = None) -> Need:
    """Called by matching when a business accepts an offer for the need. Idempotent.

    The offer is remembered as the likely answer to next round's "which offer met it?"."""
    need = Need.objects.select_for_update().get(pk=need_id)
    fields = ["updated_at"]
    if need.status != Need.Status.COVERED:
        _move(need, Need.Status.COVERED)
        fields.append("status")
        notices.tell_business_need_covered(need=need, by=by)
    if offer_id and not need.outcome_offer_id:
        need.outcome_offer_id = offer_id
        fields.append("outcome_offer")
    need.save(update_fields=fields)
    return need
