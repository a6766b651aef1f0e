"""After the meeting: the adviser records what came of it.

A provider's commitment creates (or links) an offer draft of that provider and proposes it to
every business whose need the meeting was about, through the match workflow (approve, then
propose — the business is told by the workflow's own e-mail). Everyone who came gets a short
summary by e-mail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needs.models import Need
from offers.models import Offer
from offers.services import offer_draft_create
from portal.choices import Format
from portal.models import Organisation, User

from .. import services as match_services
from ..models import Match
from .mail import MailKind
from .models import Invitation, Meeting, MeetingCommitment, MeetingOutcome
from .services import _queue_mail


@dataclass
class CommitmentInput:
    provider_id: int
    what: str
    offer_id: int | None = None
    start_date: dt.date | None = None
    price_nok: Decimal | None = None


def _offer_for(meeting: Meeting, item: CommitmentInput, provider: Organisation, *,
               by: User) -> Offer:
    if item.offer_id:
        offer = Offer.objects.filter(pk=item.offer_id, provider=provider).first()
        if offer is None:
            raise ValidationError({"offer": _("Choose one of this provider's offers.")})
        return offer
    areas = {need.area for need in meeting.needs.select_related("area")}
    if not areas and meeting.cohort_id:
        areas = {meeting.cohort.area}
    level = meeting.cohort.level if meeting.cohort_id and meeting.cohort.level else ""
    data = {"title": item.what, "description": meeting.purpose, "start_date": item.start_date,
            "price_nok": item.price_nok, "municipality": meeting.municipality,
            "format": Format.LOCAL if meeting.municipality else Format.ONLINE}
    if level:
        data["level"] = level
    return offer_draft_create(provider=provider, data=data, areas=areas, by=by)


def _propose(meeting: Meeting, offer: Offer, *, by: User) -> int:
    """Propose the offer to each business need of the meeting; returns the proposals made."""
    note = _("Committed at the meeting “%(title)s”.") % {"title": meeting.title}
    made = 0
    for need in meeting.needs.filter(status__in=Need.MATCHABLE).order_by("pk"):
        match, _created = Match.objects.get_or_create(
            need=need, offer=offer,
            defaults={"score": 100.0, "components": {}, "reasons": [], "is_current": True})
        if match.status == Match.Status.DISMISSED:
            match_services.match_reopen(match_id=match.pk, by=by, note=note)
            match.status = Match.Status.SUGGESTED
        if match.status == Match.Status.SUGGESTED:
            match_services.match_approve(match_id=match.pk, by=by, note=note)
            match.status = Match.Status.APPROVED
        if match.status == Match.Status.APPROVED:
            match_services.match_propose(match_id=match.pk, by=by, note=note)
            made += 1
    return made


@transaction.atomic
def meeting_record_outcome(
    *, meeting_id: int, notes: str, attended_ids: Iterable[int],
    by: User, commitments: Iterable[CommitmentInput] = (), send_summary: bool = True,
) -> MeetingOutcome:
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise ValidationError(_("This meeting no longer exists."), code="missing")
    if meeting.status not in (Meeting.Status.INVITED, Meeting.Status.HELD):
        raise ValidationError(_("Only a meeting that took place can get an outcome."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Record the outcome once the meeting has started."))
    outcome, _created = MeetingOutcome.objects.update_or_create(
        meeting=meeting, defaults={"notes": (notes or "").strip(),
                                   "recorded_by": by})
    attended = set(attended_ids)
    for invitation in meeting.invitations.all():
        Invitation.objects.filter(pk=invitation.pk).update(attended=invitation.pk in attended)
    invited_providers = set(meeting.invitations.filter(
        organisation__kind=Organisation.Kind.PROVIDER).values_list("organisation_id", flat=True))
    for item in commitments:
        if item.provider_id not in invited_providers:
            raise ValidationError({"provider": _("Choose one of the invited providers.")})
        provider = Organisation.objects.get(pk=item.provider_id)
        offer = _offer_for(meeting, item, provider, by=by)
        commitment = MeetingCommitment.objects.create(
            meeting=meeting, provider=provider, offer=offer, what=item.what[:200],
            start_date=item.start_date, price_nok=item.price_nok,
            created_by=by)
        commitment.proposals = _propose(meeting, offer, by=by)
        commitment.save(update_fields=["proposals"])
    if meeting.status == Meeting.Status.INVITED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
    if send_summary:
        claimed = Meeting.objects.filter(pk=meeting.pk, summary_sent_at__isnull=True).update(
            summary_sent_at=timezone.now())
        if claimed:
            _queue_mail(MailKind.SUMMARY, sorted(attended & set(
                meeting.invitations.values_list("pk", flat=True))))
    return outcome
