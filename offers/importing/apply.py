"""The apply stage of the offers import: every row of a validated file, all or none."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.celery import enqueue_on_commit
from portal.jobs import job_advance, job_create, job_fail, job_finish, job_start
from portal.models import Organisation, SpreadsheetUpload, User
from portal.spreadsheets import SpreadsheetError
from portal.uploads import (
    spreadsheet_upload_claim,
    spreadsheet_upload_create,
    spreadsheet_upload_preview_save,
    spreadsheet_uploads_sweep,
)

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


def offer_import_upload(*, provider: Organisation, data: bytes, filename: str,
                        publish: bool = False, by: User,
                        language: str = "") -> SpreadsheetUpload:
    """Keeps the provider's file and queues its check (a Celery task, on commit); the preview
    page shows the rows validated / total, then what the import would do."""
    spreadsheet_uploads_sweep(kind=SpreadsheetUpload.Kind.OFFERS, organisation=provider)
    job = job_create(kind="offer_preview", by=by)
    upload = spreadsheet_upload_create(
        kind=SpreadsheetUpload.Kind.OFFERS, data=data, filename=filename, organisation=provider,
        by=by, options={"publish": publish, "preview_job_id": job.pk})
    from ..tasks import offer_import_preview_task

    enqueue_on_commit(offer_import_preview_task, upload_id=upload.pk, job_id=job.pk,
                      language=language)
    return upload


def offer_import_preview(*, upload: SpreadsheetUpload, job_id: int | None = None) -> None:
    """The background check of an upload: every row validated (the job counts them), the
    preview kept on the upload for its page. A file that cannot be used at all (encoding,
    columns) fails the job with the reason."""
    try:
        sheet = read_table(upload.read(), upload.filename)
    except SpreadsheetError as exc:
        job_fail(job_id=job_id, message=str(exc))
        return
    job_start(job_id=job_id, total=len(sheet.rows))
    preview = preview_rows(sheet, provider=upload.organisation,
                           publish=bool(upload.options.get("publish", False)),
                           progress=lambda n: job_advance(job_id=job_id, steps=n))
    spreadsheet_upload_preview_save(upload_id=upload.pk, preview=preview.as_data())
    if not preview.rows:
        job_fail(job_id=job_id, message=_("The file has no offers."))
        return
    job_finish(job_id=job_id, summary={"rows": len(preview.rows),
                                       "errors": len(preview.bad_rows)})
