"""The yearly survey: starting (prefilled from last round), saving each step, submitting."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from needs import tasks
from needs.models import Need, SurveyResponse, SurveyRound
from portal.celery import enqueue_on_commit
from portal.models import Municipality, Organisation, User

from .needs import NEED_FIELDS, need_set_outcome, need_submit

logger = logging.getLogger(__name__)

STEPS = 5
PROFILE_FIELDS = ("industry_code", "employees", "municipality", "contact_name", "contact_email",
                  "contact_phone")
# Needs from an earlier round that are worth carrying forward (not drafts nor withdrawn ones).
CARRIED_STATUSES = (Need.Status.SUBMITTED, Need.Status.IN_BROKERING, Need.Status.COVERED)


@transaction.atomic
def organisation_profile_update(
    *, organisation: Organisation, data: dict[str, Any]
) -> Organisation:
    """Step 1 writes the confirmed profile to the organisation itself (portal's model)."""
    org = Organisation.objects.select_for_update().get(pk=organisation.pk)
    municipality = data.get("municipality")
    if municipality is not None and not isinstance(municipality, Municipality):
        raise ValidationError({"municipality": _("Unknown municipality.")})
    nullable = {"employees", "municipality"}
    for field in PROFILE_FIELDS:
        if field in data:
            value = data[field]
            setattr(org, field, value if value is not None or field in nullable else "")
    org.save()
    return org


def _last_response(organisation: Organisation, exclude_round: SurveyRound | None):
    qs = SurveyResponse.objects.filter(organisation=organisation,
                                       status=SurveyResponse.Status.SUBMITTED)
    if exclude_round is not None:
        qs = qs.exclude(round=exclude_round)
    return qs.order_by("-submitted_at").first()


@transaction.atomic
def survey_response_start(
    *, organisation: Organisation, round: SurveyRound | None, by: User
) -> SurveyResponse:
    """The business's answer to the round: the existing one (resume), or a new draft that
    starts from last round's answers, with each earlier need copied as an editable draft."""
    existing = SurveyResponse.objects.filter(organisation=organisation, round=round)
    if round is None:
        existing = existing.filter(status=SurveyResponse.Status.DRAFT)
    found = existing.order_by("-created_at").first()
    if found is not None:
        return found
    previous = _last_response(organisation, round)
    try:
        # A double click can race us to the one-answer-per-round constraint: the loser
        # resumes the winner's answer instead of failing.
        with transaction.atomic():
            response = SurveyResponse.objects.create(organisation=organisation, round=round)
    except IntegrityError:
        return SurveyResponse.objects.get(organisation=organisation, round=round)
    if previous is not None:
        response.overall_need = previous.overall_need
        response.measures = list(previous.measures)
        response.barriers = list(previous.barriers)
        response.consent = previous.consent
        response.save()
        earlier = Need.objects.filter(
            organisation=organisation, status__in=CARRIED_STATUSES
        ).filter(round=previous.round) if previous.round_id else previous.needs.filter(
            status__in=CARRIED_STATUSES)
        copies = []
        for old in earlier.order_by("created_at"):
            copy = Need(organisation=organisation, round=round, response=response,
                        created_by=by, previous=old, status=Need.Status.DRAFT)
            for field in NEED_FIELDS:
                setattr(copy, f"{field}_id" if field == "area" else field,
                        getattr(old, "area_id" if field == "area" else field))
            copy.formats = list(old.formats)
            # An old time window has usually passed; the business sets a new one.
            copy.earliest_start = None
            copy.latest_start = None
            copies.append(copy)
        Need.objects.bulk_create(copies)
    return response


def _require_draft(response: SurveyResponse) -> None:
    if response.status != SurveyResponse.Status.DRAFT:
        raise ValidationError(_("This survey has already been submitted."))


@transaction.atomic
def survey_response_save_step(
    *, response: SurveyResponse, step: int, data: dict[str, Any]
) -> SurveyResponse:
    """Saves one step's answers; the business may leave after any step and come back."""
    response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    _require_draft(response)
    if step == 1:
        organisation_profile_update(organisation=response.organisation, data=data)
    elif step == 2:
        response.overall_need = data.get("overall_need", response.overall_need)
        response.measures = list(data.get("measures", response.measures))
        response.barriers = list(data.get("barriers", response.barriers))
    elif step == 3:
        if "needs_later" in data:
            response.needs_later = bool(data["needs_later"])
        allowed = set(
            Need.objects.filter(followups__response=response).values_list("pk", flat=True)
        )
        for answer in data.get("outcomes", []):
            if answer["need"].pk not in allowed:
                raise ValidationError(_("Unknown earlier need."))
            need_set_outcome(need=answer["need"], outcome=answer.get("outcome", ""),
                             offer_id=answer.get("offer_id"), note=answer.get("note", ""))
    elif step == 4:
        consent = data.get("consent", response.consent)
        if consent not in SurveyResponse.Consent.values:
            raise ValidationError({"consent": _("Choose one of the consent levels.")})
        response.consent = consent
    elif step != 5:
        raise ValidationError(_("Unknown step."))
    response.step = max(response.step, min(step + 1, STEPS))
    response.save()
    return response


@transaction.atomic
def survey_response_submit(*, response: SurveyResponse, by: User) -> SurveyResponse:
    """Submits the answer and all its draft needs at once; the receipt goes out on commit."""
    response = SurveyResponse.objects.select_for_update().select_related("organisation").get(
        pk=response.pk
    )
    _require_draft(response)
    if not response.overall_need:
        raise ValidationError({"overall_need": _("Answer how large the unmet need is.")})
    if not response.consent:
        raise ValidationError({"consent": _("Choose what we may do with your answers.")})
    drafts = list(response.needs.filter(status=Need.Status.DRAFT).order_by("created_at"))
    if (response.overall_need != SurveyResponse.OverallNeed.NONE and not drafts
            and not response.needs_later):
        raise ValidationError(_("Add at least one need, or confirm that you will describe "
                                "your needs later."))
    for need in drafts:
        try:
            need_submit(need=need, by=by)
        except ValidationError as exc:
            raise ValidationError(
                _("The need “%(need)s” is not complete: %(errors)s")
                % {"need": need, "errors": " ".join(exc.messages)}
            ) from exc
    response.status = SurveyResponse.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.submitted_by = by
    response.language = (get_language() or "nb")[:10]
    response.step = STEPS
    response.save()
    # After commit, by a worker: the receipt never describes an answer that was rolled back.
    enqueue_on_commit(tasks.send_survey_receipt, response.pk)
    return response
