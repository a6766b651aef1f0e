"""E-mails of the shared domain, sent from tasks (never inside a request's transaction)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Membership, Organisation

logger = logging.getLogger(__name__)


def organisation_claim_notify(*, organisation_id: int) -> int:
    """Tells every adviser that someone claims an organisation number and waits for them to
    confirm it. Returns the number of advisers told."""
    organisation = Organisation.objects.filter(pk=organisation_id,
                                               claim=Organisation.Claim.PENDING).first()
    if organisation is None:
        return 0
    advisers = list(Membership.objects.filter(
        organisation__kind=Organisation.Kind.COUNTY, user__is_active=True,
    ).values_list("user__email", flat=True).distinct())
    claimant = organisation.memberships.select_related("user").first()
    if not advisers or claimant is None:
        return 0
    link = getattr(settings, "SITE_URL", "").rstrip("/") + reverse("portal:claim_list")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New organisation to confirm: %(name)s") % {"name": organisation.name}
        body = _("%(person)s (%(email)s) has registered %(name)s (organisation number "
                 "%(orgnr)s) and waits for you to confirm that they may act for it. Until "
                 "then its needs are matched, but no proposal is sent.\n\n%(link)s") % {
            "person": claimant.user.full_name or claimant.user.email,
            "email": claimant.user.email, "name": organisation.name,
            "orgnr": organisation.orgnr, "link": link}
    send_mail(subject, body, None, advisers)
    return len(advisers)
