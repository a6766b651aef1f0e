"""E-mails of the shared domain, composed in each recipient's language and sent from tasks."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from .mail import absolute_url, mail_send_localised
from .models import Organisation
from .notifications.recipients import advisers_for


def claim_notice_email_send(*, organisation_id: int) -> int:
    """Tells the advisers whose scope covers the organisation that someone claims its number
    and waits for them to confirm it. Returns the number of messages sent."""
    organisation = Organisation.objects.filter(pk=organisation_id,
                                               claim=Organisation.Claim.PENDING).first()
    claimant = organisation and organisation.memberships.select_related("user").first()
    if claimant is None:
        return 0
    # Only the advisers whose scope covers the organisation's municipality see the claim.
    advisers = advisers_for(organisation).exclude(pk=claimant.user_id).values_list(
        "email", flat=True)  # the claimant never hears of their own claim

    def compose() -> tuple[str, str]:
        subject = _("New organisation to confirm: %(name)s") % {"name": organisation.name}
        body = _("%(person)s (%(email)s) has registered %(name)s (organisation number "
                 "%(orgnr)s) and waits for you to confirm that they may act for it. Until "
                 "then its needs are matched, but no proposal is sent.\n\n%(link)s") % {
            "person": claimant.user.full_name or claimant.user.email,
            "email": claimant.user.email, "name": organisation.name,
            "orgnr": organisation.orgnr, "link": absolute_url(reverse("portal:claim_list"))}
        return subject, body

    return mail_send_localised(to=advisers, compose=compose)
