"""The needs app's part of a person's GDPR export: what they wrote, answered and ran."""

from __future__ import annotations

from portal.personal_data import when

from .models import Need, NeedImport, SurveyResponse, SurveyRound


def export(user) -> dict:
    return {
        "needs_created": [
            {"id": n.pk, "organisation": n.organisation.name, "title": n.title,
             "description": n.description, "area": n.area.code if n.area else None,
             "participants": n.participants, "status": n.status,
             "consequence": n.consequence, "created_at": when(n.created_at),
             "submitted_at": when(n.submitted_at)}
            for n in Need.objects.filter(created_by=user).select_related("organisation", "area")
        ],
        "survey_answers_submitted": [
            {"id": r.pk, "organisation": r.organisation.name,
             "round": r.round.name if r.round else None, "overall_need": r.overall_need,
             "measures": r.measures, "barriers": r.barriers, "consent": r.consent,
             "submitted_at": when(r.submitted_at)}
            for r in SurveyResponse.objects.filter(submitted_by=user).select_related(
                "organisation", "round")
        ],
        "survey_rounds_created": [
            {"id": r.pk, "name": r.name, "created_at": when(r.created_at)}
            for r in SurveyRound.objects.filter(created_by=user)
        ],
        "need_imports_uploaded": [
            {"id": i.pk, "filename": i.filename, "status": i.status,
             "created_at": when(i.created_at)}
            for i in NeedImport.objects.filter(uploaded_by=user)
        ],
    }
