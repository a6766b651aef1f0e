"""The offers app's webhook events, recorded in the transaction that changes the offer.

Connected to the app's own domain signals in `OffersConfig.ready()`. An offer that has been in
the public catalogue is public data (so is its leaving it, archived or back to draft); one
archived without ever being published goes only to its provider's and the county's
endpoints.
"""

from __future__ import annotations

from django.dispatch import receiver

from portal.webhooks import webhook_emit

from .models import Offer
from .signals import offer_archived, offer_published


def offer_event_data(offer: Offer) -> dict:
    return {
        "id": offer.pk, "external_id": offer.external_id, "title": offer.title,
        "status": offer.status,
        "provider": {"orgnr": offer.provider.orgnr, "name": offer.provider.name},
        "areas": sorted(a.code for a in offer.areas.all()), "level": offer.level,
        "format": offer.format, "start_date": offer.start_date,
        "municipality": offer.municipality.code if offer.municipality_id else None,
    }


def _emit(event_type: str, offer_id: int) -> None:
    offer = Offer.objects.select_related("provider", "municipality").get(pk=offer_id)
    webhook_emit(event_type=event_type, data=offer_event_data(offer),
                 organisation=offer.provider, public=offer.published_at is not None)


@receiver(offer_published)
def _offer_published(sender, offer_id: int, **kwargs) -> None:
    _emit("offer.published", offer_id)


@receiver(offer_archived)
def _offer_archived(sender, offer_id: int, **kwargs) -> None:
    # For matching both mean "gone"; a receiver is told which: archived for good, or taken
    # back to draft from the catalogue (it may come back, published again).
    status = Offer.objects.filter(pk=offer_id).values_list("status", flat=True).first()
    if status == Offer.Status.ARCHIVED:
        _emit("offer.archived", offer_id)
    elif status == Offer.Status.DRAFT:
        _emit("offer.unpublished", offer_id)
