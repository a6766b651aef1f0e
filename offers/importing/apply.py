"""The apply stage of the offers import: every row of a validated file, all or none."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import Organisation, SpreadsheetUpload, User
from portal.uploads import spreadsheet_upload_claim

from ..models import Offer
from ..services import offer_create, offer_publish, offer_update
from .reading import read_table
from .validation import ImportPreview, preview_rows


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def offer_import_apply(
    *, provider: Organisation, preview: ImportPreview, publish: bool = True,
    by: User | None = None,  # None: `import_offers` on the command line
) -> ImportResult:
    """Create or update every row keyed on (provider, external_id) through the offer services,
    in one transaction: a bad row, or a database error half-way, leaves everything as it was."""
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
            offer_create(provider=provider, data=row.data, areas=row.areas, by=by,
                         publish=publish)
            result.created += 1
        else:
            offer = offer_update(offer=existing, data=row.data, areas=row.areas)
            if publish and offer.status != Offer.Status.PUBLISHED:
                offer_publish(offer=offer)
            result.updated += 1
    return result


offers_import = offer_import_apply  # the name the command and older callers use


def offer_import_confirm(*, upload: SpreadsheetUpload, provider: Organisation,
                         by: User | None) -> ImportResult:
    """The provider confirms a previewed upload: its stored file is read and validated again
    (the catalogue may have changed since the preview) and applied; the upload is marked
    imported in the same transaction, so confirming twice never imports twice. `by` is None
    when the uploader's account is gone by the time the import task runs."""
    publish = bool(upload.options.get("publish", True))
    with transaction.atomic():
        sheet = read_table(upload.read(), upload.filename)
        preview = preview_rows(sheet, provider=provider, publish=publish)
        result = offer_import_apply(provider=provider, preview=preview, publish=publish, by=by)
        spreadsheet_upload_claim(upload=upload, summary=asdict(result))
    return result
