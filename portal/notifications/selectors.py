"""Reads: a person's notifications, the unread count, their preferences, a notification's text."""

from __future__ import annotations

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


def unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_for_user(*, user: User) -> dict[str, str]:
    """kind → delivery, with every known kind present (default: e-mail at once)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {code: chosen.get(code, NotificationPreference.Delivery.IMMEDIATE) for code in KINDS}
