"""Replies to invitations: from the portal, or through signed links that need no login.

A reply link carries the invitation id and its current nonce, signed with the site's secret
and a timestamp (`django.core.signing`, salted for this purpose only). It is refused when the
signature is wrong, when it is older than `MEETING_REPLY_LINK_DAYS` (default 60), when the
meeting is over or cancelled, and when it has been used: a reply through a link replaces the
nonce (a conditional UPDATE, so two submissions of one link cannot both count), and the page
that confirms the reply shows a fresh link to change it.
Opening a link (GET) changes nothing, so mail scanners that follow links cannot answer.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User

from .models import Invitation, Meeting, new_nonce

SALT = "matching.meetings.reply"


class ReplyLinkError(Exception):
    """Why a reply link was refused: code is "invalid", "expired", "used" or "closed"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def link_max_age() -> dt.timedelta:
    return dt.timedelta(days=settings.MEETING_REPLY_LINK_DAYS)


def reply_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.token_nonce}, salt=SALT)


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link belongs to, or ReplyLinkError."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=link_max_age())
    except signing.SignatureExpired:
        raise ReplyLinkError("expired") from None
    except signing.BadSignature:
        raise ReplyLinkError("invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int):
        raise ReplyLinkError("invalid")
    invitation = (Invitation.objects.select_related("meeting__municipality", "organisation")
                  .filter(pk=payload["i"]).first())
    if invitation is None:
        raise ReplyLinkError("invalid")
    if invitation.token_nonce != payload.get("n"):
        raise ReplyLinkError("used")
    if not replies_open(invitation.meeting):
        raise ReplyLinkError("closed")
    return invitation


def replies_open(meeting: Meeting) -> bool:
    return meeting.status == Meeting.Status.INVITED and meeting.starts_at > timezone.now()


def _check(invitation: Invitation, reply: str, headcount: int | None) -> int:
    if reply not in Invitation.ANSWERS:
        raise ValidationError({"reply": _("Choose yes, no or maybe.")})
    if not replies_open(invitation.meeting):
        raise ValidationError(_("Replies to this meeting are closed."), code="closed")
    if reply == Invitation.Reply.NO:
        return 0
    count = headcount if headcount is not None else 1
    if count < 1 or count > 50:
        raise ValidationError({"headcount": _("Enter how many will come (1–50).")})
    capacity = invitation.meeting.capacity
    if capacity:
        others = (Invitation.objects.filter(meeting_id=invitation.meeting_id,
                                            reply=Invitation.Reply.YES)
                  .exclude(pk=invitation.pk).aggregate(n=Sum("headcount"))["n"] or 0)
        if reply == Invitation.Reply.YES and others + count > capacity:
            left = max(capacity - others, 0)
            raise ValidationError({"headcount": _(
                "There is room for only %(left)d more.") % {"left": left}})
    return count


def invitation_reply(*, invitation_id: int, reply: str, headcount: int | None = None,
                     by: User | None = None,  # None: a reply link, nobody is logged in
                     nonce: str | None = None) -> Invitation:
    """Record a reply. With `nonce` (a reply link), the link is used up in the same UPDATE."""
    with transaction.atomic():
        # Lock the meeting row so two replies cannot both take the last places.
        invitation = Invitation.objects.select_related("meeting").get(pk=invitation_id)
        Meeting.objects.select_for_update().filter(pk=invitation.meeting_id).first()
        count = _check(invitation, reply, headcount)
        fields = {"reply": reply, "headcount": count, "replied_at": timezone.now(),
                  "replied_by": by}
        qs = Invitation.objects.filter(pk=invitation_id)
        if nonce is not None:
            qs = qs.filter(token_nonce=nonce)
            fields["token_nonce"] = new_nonce()
        if qs.update(**fields) != 1:
            raise ValidationError(_("This link has already been used."), code="used")
        return Invitation.objects.select_related("meeting", "organisation").get(pk=invitation_id)
