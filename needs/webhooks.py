"""The needs app's webhook events, recorded in the transaction that changes the need.

Connected to the app's own domain signals in `NeedsConfig.ready()`. The payload is what the
business itself and the county's advisers may see; nobody else receives it.
"""

from __future__ import annotations

from django.dispatch import receiver

from portal.webhooks import webhook_emit

from .models import Need
from .signals import need_submitted, need_withdrawn


def need_event_data(need: Need) -> dict:
    return {
        "id": need.pk, "external_ref": need.external_ref, "status": need.status,
        "organisation": {"orgnr": need.organisation.orgnr, "name": need.organisation.name},
        "area": need.area.code, "title": need.title, "participants": need.participants,
        "level": need.level, "round": need.round.name if need.round_id else None,
        "submitted_at": need.submitted_at,
    }


def _emit(event_type: str, need_id: int) -> None:
    need = Need.objects.select_related("organisation", "area", "round").get(pk=need_id)
    webhook_emit(event_type=event_type, data=need_event_data(need),
                 organisation=need.organisation)


@receiver(need_submitted)
def _need_submitted(sender, need_id: int, **kwargs) -> None:
    _emit("need.submitted", need_id)


@receiver(need_withdrawn)
def _need_withdrawn(sender, need_id: int, **kwargs) -> None:
    _emit("need.withdrawn", need_id)
