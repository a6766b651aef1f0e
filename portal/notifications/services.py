"""Writes: send a notification (and queue its e-mail), mark read, save preferences, the digest.

E-mails are plain text with an HTML alternative, in the recipient's language, with absolute
links and the portal's name. The immediate e-mail is a Celery task queued on commit
(`portal.celery.enqueue_on_commit`); the daily digest is a beat task that claims each person's
unsent digest rows with a conditional UPDATE, so two workers never send the same line twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from portal.celery import enqueue_on_commit
from portal.mail import absolute_url, language_or_default
from portal.models import Notification, NotificationPreference, User

from .kinds import KINDS, kind_for
from .selectors import notification_text, unread_count_forget

Delivery = NotificationPreference.Delivery


def _delivery(user: User, kind: str) -> str:
    chosen = NotificationPreference.objects.filter(user=user, kind=kind).values_list(
        "delivery", flat=True).first()
    return chosen or Delivery.IMMEDIATE


def _language(user: User) -> str:
    return language_or_default(getattr(user, "language", "") or "")


def notification_send(
    *, recipient: User, kind: str, params: dict[str, Any] | None = None, link: str = "",
) -> Notification | None:
    """Tells `recipient` that something of `kind` happened. `params` fill the kind's message;
    a translatable value (a lazy label) is written in the recipient's language. `link` is a
    path in the portal. Returns the notification (None for an inactive or missing user)."""
    kind_for(kind)
    if recipient is None or not recipient.is_active:
        return None
    with translation.override(_language(recipient)):
        stored = {key: str(value) for key, value in (params or {}).items()}
    delivery = _delivery(recipient, kind)
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, params=stored, link=link[:500],
        emailed_at=timezone.now() if delivery == Delivery.NONE else None,
    )
    if delivery == Delivery.IMMEDIATE:
        from portal.tasks import notification_email_task

        enqueue_on_commit(notification_email_task, notification.pk)
    return notification


def notification_send_many(
    *, recipients: Iterable[User], kind: str, params: dict[str, Any] | None = None,
    link: str = "", exclude: User | None = None,
) -> list[Notification]:
    """The same notification to several people (the actor, if among them, is left out)."""
    sent = []
    for user in recipients:
        if exclude is not None and user.pk == exclude.pk:
            continue
        notification = notification_send(recipient=user, kind=kind, params=params, link=link)
        if notification is not None:
            sent.append(notification)
    return sent


def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    marked = qs.update(read_at=timezone.now())  # an UPDATE sends no signal: forget here
    unread_count_forget(user.pk, [user])
    return marked


@transaction.atomic
def notification_preferences_save(*, user: User, choices: dict[str, str]) -> dict[str, str]:
    for kind, delivery in choices.items():
        if kind not in KINDS or delivery not in Delivery.values:
            raise ValueError(f"bad preference {kind}={delivery}")
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": delivery})
    return choices


def _send(*, user: User, subject: str, context: dict[str, Any], template: str) -> int:
    context = {**context, "site_name": settings.SITE_NAME, "user": user,
               "settings_link": absolute_url(reverse("portal:account") + "#notifications"),
               "list_link": absolute_url(reverse("portal:notifications"))}
    text = render_to_string(f"portal/email/{template}.txt", context)
    html = render_to_string(f"portal/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    return message.send()


def _line(notification: Notification) -> dict[str, str]:
    return {"text": notification_text(notification),
            "link": absolute_url(notification.link) if notification.link else "",
            "kind": str(KINDS[notification.kind].label) if notification.kind in KINDS else ""}


def notification_email_send(*, notification_id: int) -> int:
    """The e-mail for one notification, unless it has already gone (retries are safe)."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now())
    if not claimed:
        return 0
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    user = notification.recipient
    with translation.override(_language(user)):
        line = _line(notification)
        subject = gettext("%(site)s: %(text)s") % {"site": settings.SITE_NAME,
                                                    "text": line["text"]}
        try:
            return _send(user=user, subject=subject[:200], context={"line": line},
                         template="notification")
        except Exception:
            # Let the task retry: the row is sendable again.
            Notification.objects.filter(pk=notification_id).update(emailed_at=None)
            raise


def notification_digest_send(*, now=None) -> int:
    """One e-mail per person with everything of the last day they chose to get as a digest,
    grouped by kind. Returns the number of e-mails sent."""
    now = now or timezone.now()
    digest = NotificationPreference.objects.filter(delivery=Delivery.DIGEST)
    pending = Notification.objects.filter(emailed_at__isnull=True, created_at__lte=now)
    sent = 0
    for user_id in sorted(set(digest.values_list("user_id", flat=True))):
        kinds = list(digest.filter(user_id=user_id).values_list("kind", flat=True))
        ids = list(pending.filter(recipient_id=user_id, kind__in=kinds)
                   .values_list("pk", flat=True))
        if not ids:
            continue
        stamp = timezone.now()
        # The claim: only rows still unsent are ours; a second worker finds none.
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=stamp)
        mine = list(Notification.objects.filter(pk__in=ids, emailed_at=stamp)
                    .select_related("recipient").order_by("kind", "created_at"))
        if not mine:
            continue
        user = mine[0].recipient
        with translation.override(_language(user)):
            groups: dict[str, list[dict[str, str]]] = {}
            for notification in mine:
                line = _line(notification)
                groups.setdefault(line["kind"], []).append(line)
            subject = gettext("%(site)s: your daily summary (%(count)d)") % {
                "site": settings.SITE_NAME, "count": len(mine)}
            try:
                sent += _send(user=user, subject=subject, template="digest",
                              context={"groups": sorted(groups.items()), "count": len(mine)})
            except Exception:
                Notification.objects.filter(pk__in=[n.pk for n in mine]).update(emailed_at=None)
                raise
    return sent
