"""The offers app's part of a person's GDPR export: the offers they created."""

from __future__ import annotations

from portal.personal_data import when

from .models import Offer


def export(user) -> dict:
    return {
        "offers_created": [
            {"id": o.pk, "provider": o.provider.name, "title": o.title, "status": o.status,
             "created_at": when(o.created_at)}
            for o in Offer.objects.filter(created_by=user).select_related("provider")
        ],
    }
