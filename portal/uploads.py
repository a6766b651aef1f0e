"""Writes and reads of the shared upload model, for both spreadsheet imports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Organisation, SpreadsheetUpload, User
from .models.uploads import upload_folder

STALE_AGE = dt.timedelta(days=1)


def spreadsheet_upload_create(
    *, kind: str, data: bytes, filename: str, organisation: Organisation | None = None,
    by: User, options: dict[str, Any] | None = None,
    summary: dict[str, Any] | None = None,
) -> SpreadsheetUpload:
    """Keeps an uploaded file until its import is confirmed (or it goes stale)."""
    upload = SpreadsheetUpload(kind=kind, organisation=organisation, filename=filename[:255],
                               uploaded_by=by, options=options or {}, summary=summary or {})
    upload.file.save(filename, ContentFile(data), save=False)
    upload.save()
    return upload


def spreadsheet_upload_preview_save(*, upload_id: int, preview: dict[str, Any]) -> None:
    """Keeps what the background check found, for the preview page to show. Only while the
    upload waits for confirmation: a confirmed import keeps its import summary."""
    SpreadsheetUpload.objects.filter(
        pk=upload_id, status=SpreadsheetUpload.Status.PREVIEWED).update(summary=preview)


def spreadsheet_upload_claim(*, upload: SpreadsheetUpload,
                             summary: dict[str, Any]) -> SpreadsheetUpload:
    """Marks the upload imported, inside the caller's import transaction. The conditional
    UPDATE lets only one of two simultaneous confirmations through; the other is refused and
    its transaction (the second import) is rolled back."""
    changed = SpreadsheetUpload.objects.filter(
        pk=upload.pk, status=SpreadsheetUpload.Status.PREVIEWED
    ).update(status=SpreadsheetUpload.Status.IMPORTED, imported_at=timezone.now(),
             summary=summary)
    if changed != 1:
        raise ValidationError(_("This file has already been imported."), code="imported")
    upload.refresh_from_db()
    return upload


def spreadsheet_upload_discard(*, upload: SpreadsheetUpload) -> None:
    """An upload the user cancelled: the file and its row go."""
    if upload.status == SpreadsheetUpload.Status.IMPORTED:
        return
    upload.file.delete(save=False)
    upload.delete()


@transaction.atomic
def spreadsheet_uploads_sweep(*, kind: str, organisation: Organisation | None = None) -> int:
    """Removes uploads never confirmed (a closed tab) after a day, and files in the folder
    that no upload row knows. Run on the next upload. Returns the number of files removed."""
    cutoff = timezone.now() - STALE_AGE
    stale = SpreadsheetUpload.objects.filter(
        kind=kind, organisation=organisation, status=SpreadsheetUpload.Status.PREVIEWED,
        created_at__lt=cutoff)
    removed = 0
    for upload in stale:
        upload.file.delete(save=False)
        upload.delete()
        removed += 1
    folder = upload_folder(kind, organisation.pk if organisation else None)
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return removed
    known = set(SpreadsheetUpload.objects.filter(file__startswith=folder + "/")
                .values_list("file", flat=True))
    for name in files:
        path = f"{folder}/{name}"
        if path not in known and default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed


# Seconds between two looks of the preview page while the file is being checked.
PREVIEW_POLL_SECONDS = 2


def spreadsheet_upload_preview_state(upload: SpreadsheetUpload) -> dict[str, Any]:
    """What the preview page shows of an upload: the background check's job while it runs
    (progress), its message when the file could not be used, or the stored preview."""
    from .jobs import job_find
    from .models import Job

    job = job_find(upload.options.get("preview_job_id"))
    status = job.status if job is not None else ""
    preview = upload.summary if "counts" in (upload.summary or {}) else None
    return {
        "job": job,
        "checking": status in (Job.Status.QUEUED, Job.Status.RUNNING),
        "failed": status == Job.Status.FAILED,
        "preview": preview,
        "poll_seconds": PREVIEW_POLL_SECONDS,
    }
