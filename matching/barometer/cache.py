"""The public release is cached; any change to a need, answer or match makes a new version.

Computing the protected release reads every need and runs the suppression, so it is done once
per change, not per visitor. The key carries a version number that the receivers in
`matching.receivers` bump on every save or delete of what the barometer counts; old versions
simply expire. A time limit bounds staleness from bulk writes that send no signals (the
engine's scores, which decide gaps).
"""

from __future__ import annotations

from django.core.cache import cache

from .statistics import public_history

VERSION_KEY = "barometer:version"
TIMEOUT = 15 * 60


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return int(version)


def invalidate() -> None:
    """Called when a need (or anything else the barometer counts) changes."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def public_releases():
    """The protected release of every round, oldest first: [(round, label, Release)]."""
    key = f"barometer:public:{_version()}"
    found = cache.get(key)
    if found is None:
        found = public_history()
        for _round, _label, release in found:
            release.index_all()  # cached with the frames, so a visit only looks cells up
        cache.set(key, found, timeout=TIMEOUT)
    return found


def cached(name: str, build, *parts):
    """Something derived from the public release (a page's report in one language), cached
    under the same version so it goes stale with it."""
    key = ":".join(["barometer", name, str(_version()), *map(str, parts)])
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, timeout=TIMEOUT)
    return found
