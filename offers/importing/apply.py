"""Applying a validated import: all rows or none."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import Organisation

from ..models import Offer
from ..services import offer_create, offer_publish, offer_update
from .validation import ImportPreview


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def offers_import(
    *, provider: Organisation, preview: ImportPreview, publish: bool = True, user=None
) -> ImportResult:
    """Create or update every row keyed on (provider, external_id); any bad row stops it all."""
    if not preview.rows:
        raise ValidationError(_("The file has no offers."))
    if preview.bad_rows:
        raise ValidationError(
            _("%(count)s rows have errors; nothing was imported.")
            % {"count": len(preview.bad_rows)}
        )
    result = ImportResult()
    for row in preview.rows:
        if row.action == "unchanged":
            result.unchanged += 1
            continue
        existing = Offer.objects.filter(provider=provider, external_id=row.external_id).first()
        if existing is None:
            offer_create(provider=provider, data=row.data, areas=row.areas, user=user,
                         publish=publish)
            result.created += 1
        else:
            offer = offer_update(offer=existing, data=row.data, areas=row.areas)
            if publish and offer.status != Offer.Status.PUBLISHED:
                offer_publish(offer=offer)
            result.updated += 1
    return result
