"""“Meld interesse”: a business says an offer is what it needs. The write lives here, beside
matching's other services, because it joins a need (needs) and an offer (offers), which only
matching may know together."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from needs.models import Need
from needs.services import need_create
from needs.services.needs import EDITABLE_STATUSES
from offers.models import Offer
from portal.models import Organisation, User
from portal.notifications import advisers_for, notification_send_many

from .models import OfferInterest


def offer_need_draft_data(offer: Offer) -> dict:
    """A need drafted from the offer: its main area, level and format, its title."""
    area = offer.areas.order_by("sort_order", "code").first()
    return {"area": area, "title": offer.title[:200], "participants": 1,
            "level": offer.level or "", "formats": [offer.format] if offer.format else [],
            "willing_to_share": True}


@transaction.atomic
def offer_interest_register(
    *, organisation: Organisation, offer: Offer, by: User, need: Need | None = None,
) -> tuple[OfferInterest, Need]:
    """Records the interest; without `need`, a draft need prefilled from the offer is started
    for the business to complete. The advisers are told either way."""
    if need is None:
        need = need_create(organisation=organisation, data=offer_need_draft_data(offer), by=by)
    elif need.organisation_id != organisation.pk or need.status not in EDITABLE_STATUSES:
        raise ValidationError({"need": gettext("Choose one of your open needs.")})
    interest, _created = OfferInterest.objects.update_or_create(
        organisation=organisation, offer=offer, defaults={"need": need, "created_by": by})
    notification_send_many(
        recipients=advisers_for(organisation), kind="interest_registered",
        params={"business": organisation.name, "offer": offer.title},
        link=reverse("needs:need_detail", args=[need.pk]), exclude=by)
    return interest, need
