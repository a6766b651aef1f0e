"""The offers app's background work: a confirmed spreadsheet import, with its progress."""

from __future__ import annotations

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from portal.jobs import job_advance, job_fail, job_finish, job_run_preview, job_start
from portal.models import Organisation, SpreadsheetUpload, User


@shared_task(acks_late=True)
def offer_import_task(*, upload_id: int, provider_id: int, user_id: int | None,
                      job_id: int) -> None:
    """Validates the stored upload row by row (the job shows "rows validated / total"), then
    applies it in one transaction. A file that no longer validates fails the job with the
    reason; nothing is written then."""
    from . import importing

    upload = SpreadsheetUpload.objects.filter(pk=upload_id).first()
    provider = Organisation.objects.filter(pk=provider_id).first()
    if upload is None or provider is None:
        job_fail(job_id=job_id, message=gettext("The uploaded file has expired. Upload it again."))
        return
    user = User.objects.filter(pk=user_id).first() if user_id else None
    try:
        sheet = importing.read_table(upload.read(), upload.filename)
        job_start(job_id=job_id, total=len(sheet.rows))
        # A first pass outside the import's transaction, so the page sees the count grow.
        importing.preview_rows(sheet, provider=provider,
                               publish=bool(upload.options.get("publish", False)),
                               progress=lambda n: job_advance(job_id=job_id, steps=n))
        result = importing.offer_import_confirm(upload=upload, provider=provider, by=user)
    except (importing.ImportFileError, ValidationError) as exc:
        job_fail(job_id=job_id, message=" ".join(getattr(exc, "messages", [str(exc)])))
        return
    job_finish(job_id=job_id, summary={"created": result.created, "updated": result.updated,
                                       "unchanged": result.unchanged})


@shared_task(acks_late=True, run_inline_when_broker_down=True)
def offer_import_preview_task(*, upload_id: int, job_id: int, language: str = "") -> None:
    """Checks an uploaded offers file row by row (the preview page shows rows validated /
    total), in the uploader's language, and keeps the preview on the upload. With the broker
    down it runs in the web process: the provider still gets a preview."""
    from . import importing

    upload = SpreadsheetUpload.objects.filter(
        pk=upload_id, organisation__isnull=False).select_related("organisation").first()
    job_run_preview(
        job_id=job_id, language=language, upload=upload,
        preview=lambda upload: importing.offer_import_preview(upload=upload, job_id=job_id))
