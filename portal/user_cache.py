"""Values every page asks about its user, kept in the shared cache across requests.

Each value (`UserCached`) lives in Redis under a key of its own and, once read, on the user
object for the rest of the request (unless `keep_on_user=False`). The sign-in backend fetches
the user and every registered value in one round trip (`with_user_keys`, `attach`). Whoever
changes the rows behind a value calls its `forget` (signal receivers in `portal.receivers`, or
the service doing an UPDATE, which sends no signal): the key goes now and again on commit,
since a request in between may have read the old rows and cached them again. `seconds` only
bounds staleness should a change ever bypass both.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

_REGISTRY: list[UserCached] = []


def forget_keys(keys: list[str]) -> None:
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


class UserCached:
    def __init__(self, name: str, read: Callable[[Any], Any], *, version: int = 1,
                 seconds: int = 300, also_forget: tuple[str, ...] = (),
                 keep_on_user: bool = True) -> None:
        self.name, self.read, self.seconds = name, read, seconds
        # False for a value that long-lived user objects (a task's, a test's) must see change:
        # it is then kept on the object only when fetched with the user at sign-in.
        self.keep_on_user = keep_on_user
        self.prefix = f"user:{name}:v{version}:"  # bump the version when the value's shape changes
        self.attr = f"_cached_{name.replace('-', '_')}"
        self.also_forget = also_forget  # per-request answers derived from the value
        _REGISTRY.append(self)

    def key(self, user_id) -> str:
        return f"{self.prefix}{user_id}"

    def get(self, user) -> Any:
        # getattr/setattr, not __dict__: request.user is a lazy proxy of the user object.
        found = getattr(user, self.attr, None)
        if found is None:
            found = cache.get(self.key(user.pk))
            if found is None:
                found = self.read(user)
                cache.set(self.key(user.pk), found, self.seconds)
            if self.keep_on_user:
                setattr(user, self.attr, found)
        return found

    def forget(self, user_ids: Iterable[int], user_objects: Iterable = ()) -> None:
        """The cached values of these users go; so do the answers kept on these user objects
        (the same object may be asked again within this request)."""
        for user in user_objects:
            for attr in (self.attr, *self.also_forget):
                _discard(user, attr)
        forget_keys([self.key(pk) for pk in set(user_ids)])


def _discard(obj, attr: str) -> None:
    with contextlib.suppress(AttributeError):
        delattr(obj, attr)


def with_user_keys(user_id) -> list[str]:
    """The keys to fetch together with the user's own."""
    return [value.key(user_id) for value in _REGISTRY]


def attach(user, found: dict[str, Any]) -> None:
    """Put the values fetched with the user on it, so their `get` needs no round trip."""
    for value in _REGISTRY:
        hit = found.get(value.key(user.pk))
        if hit is not None:
            setattr(user, value.attr, hit)
