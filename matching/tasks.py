"""Celery tasks of the matching app. Each loads ids and calls one engine or cohort function;
all are idempotent, acknowledged late and retried when the database hiccups."""

from __future__ import annotations

from dataclasses import asdict

from celery import chord, shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from portal.celery import MAIL_TASK

from . import engine
from .cohorts import cohorts_rebuild

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
def match_needs_chunk(need_ids: list[int]) -> dict:
    return asdict(engine.match_needs(need_ids=need_ids))


@shared_task(**RETRYING)
def rebuild_cohorts() -> dict:
    return asdict(cohorts_rebuild())


@shared_task(**RETRYING)
def finish_rematch(chunk_results: list[dict] | None = None, *, started_at: str) -> dict:
    """The chord's last step: close the full run, then pool the fresh matches into cohorts."""
    engine.finish_full_run(started_at=parse_datetime(started_at))
    cohorts = asdict(cohorts_rebuild())
    _scores_changed()
    results = chunk_results or []
    return {"chunks": len(results), "needs": sum(r.get("needs", 0) for r in results),
            "matches": sum(r.get("matches_written", 0) for r in results), "cohorts": cohorts}


@shared_task(**RETRYING)
def rematch_all(chunk_size: int = CHUNK_SIZE) -> dict:
    """Fans the full re-match out in chunks of needs, so every worker on every host takes a
    share; the chord's final step runs once all chunks are done. Returns the chunk count and
    the id of that final step's result."""
    started_at = timezone.now().isoformat()
    ids = engine.matchable_need_ids()
    chunks = [ids[i:i + chunk_size] for i in range(0, len(ids), chunk_size)]
    if not chunks:
        final = finish_rematch.delay([], started_at=started_at)
    else:
        final = chord(match_needs_chunk.s(chunk) for chunk in chunks)(
            finish_rematch.s(started_at=started_at))
    return {"chunks": len(chunks), "finish_id": final.id}


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
