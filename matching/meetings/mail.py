"""Meeting e-mails: invitations, updated entries, cancellations, reminders and the summary.

Each is written in the invitation's language and, except the summary, carries the calendar
entry (.ics). Called from the task in `tasks.py`, one invitation at a time, so one bad address
does not stop the others and a retry resends one message.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from portal.mail import (
    absolute_url,
    html_alternative,
    language_or_default,
    languages_of,
    organisation_addresses,
)
from portal.models import Organisation

from . import ics
from .models import Invitation, Meeting

logger = logging.getLogger(__name__)


class MailKind:
    INVITATION = "invitation"
    UPDATE = "update"
    CANCEL = "cancel"
    REMINDER = "reminder"
    SUMMARY = "summary"
    ALL = (INVITATION, UPDATE, CANCEL, REMINDER, SUMMARY)


def organisation_language(org: Organisation) -> str:
    """The language to write to an organisation in: the one its (first) address's user chose,
    else the language of its latest survey answer, else bokmål (`portal.mail.languages_of`)."""
    latest = (org.survey_responses.exclude(language="").order_by("-created_at", "-pk")
              .values_list("language", flat=True).first()) or ""
    addresses = organisation_addresses(org)
    if not addresses:
        return language_or_default(latest[:2])
    groups = languages_of(addresses[:1], fallback=latest[:2])
    return next(iter(groups), settings.LANGUAGE_CODE)


def place_text(meeting: Meeting) -> str:
    parts = [meeting.address, meeting.municipality.name if meeting.municipality else ""]
    where = ", ".join(part for part in parts if part)
    if meeting.online_url:
        where = f"{where} / {meeting.online_url}" if where else meeting.online_url
    return where


def calendar_file(meeting: Meeting, *, attendee_email: str = "") -> bytes:
    organizer = settings.DEFAULT_FROM_EMAIL
    name, _sep, address = organizer.rpartition("<")
    return ics.calendar(ics.CalendarEvent(
        uid=f"{meeting.uid}@kompetanseportalen", sequence=meeting.sequence,
        start=meeting.starts_at, end=meeting.ends_at, summary=meeting.title,
        description="\n\n".join(part for part in (meeting.purpose, meeting.agenda) if part),
        location=place_text(meeting), url=meeting.online_url,
        organizer_email=address.rstrip(">").strip() if address else organizer,
        organizer_name=name.strip().strip('"'), attendee_email=attendee_email,
        cancelled=meeting.status == Meeting.Status.CANCELLED,
    ))


def _subject(kind: str, meeting: Meeting) -> str:
    title = {"title": meeting.title}
    return {
        MailKind.INVITATION: gettext("Invitation: %(title)s"),
        MailKind.UPDATE: gettext("Changed: %(title)s"),
        MailKind.CANCEL: gettext("Cancelled: %(title)s"),
        MailKind.REMINDER: gettext("Reminder: %(title)s"),
        MailKind.SUMMARY: gettext("Summary: %(title)s"),
    }[kind] % title


def send_invitation_mail(*, kind: str, invitation_id: int) -> bool:
    """Render and send one e-mail of `kind` to one invitee. Returns whether it was sent."""
    from . import replies, selectors

    invitation = (Invitation.objects.select_related("meeting__municipality", "organisation")
                  .filter(pk=invitation_id).first())
    if invitation is None or kind not in MailKind.ALL:
        return False
    meeting, org = invitation.meeting, invitation.organisation
    addresses = organisation_addresses(org)
    if not addresses:
        logger.info("meeting %s: %s has no e-mail address", meeting.pk, org.pk)
        return False
    # Asked again at sending time: the recipient may have chosen a language since the invite.
    language = organisation_language(org)
    if language != invitation.language:
        Invitation.objects.filter(pk=invitation.pk).update(language=language)
    with translation.override(language):
        reply_url = absolute_url(reverse("meetings:token_reply",
                                         args=[replies.reply_token(invitation)]))
        context = {
            "kind": kind, "meeting": meeting, "organisation": org, "invitation": invitation,
            "when": formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT"),
            "ends": formats.time_format(timezone.localtime(meeting.ends_at), "TIME_FORMAT"),
            "place": place_text(meeting),
            "reply_links": [
                (label, f"{reply_url}?svar={code}")
                for code, label in Invitation.Reply.choices if code in Invitation.ANSWERS
            ],
            "page_link": absolute_url(reverse("meetings:detail", args=[meeting.pk])),
            "who": selectors.who_comes(meeting, viewer_org_id=org.pk,
                                       coming_only=False,
                                       attended_only=kind == MailKind.SUMMARY),
            "outcome": getattr(meeting, "outcome", None) if kind == MailKind.SUMMARY else None,
            "commitments": list(meeting.commitments.select_related("provider"))
            if kind == MailKind.SUMMARY else [],
            "site_name": settings.SITE_NAME,
        }
        subject = _subject(kind, meeting)
        body = render_to_string("matching/meetings/email/meeting.txt", context)
        html = html_alternative(body)  # every e-mail has an HTML part, links clickable
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    message.attach_alternative(html, "text/html")
    if kind != MailKind.SUMMARY:
        method = "CANCEL" if kind == MailKind.CANCEL else "REQUEST"
        message.attach("moteplass.ics", calendar_file(meeting, attendee_email=addresses[0]),
                       f"text/calendar; method={method}; charset=utf-8")
    message.send()  # SMTP errors propagate: the task (MAIL_TASK) retries this one message
    if kind == MailKind.INVITATION:
        Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
            sent_at=timezone.now())
    return True
