"""The engine's entry points: score, select, explain and write, for one need, many or an offer."""

from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from needs.models import Need
from offers.models import Offer

from ..models import EngineRun, Match, MatchingSettings, NeedMatchState, OfferMatchState
from . import data, explain, persist
from .selection import Selection, select_top

CHUNK_NEEDS = 20_000  # needs scored and written per transaction in a full run
# Chunks written at once (each its own connection and transaction, on different needs): once
# scoring is done, a second writer keeps the second core busy.
WRITERS = 2


@dataclass
class MatchRunResult:
    needs: int = 0
    offers: int = 0
    pairs_considered: int = 0
    matches_written: int = 0
    seconds_loading: float = 0.0
    seconds_scoring: float = 0.0
    seconds_writing: float = 0.0

    def add(self, other: MatchRunResult) -> None:
        for name in ("needs", "pairs_considered", "matches_written", "seconds_loading",
                     "seconds_scoring", "seconds_writing"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.offers = max(self.offers, other.offers)


def score_pairs(needs: data.NeedFrame, offers: data.OfferFrame, settings) -> Selection:
    """The vectorised core on in-memory frames: top K per need with components."""
    return select_top(needs, offers, settings)


@dataclass
class _Scored:
    need_ids: Sequence[int]
    frame: data.NeedFrame
    selection: Selection
    reasons: list[str]
    result: MatchRunResult


def _score(need_ids: Sequence[int], settings, offers: data.OfferFrame) -> _Scored:
    started = time.perf_counter()
    frame = data.load_need_frame(data.matchable_needs().filter(pk__in=_id_set(need_ids)),
                                 offers.municipalities)
    loaded = time.perf_counter()
    selection = select_top(frame, offers, settings)
    reasons = explain.reasons_for_selection(selection, frame, offers)
    result = MatchRunResult(needs=len(frame), offers=len(offers),
                            pairs_considered=selection.pairs_considered,
                            seconds_loading=loaded - started,
                            seconds_scoring=time.perf_counter() - loaded)
    return _Scored(need_ids, frame, selection, reasons, result)


def _id_set(ids: Sequence[int]):
    """`pk__in` for thousands of ids: on PostgreSQL one array parameter, not one placeholder
    per id (building and parsing 20 000 placeholders costs more than the query)."""
    if connection.vendor != "postgresql" or len(ids) < 100:
        return ids
    return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])


def _write(scored: _Scored) -> MatchRunResult:
    started = time.perf_counter()
    frame_ids = scored.frame.ids.tolist()
    scored.result.matches_written = persist.write_matches(
        selection=scored.selection, reasons=scored.reasons, need_ids=frame_ids)
    for need_id in set(scored.need_ids) - set(frame_ids):
        persist.retire_matches(need_id=need_id)  # withdrawn or not submitted any more
    scored.result.seconds_writing = time.perf_counter() - started
    return scored.result


def _write_in_thread(scored: _Scored) -> MatchRunResult:
    try:
        return _write(scored)
    finally:
        connection.close()  # this thread's own connection


def _run_chunks(chunks: list[Sequence[int]], settings, offers: data.OfferFrame,
                result: MatchRunResult) -> None:
    """Scores chunk after chunk; on PostgreSQL, writer threads store the scored chunks
    meanwhile. Scoring is Python and NumPy in this thread, writing is mostly the database
    server's work in its own processes, so a long run keeps both cores busy instead of
    taking turns. Inside a caller's transaction (tests, an atomic block) a thread could not
    see the caller's rows, so chunks are then written in turn."""
    if len(chunks) < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        for chunk in chunks:
            result.add(_write(_score(chunk, settings, offers)))
        return
    with ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="match-writer") as pool:
        pending: deque = deque()
        for chunk in chunks:
            scored = _score(chunk, settings, offers)
            if len(pending) == WRITERS:
                result.add(pending.popleft().result())  # bounded memory: few chunks wait
            pending.append(pool.submit(_write_in_thread, scored))
        while pending:
            result.add(pending.popleft().result())


