"""Writes for offers: create, update, duplicate, publish, archive.

Each service validates, runs in a transaction and sends the offers app's domain signal right
after saving (receivers in `matching` queue their work with `portal.celery.enqueue_on_commit`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.choices import Level
from portal.models import CompetenceArea, Organisation, User

from .models import Offer
from .search import offer_search_refresh
from .signals import offer_archived, offer_changed, offer_published

# Fields a provider edits (forms, import); everything else is managed by the services.
EDITABLE_FIELDS = (
    "external_id", "title", "description", "level", "credits", "hours", "format",
    "municipality", "start_date", "end_date", "application_deadline", "price_nok",
    "min_participants", "max_participants", "language", "url", "on_demand",
)
# Levels measured in ECTS credits; courses and trade certificates are measured in hours.
CREDIT_LEVELS = {Level.HIGHER_EDUCATION, Level.VOCATIONAL_COLLEGE}


def offer_validate(*, data: dict[str, Any], areas: Iterable[CompetenceArea]) -> None:
    """Domain rules shared by the form, the import and the services. Raises ValidationError."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (data.get("title") or "").strip():
        add("title", _("Give the offer a title."))
    if not list(areas):
        add("areas", _("Choose at least one competence area."))
    start, end = data.get("start_date"), data.get("end_date")
    deadline = data.get("application_deadline")
    if start and end and end < start:
        add("end_date", _("The end date is before the start date."))
    # Rolling intake: a course that runs over a period may take applications until late in
    # it, so a deadline after the start is fine as long as it is not after the end.
    if deadline and end and deadline > end:
        add("application_deadline", _("The application deadline is after the end date."))
    elif deadline and start and not end and deadline > start:
        add("application_deadline",
            _("The application deadline is after the start date. For rolling intake, give "
              "the end date too."))
    price = data.get("price_nok")
    if price is not None and Decimal(price) < 0:
        add("price_nok", _("The price cannot be negative."))
    low, high = data.get("min_participants"), data.get("max_participants")
    if low is not None and high is not None and low > high:
        add("max_participants",
            _("The maximum is smaller than the minimum number of participants."))
    credits, hours = data.get("credits"), data.get("hours")
    if credits is not None and Decimal(credits) < 0:
        add("credits", _("Credits cannot be negative."))
    if hours is not None and int(hours) < 0:
        add("hours", _("Hours cannot be negative."))
    # Rule: tertiary levels are measured in ECTS credits, courses in hours; a trade
    # certificate (often a praksiskandidat programme) may give either or neither.
    level = data.get("level")
    if level in CREDIT_LEVELS and credits is None:
        add("credits", _("Give the credits (ECTS) for this level."))
    if level == Level.COURSE and hours is None:
        add("hours", _("Give the number of hours for a course."))
    if errors:
        raise ValidationError(errors)


def _send_after_save(offer: Offer, previous_status: str | None) -> None:
    """Tell listeners what happened. Only published offers are of interest to matching."""
    if offer.status == Offer.Status.PUBLISHED:
        if previous_status != Offer.Status.PUBLISHED:
            offer_published.send(sender=Offer, offer_id=offer.pk)
        else:
            offer_changed.send(sender=Offer, offer_id=offer.pk)
    elif offer.status == Offer.Status.ARCHIVED and previous_status != Offer.Status.ARCHIVED:
        offer_archived.send(sender=Offer, offer_id=offer.pk)
    elif previous_status == Offer.Status.PUBLISHED:
        # Back to draft: for matching the offer is gone, exactly as when archived.
        offer_archived.send(sender=Offer, offer_id=offer.pk)


@transaction.atomic
def offer_create(
    *, provider: Organisation, data: dict[str, Any], areas: Iterable[CompetenceArea],
    by: User | None = None,  # None: imports and demo data from the command line
    publish: bool = False,
) -> Offer:
    if provider.kind != Organisation.Kind.PROVIDER:
        raise ValidationError(_("Only education providers can publish offers."))
    areas = list(areas)
    offer_validate(data=data, areas=areas)
    ext = (data.get("external_id") or "").strip()
    if ext and Offer.objects.filter(provider=provider, external_id=ext).exists():
        raise ValidationError({"external_id": _("Another offer already has this external id.")})
    offer = Offer(provider=provider, created_by=by if by and by.is_authenticated else None)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(offer, field, data[field])
    offer.external_id = ext
    if publish:
        offer.status = Offer.Status.PUBLISHED
        offer.published_at = timezone.now()
    offer.save()
    offer.areas.set(areas)
    offer_search_refresh(offer_ids=[offer.pk])
    _send_after_save(offer, None)
    return offer


