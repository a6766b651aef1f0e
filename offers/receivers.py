"""Keeps the cached public catalogue and offer pages fresh (see `portal.page_cache`).

Model signals rather than calls in the services: an offer also changes through the admin and
the spreadsheet import, and a provider's name, an area's label or a place name is printed on
the pages too; whichever way such a row is written, the pages must show it at once.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from portal.models import CompetenceArea, Municipality, Organisation
from portal.page_cache import page_cache_invalidate

from .models import Offer

GROUP = "offers"


def _stale(sender, **kwargs) -> None:
    page_cache_invalidate(GROUP)


def connect() -> None:
    for model in (Offer, Organisation, CompetenceArea, Municipality):
        post_save.connect(_stale, sender=model, dispatch_uid=f"offers-pages-{model.__name__}")
        post_delete.connect(_stale, sender=model,
                            dispatch_uid=f"offers-pages-del-{model.__name__}")
    m2m_changed.connect(_stale, sender=Offer.areas.through, dispatch_uid="offers-pages-areas")
