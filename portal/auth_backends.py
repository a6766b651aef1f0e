"""The sign-in backends: Django's and allauth's, with the signed-in user read from the shared
cache instead of the database on every request.

Every page starts by loading its user; the row changes seldom (a password, a name, the
language, being deactivated), and every such change goes through `save()` or
`user_forget`, which drops the cached copy, so the next request reads the row again. Django
still checks the session's password hash against the cached user, so a changed password ends
other sessions at once. The copy lives in Redis next to the sessions, which already hold each
session's password-derived hash.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from . import access  # noqa: F401 (registers the standing, fetched with the user)
from .models import User
from .notifications import selectors  # noqa: F401 (registers the unread count)
from .user_cache import attach, forget_keys, with_user_keys

USER_SECONDS = 300  # a bound on staleness should a change ever bypass `save()`


def _user_key(user_id) -> str:
    return f"auth:user:v1:{user_id}"  # v1: bump when the User model's fields change


def user_forget(user_id) -> None:
    forget_keys([_user_key(user_id)])


class _CachedUser:
    def get_user(self, user_id):
        key = _user_key(user_id)
        # One round trip for the user and what every page asks about them (portal.user_cache).
        found = cache.get_many([key, *with_user_keys(user_id)])
        user = found.get(key)
        if not isinstance(user, User):
            user = super().get_user(user_id)
            if user is None:  # unknown or deactivated: asked again next time
                return None
            cache.set(key, user, USER_SECONDS)
        attach(user, found)
        return user if self.user_can_authenticate(user) else None


class CachedModelBackend(_CachedUser, ModelBackend):
    pass


class CachedAllauthBackend(_CachedUser, AuthenticationBackend):
    pass
