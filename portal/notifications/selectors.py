"""Reads: a person's notifications, the unread count, their preferences, a notification's text."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from portal.models import Notification, NotificationPreference, User

from .kinds import KINDS


class _Blank(dict):
    """Missing params render as "–" rather than failing the whole page."""

    def __missing__(self, key: str) -> str:
        return "–"


def notification_text(notification: Notification) -> str:
    """The message in the active language (call inside `translation.override` for e-mail)."""
    kind = KINDS.get(notification.kind)
    if kind is None:
        return notification.kind
    return str(kind.message) % _Blank({k: str(v) for k, v in (notification.params or {}).items()})


def notifications_for_user(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


UNREAD_SECONDS = 300  # a bound on staleness should a change ever bypass the signals


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:v1:{user_id}"


def unread_count(*, user) -> int:
    """The bell's number, on every page: kept in the shared cache, dropped by
    `unread_count_forget` whenever one of the person's notifications is added, read or
    deleted."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def unread_count_forget(user_id: int) -> None:
    """Now and again on commit: a page rendered in between may have cached the old count."""
    key = _unread_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def preferences_for_user(*, user: User) -> dict[str, str]:
    """kind → delivery, with every known kind present (default: e-mail at once)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {code: chosen.get(code, NotificationPreference.Delivery.IMMEDIATE) for code in KINDS}
