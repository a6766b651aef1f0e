"""Reads for the barometer: plain `.values()` rows, a fixed number of queries whatever the size.

The statistics module turns these rows into pandas frames; nothing here knows about pandas.
Needs whose business chose "statistics only" are counted like any other: the barometer is
exactly the anonymised statistics they agreed to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast

from needs.models import Need, SurveyResponse, SurveyRound
from portal.models import CompetenceArea, Industry, Municipality

from ..engine import bands
from ..models import Cohort, CohortNeed, Match, NeedMatchState

# Needs that count: everything a business has sent in and not taken back.
COUNTED = (Need.Status.SUBMITTED, Need.Status.IN_BROKERING, Need.Status.COVERED)
# A need is covered when a match to it was accepted or led to enrolment.
COVERING = (Match.Status.ACCEPTED, Match.Status.ENROLLED)


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to; `municipalities` is the adviser's scope (None: all)."""

    round_id: int | None = None
    municipality: str = ""
    area: str = ""
    section: str = ""
    municipalities: frozenset[str] | None = field(default=None)


def gap_threshold() -> float:
    """The best score below which a need is a gap: the lower edge of the "possible" band,
    the same verdict as the gap report (`matching.engine.bands`)."""
    return float(bands.POSSIBLE)


def rounds() -> list[dict]:
    """Every survey round, oldest first (trend lines read left to right)."""
    return list(SurveyRound.objects.order_by("opens_on", "pk").values(
        "id", "name", "year", "opens_on", "closes_on"))


def need_rows(*, round_ids: list[int] | None = None,
              municipalities: frozenset[str] | None = None) -> QuerySet:
    """One row per counted need with what the statistics group by."""
    return _counted(round_ids, municipalities).values_list(
        "id", "round_id", "status", "participants", "level", "consequence",
        "organisation_id", "organisation__municipality__code", "area__code",
        "area__parent__code", "organisation__industry_code", "organisation__employees",
    )


def _counted(round_ids, municipalities) -> QuerySet:
    qs = Need.objects.filter(status__in=COUNTED, round__isnull=False)
    if round_ids is not None:
        qs = qs.filter(round_id__in=round_ids)
    if municipalities is not None:
        qs = qs.filter(organisation__municipality__code__in=municipalities)
    return qs


def covered_need_ids(*, round_ids=None, municipalities=None) -> QuerySet:
    """Counted needs with an accepted or enrolled match."""
    return Match.objects.filter(
        status__in=COVERING, need__in=_counted(round_ids, municipalities)
    ).order_by().values_list("need_id", flat=True).distinct()


def best_scores(*, round_ids=None, municipalities=None) -> list[tuple[int, float]]:
    """(need, best score) as the gap report reads it: the engine's recorded best score, else
    (matches made by hand) the best current match. Two plain queries instead of a correlated
    subquery per need: the same answer, a fraction of the time at 10 000 needs."""
    needs = _counted(round_ids, municipalities).filter(status__in=Need.MATCHABLE)
    engine = list(NeedMatchState.objects.filter(need__in=needs, best_score__isnull=False)
                  .values_list("need_id", "best_score"))
    by_hand = list(Match.objects.filter(need__in=needs.filter(match_state__isnull=True),
                                        is_current=True)
                   .order_by().values("need_id").annotate(best=Max("score"))
                   .values_list("need_id", "best"))
    return engine + by_hand


NEED_COLUMNS = ["need", "round", "status", "participants", "level", "consequence",
                "business", "municipality", "area_code", "parent_code", "industry_code",
                "employees"]


def response_rows(*, round_ids: list[int] | None = None,
                  municipalities: frozenset[str] | None = None) -> QuerySet:
    """One row per submitted survey response (step 2: size of the need, measures, barriers)."""
    qs = SurveyResponse.objects.filter(status=SurveyResponse.Status.SUBMITTED,
                                       round__isnull=False)
    if round_ids is not None:
        qs = qs.filter(round_id__in=round_ids)
    if municipalities is not None:
        qs = qs.filter(organisation__municipality__code__in=municipalities)
    # The two answer lists come as JSON text: one parse for all rows (frames.py) instead of
    # one per row and field.
    return qs.values_list("round_id", "organisation_id", "organisation__municipality__code",
                          "organisation__industry_code", "overall_need",
                          Cast("measures", TextField()), Cast("barriers", TextField()))


RESPONSE_COLUMNS = ["round", "business", "municipality", "industry_code", "overall_need",
                    "measures", "barriers"]


def cohort_rows(*, municipalities: frozenset[str] | None = None) -> QuerySet:
    """Current cohorts; for a scoped adviser those with a member need in their scope."""
    qs = Cohort.objects.filter(is_current=True)
    if municipalities is not None:
        qs = qs.filter(Exists(CohortNeed.objects.filter(
            cohort_id=OuterRef("pk"),
            need__organisation__municipality__code__in=municipalities)))
    return qs.values_list("id", "area__code", "area__parent__code", "participants",
                          "business_count", "is_opportunity")


COHORT_COLUMNS = ["cohort", "area_code", "parent_code", "participants", "businesses",
                  "is_opportunity"]


def municipalities_in_region() -> list[dict]:
    return list(Municipality.objects.filter(in_region=True).order_by("name").values(
        "code", "name", "latitude", "longitude"))


def top_areas() -> list[dict]:
    return list(CompetenceArea.objects.filter(parent__isnull=True).order_by(
        "sort_order", "code").values("code", "label_nb", "label_nn", "label_en"))


def industry_sections() -> tuple[dict[str, str], list[dict]]:
    """Division (2 digits) → SN2007 section letter, and the sections with their labels."""
    rows = Industry.objects.filter(standard=Industry.Standard.SN2007).filter(
        Q(parent__isnull=True) | Q(parent__parent__isnull=True)).values(
        "code", "parent__code", "label_nb", "label_nn", "label_en")
    division_to_section, sections = {}, []
    for row in rows:
        if row["parent__code"]:
            division_to_section[row["code"]] = row["parent__code"]
        elif len(row["code"]) == 1:
            sections.append(row)
    sections.sort(key=lambda r: r["code"])
    return division_to_section, sections
