"""The public release is cached; any change to a need, answer or match makes a new version.

Computing the protected release reads every need and runs the suppression, so it is done once
per change, not per visitor. The key carries a version number that the receivers in
`matching.receivers` bump on every save or delete of what the barometer counts; old versions
simply expire. A time limit bounds staleness from bulk writes that send no signals (the
engine's scores, which decide gaps).
"""

from __future__ import annotations

from django.core.cache import cache

from . import selectors, statistics
from .release import build, micro_for_round

VERSION_KEY = "barometer:version"  # everything derived: pages, dashboards, open data
ALL_ROUNDS_KEY = "barometer:all-rounds"  # the protected release of every round
ROUND_KEY = "barometer:round:{}"  # the protected release of one round
TIMEOUT = 15 * 60


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


def _version() -> int:
    return _get(VERSION_KEY)


def invalidate(round_id: int | None = None) -> None:
    """Called on commit when something the barometer counts changes: the needs or answers of
    one round (`round_id`; only that round's release is protected again) or anything shared
    (organisations, matches, scores, rounds: every release)."""
    _incr(ROUND_KEY.format(round_id) if round_id else ALL_ROUNDS_KEY)
    _incr(VERSION_KEY)


def public_releases():
    """The protected release of every round, oldest first: [(round, label, Release)].

    Each round's release is cached on its own: a new need in the open round protects that
    round again, not the closed ones."""
    key = f"barometer:public:{_version()}"
    found = cache.get(key)
    if found is None:
        found = _assemble()
        cache.set(key, found, timeout=TIMEOUT)
    return found


def _assemble():
    rounds = selectors.rounds()
    base = _get(ALL_ROUNDS_KEY)
    keys = {r["id"]: f"barometer:release:{base}:{r['id']}:{_get(ROUND_KEY.format(r['id']))}"
            for r in rounds}
    have = cache.get_many(list(keys.values()))
    missing = [r["id"] for r in rounds if keys[r["id"]] not in have]
    if missing:
        data = statistics.load(round_ids=missing)
        for round_id in missing:
            needs, responses = micro_for_round(round_id, data.needs, data.responses)
            release = build(round_id, needs, responses, protected=True)
            release.index_all()  # cached with the frames, so a visit only looks cells up
            have[keys[round_id]] = release
            cache.set(keys[round_id], release, timeout=TIMEOUT)
    return [(r, statistics.round_label(r, rounds), have[keys[r["id"]]]) for r in rounds]


def cached(name: str, build, *parts):
    """Something derived from the public release (a page's report in one language), cached
    under the same version so it goes stale with it."""
    key = ":".join(["barometer", name, str(_version()), *map(str, parts)])
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, timeout=TIMEOUT)
    return found
