"""A small data set whose figures are worked out by hand in test_statistics.py.

Round 2025 (closed):  B1 skog 2 p. (course), B3 reiseliv 3 p. (course).
Round 2026 (current):
  B1 Seljord, SN 02 (A), 3 employees:  N1 skog.motorsag 4 p. course, safety_risk – accepted
  B2 Seljord, SN 41 (F), 12 employees: N2 skog 2 p. course, regulatory – best score 20 (gap)
                                       N3 bygg.tomrer 3 p. trade cert., cannot_recruit – 80
  B3 Vinje, SN 55 (I), 25 employees:   N4 reiseliv.vertskap 5 p. course, lost_orders – enrolled
  B4 Vinje, SN 02 (A), 60 employees:   N5 skog.motorsag 6 p. no level, no consequence –
                                       never matched (gap); N6 withdrawn (not counted)
Answers 2026: B1 large [train_staff] [time, cost]; B2 some [train_staff, recruit_norway]
  [cost]; B3 some [hire_in] []; B4 none [] [].
Cohorts: skog opportunity with 10 participants; reiseliv, not an opportunity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from matching.models import Match, NeedMatchState
from needs.models import Need, SurveyResponse
from tests import factories


@dataclass
class HandData:
    r2025: object
    r2026: object
    businesses: dict


def _business(code, industry, employees, name):
    return factories.BusinessFactory(municipality=factories.municipality(code),
                                     industry_code=industry, employees=employees, name=name)


@pytest.fixture
def hand_data(db) -> HandData:
    today = dt.date.today()
    r2025 = factories.SurveyRoundFactory(name="Runde 2025", year=2025,
                                         opens_on=today - dt.timedelta(days=400),
                                         closes_on=today - dt.timedelta(days=300))
    r2026 = factories.SurveyRoundFactory(name="Runde 2026", year=2026,
                                         opens_on=today - dt.timedelta(days=30),
                                         closes_on=today + dt.timedelta(days=30))
    b1 = _business("4022", "02.200", 3, "Seljord Skog AS")
    b2 = _business("4022", "41.200", 12, "Seljord Bygg AS")
    b3 = _business("4036", "55.101", 25, "Vinje Hotell AS")
    b4 = _business("4036", "02.100", 60, "Vinje Tre AS")

    def need(org, area, participants, level="course", consequence="", round_=r2026,
             status=Need.Status.SUBMITTED):
        return factories.NeedFactory(organisation=org, area=factories.area(area),
                                     participants=participants, level=level,
                                     consequence=consequence, round=round_, status=status)

    need(b1, "skog", 2, round_=r2025, status=Need.Status.COVERED)
    need(b3, "reiseliv", 3, round_=r2025, status=Need.Status.COVERED)
    n1 = need(b1, "skog.motorsag", 4, consequence="safety_risk")
    n2 = need(b2, "skog", 2, consequence="regulatory")
    n3 = need(b2, "bygg.tomrer", 3, level="trade_certificate", consequence="cannot_recruit")
    n4 = need(b3, "reiseliv.vertskap", 5, consequence="lost_orders",
              status=Need.Status.COVERED)
    need(b4, "skog.motorsag", 6, level="")
    need(b4, "hms", 1, status=Need.Status.WITHDRAWN)
    factories.MatchFactory(need=n1, status=Match.Status.ACCEPTED, score=82)
    factories.MatchFactory(need=n3, status=Match.Status.SUGGESTED, score=80)
    factories.MatchFactory(need=n4, status=Match.Status.ENROLLED, score=90)
    NeedMatchState.objects.create(need=n2, matched_at=dt.datetime.now(dt.UTC), best_score=20)
    for org, overall, measures, barriers in (
        (b1, "large", ["train_staff"], ["time", "cost"]),
        (b2, "some", ["train_staff", "recruit_norway"], ["cost"]),
        (b3, "some", ["hire_in"], []),
        (b4, "none", [], []),
    ):
        SurveyResponse.objects.create(organisation=org, round=r2026,
                                      status=SurveyResponse.Status.SUBMITTED,
                                      overall_need=overall, measures=measures,
                                      barriers=barriers)
    factories.CohortFactory(area=factories.area("skog.motorsag"), participants=10,
                            is_opportunity=True)
    factories.CohortFactory(area=factories.area("reiseliv.vertskap"), participants=5,
                            is_opportunity=False)
    return HandData(r2025, r2026, {"b1": b1, "b2": b2, "b3": b3, "b4": b4})
