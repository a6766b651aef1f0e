"""The e-mail receipt a business gets when it submits the survey."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from needs.models import Need, SurveyResponse

logger = logging.getLogger(__name__)


def survey_receipt_send(*, response_id: int) -> int:
    """Renders the receipt in the language the business answered in and sends it.

    Returns the number of messages sent (0 when nobody has an address)."""
    response = (
        SurveyResponse.objects.select_related("organisation", "round", "submitted_by")
        .filter(pk=response_id).first()
    )
    if response is None or response.status != SurveyResponse.Status.SUBMITTED:
        return 0
    recipients = sorted({
        address for address in (
            getattr(response.submitted_by, "email", ""), response.organisation.contact_email
        ) if address
    })
    if not recipients:
        logger.info("survey receipt %s: no address to send to", response_id)
        return 0
    needs = list(
        response.needs.exclude(status=Need.Status.DRAFT)
        .select_related("area", "area__parent").order_by("created_at")
    )
    with translation.override(response.language or settings.LANGUAGE_CODE):
        body = render_to_string(
            "needs/email/receipt.txt",
            {"response": response, "organisation": response.organisation, "needs": needs,
             "site_name": settings.SITE_NAME},
        )
        subject = _("Receipt: your answer to %(round)s") % {
            "round": response.round or _("the competence survey")
        }
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
