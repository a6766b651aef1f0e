"""The kinds of notification. Each has a label (the account page's preference list) and a
one-line message whose `%(name)s` placeholders are filled from the notification's params.

To add a kind (e.g. the meeting place's invitations), append a `NotificationKind` to KINDS;
nothing else changes (no migration: the kind is a plain code on the row)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str  # lazy
    message: str  # lazy, with %(name)s placeholders
    audience: str  # "adviser", "business", "provider" or "member": who sees it on the account page


KINDS: dict[str, NotificationKind] = {kind.code: kind for kind in [
    NotificationKind("proposal_answered", _("A business answers a proposal"),
                     _("%(business)s %(answer)s the proposal “%(offer)s”."), "adviser"),
    NotificationKind("cohort_request_answered", _("A provider answers a cohort request"),
                     _("%(provider)s answered the request about %(area)s: %(answer)s."),
                     "adviser"),
    NotificationKind("need_submitted", _("A need is submitted or changed"),
                     _("%(business)s %(action)s the need “%(need)s”."), "adviser"),
    NotificationKind("interest_registered", _("A business registers interest in an offer"),
                     _("%(business)s is interested in “%(offer)s”."), "adviser"),
    NotificationKind("join_requested", _("Someone asks to join your organisation"),
                     _("%(person)s asks to join %(organisation)s."), "member"),
    NotificationKind("need_covered", _("A need of yours is covered"),
                     _("Your need “%(need)s” is now covered."), "business"),
    NotificationKind("cohort_opportunity", _("Groups of businesses in your areas need a course"),
                     _("%(count)s new group(s) of businesses could fill a course in your "
                       "areas, e.g. %(area)s: %(participants)s participants in all."),
                     "provider"),
    # The meeting place (matching/meetings); invitations themselves come by e-mail with the
    # calendar entry and are listed on "Meetings", so they are not notified a second time.
    NotificationKind("meeting_join_requested", _("A business asks to join a meeting"),
                     _("%(business)s asks to join the meeting “%(meeting)s”."), "adviser"),
    # The county's answer to someone who registered (claimed) an organisation number.
    NotificationKind("claim_decided", _("The county decides on an organisation you registered"),
                     _("%(organisation)s: %(decision)s"), "member"),
    # Someone registers (claims) an organisation number: the advisers in scope confirm it.
    NotificationKind("claim_submitted", _("Someone registers an organisation for you to confirm"),
                     _("%(person)s (%(email)s) has registered %(organisation)s (organisation "
                       "number %(orgnr)s) and waits for you to confirm that they may act for "
                       "it."), "adviser"),
    NotificationKind("meeting_slot_requested", _("Someone asks you for a 1:1 meeting"),
                     _("%(partner)s asks for a 1:1 meeting at “%(meeting)s”."), "member"),
]}


CLAIM_CONFIRMED = _("the county has confirmed that you may act for it in the portal.")
CLAIM_REVOKED = _("the county did not confirm that you may act for it, so your access to it "
                  "has been removed. Contact the county if you think this is wrong.")


def kind_for(code: str) -> NotificationKind:
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"unknown notification kind {code!r}") from None
