"""The nightly run, incremental: re-score only what the day changed.

Scores depend on the date in one place only: which offers are live (data.live_offers: the
application deadline has not passed, the offer has not ended or, without an end date, not
started). So after a full run, a night re-scores just
  * the needs with a current match to an offer that crossed one of those boundaries since
    the last run (its top list loses that offer and takes the next one), and
  * the needs and offers that changed and were not matched since (the ten-minute sweep's
    work, in case it lagged),
and the writer rewrites only rows whose score or explanation changed. A full run happens
instead when none has been recorded, when the matching settings changed since the last one,
or once every FULL_EVERY_DAYS (the catalogue's word statistics drift as offers come and go).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from offers.models import Offer

from ..models import EngineRun, Match, MatchingSettings
from .run import (
    MatchRunResult,
    match_needs,
    match_offer,
    needs_due_for_matching,
    offers_due_for_matching,
)

FULL_EVERY_DAYS = 7


def crossed_offers(since: dt.date, today: dt.date):
    """Offers that left the live set on a day in [since, today): deadline passed, ended, or
    (without an end date) started."""
    return Offer.objects.filter(
        Q(application_deadline__gte=since, application_deadline__lt=today)
        | Q(end_date__gte=since, end_date__lt=today)
        | Q(end_date__isnull=True, on_demand=False, start_date__gte=since, start_date__lt=today)
    )


def nightly_plan(today: dt.date) -> list[int] | None:
    """The needs tonight must re-score, or None when a full run is due."""
    last_full = EngineRun.objects.filter(kind=EngineRun.Kind.FULL).first()
    if last_full is None or (today - last_full.day).days >= FULL_EVERY_DAYS:
        return None
    if MatchingSettings.current().updated_at > last_full.started_at:
        return None
    last = EngineRun.objects.first()
    crossed = crossed_offers(last.day, today)
    need_ids = set(Match.objects.filter(offer__in=crossed, is_current=True)
                   .values_list("need_id", flat=True))
    need_ids |= set(needs_due_for_matching())
    return sorted(need_ids)


def match_nightly(*, today: dt.date | None = None) -> tuple[str, MatchRunResult]:
    """Runs tonight's work in this process; returns the kind of run and its figures."""
    today = today or timezone.localdate()
    plan = nightly_plan(today)
    if plan is None:
        return EngineRun.Kind.FULL, match_needs(today=today)
    started_at = timezone.now()
    result = match_needs(need_ids=plan, today=today) if plan else MatchRunResult()
    for offer_id in offers_due_for_matching():
        result.add(match_offer(offer_id=offer_id, today=today))
    EngineRun.objects.create(kind=EngineRun.Kind.INCREMENTAL, day=today, started_at=started_at,
                             needs=result.needs, matches_written=result.matches_written)
    return EngineRun.Kind.INCREMENTAL, result
