"""The work queue's counts by status, kept a minute in the cache (see `match_status_counts`).

Re-exported by `matching.selectors`, where the pages find them.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db.models import Count

from portal import access
from portal.models import User

from .models import Match

# Counting a county's 100 000 matches on every page of the queue costs more than the page;
# the counts (per adviser scope) are kept for a minute and dropped whenever an adviser moves a
# match (a MatchEvent, matching/receivers.py). The engine's bulk suggestions show within the
# minute.
COUNTS_KEY = "matching:status-counts"
COUNTS_SECONDS = 60


def _counts_by_status_and_current(user: User) -> dict[tuple[str, bool], int]:
    scope = access.adviser_scope(user)
    version_key = f"{COUNTS_KEY}:version"
    key = f"{COUNTS_KEY}:{'all' if scope is None else ','.join(sorted(scope))}"
    # The version and the counts in one round trip; counts stored under an older version
    # are stale.
    found = cache.get_many([version_key, key])
    version = found.get(version_key) or 0
    stored = found.get(key)
    if stored is not None and stored[0] == version:
        rows = stored[1]
    else:
        from .selectors import MATCH_MUNICIPALITY

        qs = access.restrict_to_scope(Match.objects.all(), user, MATCH_MUNICIPALITY)
        rows = [list(row) for row in qs.values_list("status", "is_current")
                .annotate(n=Count("id")).order_by()]
        cache.set(key, (version, rows), COUNTS_SECONDS)
    return {(status, bool(current)): n for status, current, n in rows}


def match_counts_forget() -> None:
    cache.set(f"{COUNTS_KEY}:version", time.time(), None)


def match_status_counts(*, user: User) -> dict[str, int]:
    return match_queue_counts(user=user)[0]


def match_queue_size(*, user: User) -> int:
    """How many matches the unfiltered queue holds (`match_queue(user=user)`), from the same
    counts."""
    return match_queue_counts(user=user)[1]


def match_queue_counts(*, user: User) -> tuple[dict[str, int], int]:
    """Both of the above from one read of the cache: the counts by status, and the size of
    the unfiltered queue."""
    rows = _counts_by_status_and_current(user)
    counts: dict[str, int] = {}
    for (status, _current), n in rows.items():
        counts[status] = counts.get(status, 0) + n
    size = sum(n for (status, current), n in rows.items()
               if current or status != Match.Status.SUGGESTED)
    return {value: counts.get(value, 0) for value, _label in Match.Status.choices}, size
