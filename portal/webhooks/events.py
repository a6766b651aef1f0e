"""The events a webhook endpoint can subscribe to, and who may receive each message."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ..models import Organisation, WebhookEndpoint

EVENT_TYPES: dict[str, str] = {
    "need.submitted": _("A need was submitted"),
    "need.withdrawn": _("A need was withdrawn"),
    "match.proposed": _("A course was proposed to a business"),
    "match.accepted": _("A business accepted a proposal"),
    "match.declined": _("A business declined a proposal"),
    "offer.published": _("An offer was published"),
    "offer.archived": _("An offer was archived"),
    "offer.unpublished": _("An offer was taken back to draft"),
    "cohort.shared": _("Pooled demand was sent to a provider"),
    "cohort.answered": _("A provider answered a cohort request"),
}


def endpoints_for(
    *, event_type: str, organisation: Organisation | None, public: bool
) -> list[WebhookEndpoint]:
    """Active endpoints that subscribed to the event and may see its data: the organisation's
    own, the county's (advisers see every organisation's data), and anyone's if it is public."""
    qs: QuerySet[WebhookEndpoint] = WebhookEndpoint.objects.filter(is_active=True)
    if not public:
        audience = Q(organisation__kind=Organisation.Kind.COUNTY)
        if organisation is not None:
            audience |= Q(organisation=organisation)
        qs = qs.filter(audience)
    # The events list is short JSON; filtering it in Python works on every database.
    return [e for e in qs.order_by("pk") if event_type in e.events]
