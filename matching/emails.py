"""The e-mails of matching: a proposal to a business, a cohort request to a provider.

Each is sent by a Celery task (`matching.tasks`) that the service queues on commit, in each
recipient's language, with absolute links. SMTP errors propagate so the task retries.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from portal.mail import absolute_url, mail_send_localised, organisation_addresses

from .models import CohortRequest, Match
from .selectors import cohort_provider_summary


def proposal_email_send(*, match_id: int) -> int:
    """Plain-text e-mail to the business about a new proposal. Returns messages sent."""
    match = (
        Match.objects.select_related("need__organisation", "offer__provider")
        .filter(pk=match_id).first()
    )
    if match is None:
        return 0
    org = match.need.organisation

    def compose() -> tuple[str, str]:
        context = {
            "organisation": org, "need": match.need, "offer": match.offer,
            "link": absolute_url(reverse("matching:business_proposals")),
            "site_name": settings.SITE_NAME,
        }
        subject = gettext("New course proposal: %(title)s") % {"title": match.offer.title}
        return subject, render_to_string("matching/email/proposal.txt", context)

    return mail_send_localised(to=organisation_addresses(org), compose=compose)


def cohort_request_email_send(*, request_id: int) -> int:
    """Tells a provider about pooled demand the adviser sent it. Returns messages sent."""
    req = (
        CohortRequest.objects.select_related(
            "cohort__area", "cohort__anchor_municipality", "provider")
        .filter(pk=request_id).first()
    )
    if req is None:
        return 0

    def compose() -> tuple[str, str]:
        context = {
            "request": req, "cohort": req.cohort, "provider": req.provider,
            "summary": cohort_provider_summary(req.cohort),
            "link": absolute_url(reverse("matching:provider_request", args=[req.pk])),
            "site_name": settings.SITE_NAME,
        }
        subject = gettext("Pooled demand: %(area)s") % {"area": req.cohort.area.label}
        return subject, render_to_string("matching/email/cohort_request.txt", context)

    return mail_send_localised(to=organisation_addresses(req.provider), compose=compose)