def match_needs(*, need_ids: Sequence[int] | None = None, chunk_size: int = CHUNK_NEEDS,
                today: dt.date | None = None) -> MatchRunResult:
    """Matches the given needs (None: every matchable need) against all offers live on
    `today` (default: the local date)."""
    started = time.perf_counter()
    settings = MatchingSettings.current()  # read first: the run uses these, changed or not
    run_started_at = timezone.now()
    offers = data.offer_frame(today)
    result = MatchRunResult(offers=len(offers), seconds_loading=time.perf_counter() - started)
    full = need_ids is None
    ids = matchable_need_ids() if full else sorted({int(i) for i in need_ids})
    _run_chunks([ids[i:i + chunk_size] for i in range(0, len(ids), chunk_size)],
                settings, offers, result)
    if full:
        finish_full_run(started_at=run_started_at, day=today, needs=result.needs,
                        matches_written=result.matches_written)
    return result


def finish_full_run(*, started_at, day: dt.date | None = None, needs: int = 0,
                    matches_written: int = 0) -> None:
    """After every matchable need was scored (in one process or in chunks on many workers):
    every offer has been considered, and needs no longer matchable lose their suggestions.
    The run is recorded: the nightly run re-scores only what changed since (nightly.py)."""
    _mark_offers_matched(Offer.objects.filter(updated_at__lte=started_at), started_at)
    stale = Match.objects.exclude(need__status__in=Need.MATCHABLE).filter(
        status=Match.Status.SUGGESTED).values_list("need_id", flat=True).distinct()
    for need_id in list(stale):
        persist.retire_matches(need_id=need_id)
    EngineRun.objects.create(kind=EngineRun.Kind.FULL, started_at=started_at,
                             day=day or timezone.localdate(started_at), needs=needs,
                             matches_written=matches_written)


def matchable_need_ids() -> list[int]:
    return list(data.matchable_needs().order_by("pk").values_list("pk", flat=True))


def match_need(*, need_id: int) -> MatchRunResult:
    return match_needs(need_ids=[need_id])


def match_offer(*, offer_id: int, today: dt.date | None = None) -> MatchRunResult:
    """Re-scores the needs this offer can concern (its areas) and those already matched to it."""
    offer = Offer.objects.filter(pk=offer_id).first()
    if offer is None:
        return MatchRunResult()
    started_at = timezone.now()
    tops = {code.split(".")[0] for code in offer.areas.values_list("code", flat=True)}
    area_filter = Q()
    for top in tops:
        area_filter |= Q(area__code=top) | Q(area__code__startswith=f"{top}.")
    need_ids = set(data.matchable_needs().filter(area_filter).values_list("pk", flat=True)) \
        if tops else set()
    need_ids |= set(Match.objects.filter(offer_id=offer_id).values_list("need_id", flat=True))
    result = match_needs(need_ids=sorted(need_ids), today=today)
    _mark_offers_matched(Offer.objects.filter(pk=offer_id), started_at)
    return result


def retire_need(*, need_id: int) -> None:
    persist.retire_matches(need_id=need_id)


def _mark_offers_matched(offers, at) -> None:
    OfferMatchState.objects.bulk_create(
        [OfferMatchState(offer_id=pk, matched_at=at) for pk in offers.values_list("pk", flat=True)],
        update_conflicts=True, unique_fields=["offer"], update_fields=["matched_at"],
        batch_size=2000,
    )


def needs_due_for_matching() -> list[int]:
    """Needs the engine has not seen since they last changed (e.g. the broker was down)."""
    never_or_stale = Q(match_state__isnull=True) | Q(match_state__matched_at__lt=F("updated_at"))
    due = Need.objects.filter(status__in=Need.MATCHABLE).filter(never_or_stale)
    withdrawn = Need.objects.exclude(status__in=Need.MATCHABLE).filter(
        matches__status=Match.Status.SUGGESTED)
    return sorted(set(due.values_list("pk", flat=True)) |
                  set(withdrawn.values_list("pk", flat=True)))


def offers_due_for_matching() -> list[int]:
    never_or_stale = Q(match_state__isnull=True) | Q(match_state__matched_at__lt=F("updated_at"))
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED).filter(never_or_stale)
    gone = Offer.objects.exclude(status=Offer.Status.PUBLISHED).filter(never_or_stale).filter(
        matches__status=Match.Status.SUGGESTED)
    return sorted(set(published.values_list("pk", flat=True)) |
                  set(gone.values_list("pk", flat=True)))


__all__ = ["MatchRunResult", "NeedMatchState", "match_need", "match_needs", "match_offer",
           "needs_due_for_matching", "offers_due_for_matching", "retire_need", "score_pairs"]
