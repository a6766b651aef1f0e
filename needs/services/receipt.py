"""The e-mail receipt a business gets when it submits the survey (sent by a Celery task)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from needs.models import Need, SurveyResponse
from portal.mail import absolute_url, mail_send_localised

logger = logging.getLogger(__name__)


def survey_receipt_send(*, response_id: int) -> int:
    """Renders the receipt in each recipient's language (the language the survey was answered
    in for an address with no preference) and sends it.

    Returns the number of messages sent (0 when nobody has an address)."""
    response = (
        SurveyResponse.objects.select_related("organisation", "round", "submitted_by")
        .filter(pk=response_id).first()
    )
    if response is None or response.status != SurveyResponse.Status.SUBMITTED:
        return 0
    recipients = [getattr(response.submitted_by, "email", ""), response.organisation.contact_email]
    if not any(recipients):
        logger.info("survey receipt %s: no address to send to", response_id)
        return 0
    needs = list(
        response.needs.exclude(status=Need.Status.DRAFT)
        .select_related("area", "area__parent").order_by("created_at")
    )

    def compose() -> tuple[str, str]:
        body = render_to_string(
            "needs/email/receipt.txt",
            {"response": response, "organisation": response.organisation, "needs": needs,
             "site_name": settings.SITE_NAME, "link": absolute_url(reverse("needs:business_home"))},
        )
        subject = _("Receipt: your answer to %(round)s") % {
            "round": response.round or _("the competence survey")
        }
        return subject, body

    return mail_send_localised(to=recipients, compose=compose,
                               fallback_language=response.language)
