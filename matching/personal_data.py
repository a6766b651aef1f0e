"""The matching app's part of a person's GDPR export: their decisions and notes on matches
(the match history) and the cohort requests they sent or answered."""

from __future__ import annotations

from portal.personal_data import when

from .models import CohortRequest, MatchEvent


def export(user) -> dict:
    return {
        "match_history": [
            {"match": e.match_id, "need": e.match.need.title, "offer": e.match.offer.title,
             "from_status": e.from_status, "to_status": e.to_status, "note": e.note,
             "at": when(e.created_at)}
            for e in MatchEvent.objects.filter(actor=user).select_related(
                "match__need", "match__offer")
        ],
        "cohort_requests_sent": [
            {"cohort": r.cohort_id, "provider": r.provider.name, "status": r.status,
             "message": r.message, "at": when(r.created_at)}
            for r in CohortRequest.objects.filter(sent_by=user).select_related("provider")
        ],
    }
