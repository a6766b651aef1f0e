"""Celery tasks of the matching app. Each loads ids and calls one engine or cohort function;
all are idempotent, acknowledged late and retried when the database hiccups."""

from __future__ import annotations

from dataclasses import asdict

from celery import chord, shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from portal.celery import MAIL_TASK
from portal.jobs import job_advance, job_create, job_fail, job_finish, job_start

from . import engine
from .cohorts import cohorts_rebuild
from .models import MatchingSettings

RETRYING = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
    "acks_late": True,
}
CHUNK_SIZE = 5000


def _scores_changed(need_id: int | None = None) -> None:
    # The engine writes scores in bulk (no model signals); the barometer's gap figures read
    # them, so its cached figures get a new version (one need: only its round's).
    from needs.models import Need

    from .barometer.cache import invalidate

    round_id = None
    if need_id is not None:
        round_id = Need.objects.filter(pk=need_id).values_list("round_id", flat=True).first()
    invalidate(round_id)


@shared_task(**RETRYING)
def match_need(need_id: int) -> dict:
    result = asdict(engine.match_need(need_id=need_id))
    _scores_changed(need_id)
    return result


@shared_task(**RETRYING)
def match_offer(offer_id: int) -> dict:
    result = asdict(engine.match_offer(offer_id=offer_id))
    _scores_changed()
    return result


@shared_task(**RETRYING)
def retire_need(need_id: int) -> None:
    engine.retire_need(need_id=need_id)


@shared_task(**RETRYING)
def match_needs_chunk(need_ids: list[int], job_id: int | None = None) -> dict:
    result = asdict(engine.match_needs(need_ids=need_ids))
    job_advance(job_id=job_id, steps=len(need_ids))
    return result


@shared_task(**RETRYING)
def rebuild_cohorts() -> dict:
    return asdict(cohorts_rebuild())


@shared_task(**RETRYING)
def finish_rematch(chunk_results: list[dict] | None = None, *, started_at: str,
                   job_id: int | None = None) -> dict:
    """The chord's last step: close the full run, then pool the fresh matches into cohorts."""
    results = chunk_results or []
    try:
        engine.finish_full_run(
            started_at=parse_datetime(started_at),
            needs=sum(r.get("needs", 0) for r in results),
            matches_written=sum(r.get("matches_written", 0) for r in results))
        cohorts = asdict(cohorts_rebuild())
        _scores_changed()
    except Exception as exc:
        job_fail(job_id=job_id, message=str(exc))
        raise
    cohorts.pop("keys", None)
    cohorts.pop("new_opportunities", None)
    summary = {"chunks": len(results), "needs": sum(r.get("needs", 0) for r in results),
               "matches": sum(r.get("matches_written", 0) for r in results),
               "cohorts": cohorts}
    job_finish(job_id=job_id, summary=summary)
    return summary


@shared_task(**RETRYING)
def rematch_all(chunk_size: int = CHUNK_SIZE, job_id: int | None = None) -> dict:
    """Fans the full re-match out in chunks of needs, so every worker on every host takes a
    share; the chord's final step runs once all chunks are done. Returns the chunk count and
    the id of that final step's result."""
    MatchingSettings.current()  # exists before the run starts (the night compares times)
    started_at = timezone.now().isoformat()
    # Every full run (the nightly one too) has a job: its page shows the progress, and the
    # settings page when the last run happened, how long it took and what it changed.
    if job_id is None:
        job_id = job_create(kind="rematch").pk
    ids = engine.matchable_need_ids()
    job_start(job_id=job_id, total=len(ids))
    chunks = [ids[i:i + chunk_size] for i in range(0, len(ids), chunk_size)]
    if not chunks:
        final = finish_rematch.delay([], started_at=started_at, job_id=job_id)
    else:
        final = chord(match_needs_chunk.s(chunk, job_id) for chunk in chunks)(
            finish_rematch.s(started_at=started_at, job_id=job_id))
    return {"chunks": len(chunks), "finish_id": final.id, "job_id": job_id}


@shared_task(**RETRYING)
def rematch_nightly() -> dict:
    """The nightly beat task: when a full run is due (none yet, settings changed, a week
    passed) it fans out like rematch_all; otherwise it re-scores here only the needs the day
    changed (engine/nightly.py) and rebuilds the cohorts, which writes only what changed."""
    if engine.nightly_plan(timezone.localdate()) is None:
        return {"kind": "full", **rematch_all()}
    kind, result = engine.match_nightly()
    cohorts = asdict(cohorts_rebuild())
    cohorts.pop("keys", None)
    cohorts.pop("new_opportunities", None)
    _scores_changed()
    return {"kind": kind, **asdict(result), "cohorts": cohorts}


@shared_task(**RETRYING)
def sweep_unmatched() -> dict:
    """Matches what a dead broker or a crash made us miss; cheap when nothing is due."""
    need_ids = engine.needs_due_for_matching()
    if need_ids:
        engine.match_needs(need_ids=need_ids)
    offer_ids = engine.offers_due_for_matching()
    for offer_id in offer_ids:
        engine.match_offer(offer_id=offer_id)
    return {"needs": len(need_ids), "offers": len(offer_ids)}


@shared_task(**MAIL_TASK)
def send_proposal_email(match_id: int) -> int:
    from .emails import proposal_email_send

    return proposal_email_send(match_id=match_id)


@shared_task(**MAIL_TASK)
def send_cohort_request_email(request_id: int) -> int:
    from .emails import cohort_request_email_send

    return cohort_request_email_send(request_id=request_id)


# The meeting place's tasks live next to its services; importing them here registers them with
# Celery's autodiscovery (which looks for `matching.tasks`).
from .meetings.tasks import send_meeting_mail, send_meeting_reminders  # noqa: E402, F401