@transaction.atomic
def offer_update(
    *, offer: Offer, data: dict[str, Any], areas: Iterable[CompetenceArea] | None = None,
) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    areas = list(areas) if areas is not None else list(offer.areas.all())
    merged = {f: getattr(offer, f) for f in EDITABLE_FIELDS} | data
    offer_validate(data=merged, areas=areas)
    ext = (merged.get("external_id") or "").strip()
    if ext and Offer.objects.filter(provider=offer.provider_id, external_id=ext).exclude(
        pk=offer.pk
    ).exists():
        raise ValidationError({"external_id": _("Another offer already has this external id.")})
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(offer, field, data[field])
    offer.external_id = ext
    offer.save()
    offer.areas.set(areas)
    offer_search_refresh(offer_ids=[offer.pk])
    if offer.status == Offer.Status.PUBLISHED:
        offer_changed.send(sender=Offer, offer_id=offer.pk)
    return offer


def _move(offer: Offer, status: str) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status == status:
        return offer  # idempotent: a double click changes nothing and sends nothing
    if not offer.can_move_to(status):
        raise ValidationError(_("This offer cannot change to that status."),
                              code="illegal_transition")
    previous = offer.status
    offer.status = status
    if status == Offer.Status.PUBLISHED:
        offer_validate(
            data={f: getattr(offer, f) for f in EDITABLE_FIELDS}, areas=offer.areas.all()
        )
        offer.published_at = timezone.now()
    offer.save(update_fields=["status", "published_at", "updated_at"])
    _send_after_save(offer, previous)
    return offer


@transaction.atomic
def offer_publish(*, offer: Offer) -> Offer:
    return _move(offer, Offer.Status.PUBLISHED)


@transaction.atomic
def offer_archive(*, offer: Offer) -> Offer:
    return _move(offer, Offer.Status.ARCHIVED)


@transaction.atomic
def offer_unpublish(*, offer: Offer) -> Offer:
    """Back to draft (e.g. to fix it quietly); matching treats it as gone."""
    return _move(offer, Offer.Status.DRAFT)


@transaction.atomic
def offer_duplicate(*, offer: Offer, by: User) -> Offer:
    """A draft copy (without external id, so a later import cannot confuse the two)."""
    copy = Offer.objects.get(pk=offer.pk)
    areas = list(copy.areas.all())
    copy.pk = None
    copy.id = None
    copy.external_id = ""
    copy.title = _("Copy of %(title)s") % {"title": offer.title}
    copy.title = copy.title[:200]
    copy.status = Offer.Status.DRAFT
    copy.published_at = None
    copy.search_vector = None
    copy.created_by = by
    copy._state.adding = True
    copy.save()
    copy.areas.set(areas)
    offer_search_refresh(offer_ids=[copy.pk])
    return copy


@transaction.atomic
def offer_draft_create(
    *, provider: Organisation, data: dict[str, Any], areas: Iterable[CompetenceArea], by: User,
) -> Offer:
    """A draft started on the provider's behalf (e.g. from a meeting's outcome). It may be
    incomplete — hours, credits or format can be missing — because publishing runs the full
    `offer_validate`; only the rules that hold for any draft are checked here."""
    if provider.kind != Organisation.Kind.PROVIDER:
        raise ValidationError(_("Only education providers can publish offers."))
    if not (data.get("title") or "").strip():
        raise ValidationError({"title": _("Give the offer a title.")})
    price = data.get("price_nok")
    if price is not None and Decimal(price) < 0:
        raise ValidationError({"price_nok": _("The price cannot be negative.")})
    offer = Offer(provider=provider, status=Offer.Status.DRAFT,
                  created_by=by)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(offer, field, data[field])
    offer.title = offer.title.strip()[:200]
    offer.save()
    offer.areas.set(list(areas))
    offer_search_refresh(offer_ids=[offer.pk])
    return offer
