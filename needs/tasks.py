"""Celery tasks of the needs app: thin, they load by id and call a service.

Services queue these with `portal.celery.enqueue_on_commit`; the services are imported inside
the task bodies, so `needs.services` may import this module at the top without a circle.
"""

from __future__ import annotations

from celery import shared_task

from portal.celery import MAIL_TASK


@shared_task(**MAIL_TASK)
def send_survey_receipt(response_id: int) -> int:
    from .services.receipt import survey_receipt_send

    return survey_receipt_send(response_id=response_id)


@shared_task(acks_late=True)
def need_import_task(*, need_import_id: int, user_id: int | None, job_id: int) -> None:
    """A confirmed needs import: rows are checked with progress (rows validated / total), then
    applied all or nothing; a file that no longer validates fails the job with the reason."""
    from django.core.exceptions import ValidationError

    from portal.jobs import job_advance, job_fail, job_finish, job_start
    from portal.models import User

    from . import importing
    from .models import NeedImport

    need_import = NeedImport.objects.filter(pk=need_import_id).first()
    if need_import is None:
        job_fail(job_id=job_id, message="–")
        return
    user = User.objects.filter(pk=user_id).first() if user_id else None

    def progress(done: int, total: int) -> None:
        if done == 0:
            job_start(job_id=job_id, total=total)
        job_advance(job_id=job_id, steps=done)

    # A first pass outside the import's transaction, so the page sees the count grow.
    importing.parse_needs_file(need_import.read(), need_import.filename,
                               round=need_import.round, progress=progress)
    try:
        result = importing.need_import_confirm(need_import=need_import, by=user)
    except ValidationError as exc:
        job_fail(job_id=job_id, message=" ".join(exc.messages))
        return
    job_finish(job_id=job_id, summary=result.counts())


@shared_task(acks_late=True, run_inline_when_broker_down=True)
def need_import_preview_task(*, need_import_id: int, job_id: int, language: str = "") -> None:
    """Checks an uploaded needs file row by row (the preview page shows rows validated /
    total), in the uploader's language, and keeps the preview on the upload. With the broker
    down it runs in the web process: the adviser still gets a preview."""
    from portal.jobs import job_run_preview

    from . import importing
    from .models import NeedImport

    job_run_preview(
        job_id=job_id, language=language,
        upload=NeedImport.objects.filter(pk=need_import_id).first(),
        preview=lambda need_import: importing.need_import_preview(need_import=need_import,
                                                                  job_id=job_id))
