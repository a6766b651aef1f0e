"""Who the needs app tells what (through `portal.notifications`): advisers hear about needs
submitted or changed; a business hears when its need is covered."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import User
from portal.notifications import advisers_for, notification_send_many, organisation_users

from .models import Need

SUBMITTED = _("submitted")
CHANGED = _("changed")


def tell_advisers_about_need(*, need: Need, changed: bool, by: User) -> None:
    """`by`, who submitted or changed the need, is not told about their own action."""
    notification_send_many(
        recipients=advisers_for(need.organisation), kind="need_submitted",
        params={"business": need.organisation.name, "action": CHANGED if changed else SUBMITTED,
                "need": str(need)},
        link=reverse("needs:need_detail", args=[need.pk]), exclude=by)


def tell_business_need_covered(*, need: Need, by: User) -> None:
    """`by`, who enrolled the business, is not told (were they one of its members)."""
    notification_send_many(
        recipients=organisation_users(need.organisation), kind="need_covered",
        params={"need": str(need)}, link=reverse("needs:need_detail", args=[need.pk]),
        exclude=by)
