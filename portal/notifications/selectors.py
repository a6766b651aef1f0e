"""Reads: a person's notifications, the unread count, their preferences, a notification's text."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.models import Notification, NotificationPreference, User
from portal.user_cache import UserCached

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


def _unread_read(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# The bell's number, on every page; `unread_count_forget` whenever one of the person's
# notifications is added, read or deleted.
UNREAD = UserCached("unread-notifications", _unread_read, keep_on_user=False)


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return UNREAD.get(user)


def unread_count_forget(user_id: int, user_objects=()) -> None:
    UNREAD.forget([user_id], user_objects)


def preferences_for_user(*, user: User) -> dict[str, str]:
    """kind → delivery, with every known kind present (default: e-mail at once)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {code: chosen.get(code, NotificationPreference.Delivery.IMMEDIATE) for code in KINDS}
