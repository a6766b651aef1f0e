"""The barometer's figures are computed once per change, in the background, and every page is
served from the last complete snapshot.

Protecting a round reads every need and runs the suppression (seconds at 10 000 needs), so no
visitor should wait for it. `invalidate` (called on commit by the receivers in
`matching.receivers` on every save or delete of what the barometer counts, and after every
engine run) bumps a version number and queues ONE refresh (`matching.tasks.barometer_refresh`;
while one is queued and not finished, further changes add nothing: a burst of changes costs
one or two refreshes). The refresh computes, for the new version, the protected releases, the
exact micro data the advisers' dashboards are filtered from, and the pages most visited; only
then does that version become the *ready* one. Pages read the ready version: a visit right
after a change gets the figures from before it (seconds old) at cached speed.

Without a worker (no broker: tests, development; `BAROMETER_REFRESH_IN_BACKGROUND`) there is
nothing to wait for: the ready version follows the current one and what a page needs is
computed when it is first asked for. With a worker that does not keep up (its refresh queued
more than `MAX_LAG` ago) a page falls back to that too, so the figures are never stale for
long; and a snapshot older than `STALE_AFTER` is refreshed, which bounds staleness from bulk
writes that send no signals.

The public page is also kept whole (`PAGE_GROUP`, `portal.page_cache`), and its group bumped
whenever figures are published (`mark_ready`; without a worker, on every change). A visit
that finds the page does not read the serving version at all, so for the public page those
two checks run at the page's next miss (within `portal.page_cache.PAGE_SECONDS`).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from portal.page_cache import page_cache_invalidate

from . import selectors, statistics
from .release import build, micro_for_round

logger = logging.getLogger(__name__)

VERSION_KEY = "barometer:version"  # bumped on every change: pages, dashboards, open data
ALL_ROUNDS_KEY = "barometer:all-rounds"  # the protected release of every round
ROUND_KEY = "barometer:round:{}"  # the protected release of one round
READY_KEY = "barometer:ready"  # {"version", "at", "keys"}: the last complete snapshot
QUEUED_KEY = "barometer:refresh-queued"  # when the pending refresh was queued
TIMEOUT = 15 * 60  # what a page computes on demand
KEEP = 6 * 60 * 60  # a snapshot's core items (they are let go when the next one is ready)
SUPERSEDED = 5 * 60  # how long a replaced snapshot stays for requests already reading it
STALE_AFTER = 15 * 60
MAX_LAG = 2 * 60
# The public page is kept whole per URL and language (`portal.page_cache.public_page`); its
# group is bumped whenever new figures are published, so they show at once.
PAGE_GROUP = "barometer"


def _get(key: str) -> int:
    version = cache.get(key)
    if version is None:
        cache.add(key, 1, timeout=None)
        version = cache.get(key) or 1
    return int(version)


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)


def current_version() -> int:
    return _get(VERSION_KEY)


def _background() -> bool:
    return bool(getattr(settings, "BAROMETER_REFRESH_IN_BACKGROUND", False))


def invalidate(round_id: int | None = None) -> None:
    """Called on commit when something the barometer counts changes: the needs or answers of
    one round (`round_id`; only that round's release is protected again) or anything shared
    (organisations, matches, scores, rounds: every release)."""
    _incr(ROUND_KEY.format(round_id) if round_id else ALL_ROUNDS_KEY)
    _incr(VERSION_KEY)
    if not _background():
        # Without a worker the next view computes the new figures: they are published now
        # (this runs on commit already).
        page_cache_invalidate(PAGE_GROUP, after_commit=False)
    queue_refresh()


def queue_refresh() -> None:
    """Queue a refresh unless one is already waiting (it will read the newest data)."""
    if not _background():
        return
    if cache.add(QUEUED_KEY, time.time(), timeout=KEEP):
        from portal.celery import enqueue_on_commit

        from ..tasks import barometer_refresh

        enqueue_on_commit(barometer_refresh)


def ready() -> dict | None:
    return cache.get(READY_KEY)


def mark_ready(version: int, keys: list[str] = ()) -> None:
    """Make `version` the one pages read; the replaced snapshot's core items go soon after."""
    before = cache.get(READY_KEY)
    cache.set(READY_KEY, {"version": version, "at": time.time(), "keys": list(keys)},
              timeout=None)
    # New figures (and "figures as of"), computed from committed data: the whole pages go.
    page_cache_invalidate(PAGE_GROUP, after_commit=False)
    if before and before["version"] != version:
        for key in before.get("keys", ()):
            if key not in keys:
                cache.touch(key, SUPERSEDED)


def computed_at(version: int) -> datetime | None:
    """When the figures of `version` (the serving one) were made ready, for the pages' "figures
    as of"; None if another snapshot has replaced it meanwhile."""
    snapshot = ready()
    if snapshot is None or snapshot["version"] != version:
        return None
    return datetime.fromtimestamp(snapshot["at"], tz=UTC)


def refresh_finished(version: int) -> None:
    """The refresh that computed `version` is done: let the next change queue one, and queue
    one now if a change came in while this one was computing."""
    cache.delete(QUEUED_KEY)
    if current_version() != version:
        queue_refresh()


def serving_version() -> int:
    """The version every page reads: the ready snapshot's (see the module docstring)."""
    current = current_version()
    snapshot = ready()
    if snapshot is not None and snapshot["version"] == current:
        if time.time() - snapshot["at"] > STALE_AFTER:
            invalidate()  # served once more from this snapshot while the next is computed
        return current
    if snapshot is None or not _background():
        mark_ready(current)  # computed on demand
        return current
    queued = cache.get(QUEUED_KEY)
    if queued is None:
        queue_refresh()
    elif time.time() - queued > MAX_LAG:
        logger.warning("barometer refresh queued %.0f s ago has not finished; computing the "
                       "figures in the request", time.time() - queued)
        cache.delete(QUEUED_KEY)  # queued again, for when a worker is back (it may be lost)
        queue_refresh()
        mark_ready(current)
        return current
    return snapshot["version"]


def public_releases(version: int | None = None, *, timeout: int = TIMEOUT):
    """The protected release of every round, oldest first: [(round, label, Release)], of the
    serving version (or `version`).

    Each round's release is cached on its own: a new need in the open round protects that
    round again, not the closed ones."""
    version = serving_version() if version is None else version
    return cached_item(f"barometer:public:{version}", _assemble, timeout=timeout)


def release_keys(rounds: list[dict]) -> dict[int, str]:
    """Each round's release key: it changes when that round's needs or answers change, or
    anything shared does."""
    base = _get(ALL_ROUNDS_KEY)
    return {r["id"]: f"barometer:release:{base}:{r['id']}:{_get(ROUND_KEY.format(r['id']))}"
            for r in rounds}


def _assemble():
    rounds = selectors.rounds()
    keys = release_keys(rounds)
    have = cache.get_many(list(keys.values()))
    missing = [r["id"] for r in rounds if keys[r["id"]] not in have]
    if missing:
        data = statistics.load(round_ids=missing)
        for round_id in missing:
            needs, responses = micro_for_round(round_id, data.needs, data.responses)
            release = build(round_id, needs, responses, protected=True)
            release.index_all()  # cached with the frames, so a visit only looks cells up
            have[keys[round_id]] = release
            cache.set(keys[round_id], release, timeout=KEEP)
    return [(r, statistics.round_label(r, rounds), have[keys[r["id"]]]) for r in rounds]


def exact_data(version: int | None = None, *, timeout: int = TIMEOUT) -> statistics.Data:
    """Every counted need and answer of the region, exact (the advisers' dashboards are
    filtered from it to their scope and filters, without asking the database again)."""
    version = serving_version() if version is None else version
    return cached_item(f"barometer:data:{version}", statistics.load, timeout=timeout)


def key(name: str, *parts, version: int | None = None) -> str:
    version = serving_version() if version is None else version
    return ":".join(["barometer", name, str(version), *map(str, parts)])


def cached_item(item_key: str, build, *, timeout: int = TIMEOUT):
    found = cache.get(item_key)
    if found is None:
        found = build()
        cache.set(item_key, found, timeout=timeout)
    return found


def cached(name: str, build, *parts, version: int | None = None, timeout: int = TIMEOUT):
    """Something derived from the serving snapshot (a page's figures in one language), cached
    under its version so it goes with it."""
    return cached_item(key(name, *parts, version=version), build, timeout=timeout)
