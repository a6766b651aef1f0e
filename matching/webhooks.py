"""Matching's webhook events, recorded by the services in the transaction of the change.

Match events go to the business's endpoints and the county's; cohort events to the provider
that was asked and the county's. Cohorts are described as the provider sees them: anonymised,
without the businesses.
"""

from __future__ import annotations

from portal.webhooks import webhook_emit

from .models import CohortRequest, Match


def match_event(event_type: str, match_id: int) -> None:
    match = Match.objects.select_related(
        "need__organisation", "offer__provider").get(pk=match_id)
    org = match.need.organisation
    webhook_emit(event_type=event_type, organisation=org, data={
        "id": match.pk, "status": match.status, "score": round(match.score, 1),
        "reason": match.response_reason,
        "organisation": {"orgnr": org.orgnr, "name": org.name},
        "need": {"id": match.need_id, "external_ref": match.need.external_ref},
        "offer": {"id": match.offer_id, "external_id": match.offer.external_id,
                  "title": match.offer.title, "provider_orgnr": match.offer.provider.orgnr},
    })


def cohort_request_event(event_type: str, request_id: int) -> None:
    req = CohortRequest.objects.select_related(
        "cohort__area", "cohort__anchor_municipality", "provider").get(pk=request_id)
    cohort = req.cohort
    webhook_emit(event_type=event_type, organisation=req.provider, data={
        "request_id": req.pk, "status": req.status, "message": req.message,
        "response": req.response, "offer_id": req.offer_id,
        "provider": {"orgnr": req.provider.orgnr, "name": req.provider.name},
        "cohort": {
            "id": cohort.pk, "area": cohort.area.code, "level": cohort.level,
            "participants": cohort.participants, "business_count": cohort.business_count,
            "online": cohort.online, "window_start": cohort.window_start,
            "window_end": cohort.window_end,
            "municipality": (cohort.anchor_municipality.code
                             if cohort.anchor_municipality_id else None),
        },
    })
