"""Progress of long work: a `Job` row that the Celery task updates and a page polls.

A task is handed the job's id; it calls `job_start(total=…)`, `job_advance(steps=…)` as it goes
(one UPDATE with F(), so parallel chunks on several workers add up correctly), then
`job_finish(summary=…)` or `job_fail(message=…)`. Without a broker the task runs in-process,
so the job is already done when the page first shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from .models import Job, User


def job_create(*, kind: str,
               by: User | None = None,  # None: work started by celery beat, not by a person
               total: int = 0) -> Job:
    return Job.objects.create(kind=kind, created_by=by, total=total)


def job_start(*, job_id: int | None, total: int) -> None:
    if job_id is None:
        return
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, total=total, done=0,
                                         started_at=timezone.now())


def job_advance(*, job_id: int | None, steps: int = 1) -> None:
    if job_id is None or steps <= 0:
        return
    Job.objects.filter(pk=job_id).update(done=Least(F("done") + steps, F("total")))


def job_finish(*, job_id: int | None, summary: dict[str, Any]) -> None:
    if job_id is None:
        return
    Job.objects.filter(pk=job_id).update(status=Job.Status.DONE, summary=summary,
                                         done=F("total"), finished_at=timezone.now())


def job_fail(*, job_id: int | None, message: str) -> None:
    if job_id is None:
        return
    Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, message=message[:2000],
                                         finished_at=timezone.now())


def job_progress(job_id: int | None) -> Callable[[int, int], None]:
    """A `progress(done_since_last_call, total)` callback for the spreadsheet pipeline: the
    first call (done 0) starts the job with its total, later ones advance it."""
    def report(done: int, total: int) -> None:
        if done == 0:
            job_start(job_id=job_id, total=total)
        job_advance(job_id=job_id, steps=done)
    return report


def job_run_preview(*, job_id: int, language: str, upload: Any | None,
                    preview: Callable[[Any], None]) -> None:
    """Runs a spreadsheet preview (`preview(upload)`) as the job `job_id`, in the uploader's
    language. A vanished upload fails the job with a message; so does an error of ours, which
    is then raised again for the worker's log and retry policy."""
    from django.utils import translation
    from django.utils.translation import gettext

    from .mail import language_or_default

    with translation.override(language_or_default(language)):
        if upload is None:
            job_fail(job_id=job_id,
                     message=gettext("The uploaded file has expired. Upload it again."))
            return
        try:
            preview(upload)
        except Exception:
            job_fail(job_id=job_id, message=gettext(
                "The file could not be checked because of an error on our side. Try again "
                "later."))
            raise


def job_find(pk: int | None) -> Job | None:
    return Job.objects.filter(pk=pk).first() if pk else None


def job_last(kind: str) -> Job | None:
    return Job.objects.filter(kind=kind, status=Job.Status.DONE).order_by(
        "-finished_at", "-pk").first()


def job_status(job: Job) -> dict[str, Any]:
    """What the status endpoint returns: state, counts, and the summary or the message."""
    data: dict[str, Any] = {"id": job.pk, "kind": job.kind, "status": job.status,
                            "total": job.total, "done": job.done, "percent": job.percent}
    if job.status == Job.Status.DONE:
        data["summary"] = job.summary
    if job.status == Job.Status.FAILED:
        data["message"] = job.message
    return data
