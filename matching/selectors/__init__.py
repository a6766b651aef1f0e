"""Reads for the matching pages: work queues, access-checked lookups, cohort summaries, gaps.

Every `*_for_<audience>` function fetches an object *and* checks the caller may touch it, so a
view's first line cannot forget the access rule; another organisation's object is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from needs.models import Need
from offers.models import Offer
from portal import access
from portal.filter_forms import reference_memo, reference_names
from portal.models import CompetenceArea, Organisation, User

from ..counts import (  # noqa: F401
    match_counts_forget,
    match_queue_counts,
    match_queue_size,
    match_status_counts,
)
from ..engine import bands
from ..models import (
    Match,
    NeedMatchState,
)
from .cohorts import (  # noqa: F401 (the cohort reads, split off by size)
    NamedBusiness,
    ProviderCohortSummary,
    cohort_counts_from_members,
    cohort_fitting_offer_rows,
    cohort_fitting_offers,
    cohort_for_adviser,
    cohort_list,
    cohort_members,
    cohort_members_changed,
    cohort_members_version,
    cohort_provider_summaries,
    cohort_provider_summary,
    cohort_request_for_adviser,
    cohort_request_for_provider,
    provider_request_rows,
    provider_request_summaries,
    provider_requests,
)
from .queue import QueuePages, QueueRow, queue_count_up_to, queue_rows  # noqa: F401 (split)

# What a business sees: only matches an adviser has actually sent.
BUSINESS_VISIBLE = (
    Match.Status.PROPOSED, Match.Status.ACCEPTED, Match.Status.DECLINED, Match.Status.ENROLLED
)


# --- matches ----------------------------------------------------------------------------------


MATCH_MUNICIPALITY = "need__organisation__municipality"


def match_queue(
    *, user: User, status: str = "", area: str = "", municipality: str = "",
    min_score: float | None = None,
) -> QuerySet[Match]:
    """The adviser's work queue, highest score first, filtered by the form's values, within
    `user`'s municipality scope."""
    qs = Match.objects.select_related(
        "need__organisation__municipality", "need__area", "offer__provider"
    )
    qs = access.restrict_to_scope(qs, user, MATCH_MUNICIPALITY)
    if not status:
        # Suggestions that dropped out of the top K are noise unless asked for by status.
        qs = qs.exclude(status=Match.Status.SUGGESTED, is_current=False)
    return _matches_filtered(qs, status=status, area=area, municipality=municipality,
                             min_score=min_score).order_by("-score", "pk")


def _matches_filtered(
    qs: QuerySet[Match], *, status: str = "", area: str = "", municipality: str = "",
    min_score: float | None = None,
) -> QuerySet[Match]:
    if status:
        qs = qs.filter(status=status)
    if area:
        # The area's ids first: given a subquery, the planner joined every row's need, offer and
        # business before filtering. Kept per process with the reference data, whose version a
        # saved area bumps.
        area_ids = reference_memo(("area-with-descendants", area), lambda: list(
            CompetenceArea.objects.with_descendants(area).values_list("pk", flat=True)))
        # An area holds a few hundred needs: as a set, not a join (see `_in_hashed_set`). (A
        # scope or a place holds thousands: building that set cost more than the join.)
        qs = qs.filter(_in_hashed_set(
            "need_id", Need.objects.filter(area_id__in=area_ids).values("pk")))
    if municipality:
        qs = qs.filter(need__organisation__municipality__code=municipality)
    if min_score is not None:
        qs = qs.filter(score__gte=min_score)
    return qs


def _in_hashed_set(field: str, subquery: QuerySet) -> Func:
    """`field IN (subquery)` as a set PostgreSQL builds once and looks each row up in while it
    reads the rows in index order (a hashed SubPlan). `IS TRUE` keeps the planner from making
    the IN a join, which looked up the need of every match it passed: ~2 200 needs (8 ms) to
    find a page of 25 in an area in score order, against 1 ms."""
    return Func(Q(**{f"{field}__in": subquery}), template="(%(expressions)s) IS TRUE",
                output_field=BooleanField())


def match_ids_for_adviser(*, user: User, ids: list[int]) -> list[int]:
    """Those of `ids` the adviser may act on (unknown ids are dropped), in the given order."""
    access.require_adviser(user)
    # Outside the adviser's municipality scope a match is as good as unknown.
    known = set(access.restrict_to_scope(Match.objects.filter(pk__in=ids), user,
                                         MATCH_MUNICIPALITY).values_list("pk", flat=True))
    return [pk for pk in ids if pk in known]


def match_for_adviser(*, user: User, pk: int) -> Match:
    """A match the adviser may handle; outside their municipality scope it is a 404. (The
    match page reads its own columns: `matching.match_page`.)"""
    access.require_adviser(user)
    qs = Match.objects.select_related(
        "need__organisation__municipality", "need__area", "offer__provider",
        "offer__municipality",
    )
    return get_object_or_404(access.restrict_to_scope(qs, user, MATCH_MUNICIPALITY), pk=pk)


def matches_for_user(*, user: User, **filters) -> QuerySet[Match]:
    """What `user` may read in bulk (the API): advisers the work queue, anyone else what was
    proposed to the businesses they belong to; both with `match_queue`'s filters."""
    if access.is_adviser(user):
        return match_queue(user=user, **filters)
    return _matches_filtered(business_matches_for(
        access.organisations_for_user(user=user, kind=Organisation.Kind.BUSINESS)), **filters)


def business_matches(organisation: Organisation) -> QuerySet[Match]:
    return business_matches_for([organisation])


def business_matches_for(organisations) -> QuerySet[Match]:
    """What the businesses may see: matches an adviser has proposed to them, and after."""
    return (
        Match.objects.filter(need__organisation__in=organisations, status__in=BUSINESS_VISIBLE)
        .select_related("need__area", "offer__provider", "offer__municipality")
        .order_by("need_id", "-score", "pk")
    )


@dataclass
class ProposalRow:
    """One card of a business's proposals, read as plain values (the view adds the
    explanation and the offer's link)."""

    pk: int
    status: str
    reasons: list
    response_reason: str
    need_name: str  # as `str(need)`: the title, else the area and the participants
    offer_id: int
    offer_title: str
    offer_format: str
    offer_start_date: object
    offer_price_nok: object
    offer_url: str
    offer_place: str | None  # the offer's municipality's name, None without one
    provider_name: str
    explanation: str = ""
    offer_link: str = ""


_PROPOSAL_VALUES = (
    "pk", "status", "reasons", "response_reason", "need__title", "need__participants",
    "need__area_id", "offer_id", "offer__title", "offer__format", "offer__start_date",
    "offer__price_nok", "offer__url", "offer__municipality_id", "offer__provider__name",
)


def proposal_rows(matches: QuerySet[Match]) -> list[ProposalRow]:
    """The cards of `matches` (`business_matches`) without a match, need, area, offer,
    provider and place built for each; the area's label and the place's name come from the
    kept reference data, not two more joins."""
    names = reference_names()
    rows = []
    for row in matches.values(*_PROPOSAL_VALUES):
        place = row["offer__municipality_id"]
        rows.append(ProposalRow(
            pk=row["pk"], status=row["status"], reasons=row["reasons"],
            response_reason=row["response_reason"],
            need_name=row["need__title"] or (f"{names.areas.get(row['need__area_id'], '')} "
                                             f"({row['need__participants']})"),
            offer_id=row["offer_id"], offer_title=row["offer__title"],
            offer_format=row["offer__format"], offer_start_date=row["offer__start_date"],
            offer_price_nok=row["offer__price_nok"], offer_url=row["offer__url"],
            offer_place=None if place is None else names.municipalities.get(place, ""),
            provider_name=row["offer__provider__name"]))
    return rows


def match_for_business(*, user: User, pk: int) -> Match:
    """A proposal to a business the user belongs to: 403 for someone in no business at all,
    404 for another business's (or an unsent) match."""
    businesses = access.require_organisations(user=user, kind=Organisation.Kind.BUSINESS)
    return get_object_or_404(business_matches_for(businesses), pk=pk)


# --- cohorts ----------------------------------------------------------------------------------


def _best_score_subquery():
    """The engine's recorded best score for the need, else its best current match's score.

    The engine records a best score even when it keeps no match (all below the minimum), which
    is exactly what makes a need a gap; matches made by hand have no engine record.
    """
    engine_best = Subquery(
        NeedMatchState.objects.filter(need_id=OuterRef("pk")).values("best_score")[:1],
        output_field=FloatField(),
    )
    match_best = Subquery(
        Match.objects.filter(need_id=OuterRef("pk"), is_current=True)
        .order_by("-score").values("score")[:1],
        output_field=FloatField(),
    )
    return Coalesce(engine_best, match_best)


def gap_needs(*, user: User, threshold: float | None = None) -> QuerySet[Need]:
    """Matchable needs nothing covers well: the best score (missing = 0) is in the weak band
    (below bands.POSSIBLE), unless another threshold is asked for; within `user`'s
    municipality scope."""
    if threshold is None:
        threshold = bands.POSSIBLE
    qs = access.restrict_to_scope(Need.objects.all(), user, "organisation__municipality")
    return (
        qs.filter(status__in=Need.MATCHABLE)
        .annotate(best_score=Coalesce(_best_score_subquery(), Value(0.0)))
        .filter(best_score__lt=threshold)
    )


def gaps_by_area_municipality(*, user: User, threshold: float | None = None) -> list[dict]:
    """Gap needs aggregated per (area, municipality): needs, businesses, participants."""
    rows = (
        gap_needs(threshold=threshold, user=user)
        .values(
            area_code=F("area__code"), municipality_code=F("organisation__municipality__code"),
            municipality_name=F("organisation__municipality__name"),
        )
        .annotate(
            needs=Count("id"),
            businesses=Count("organisation", distinct=True),
            participants=Sum("participants"),
        )
        .order_by("area_code", "municipality_code")
    )
    labels = _area_labels()
    return [
        {**row, "area_label": labels.get(row["area_code"], row["area_code"]),
         "municipality_code": row["municipality_code"] or "",
         "municipality_name": row["municipality_name"] or ""}
        for row in rows
    ]


def _area_labels() -> dict[str, str]:
    field_name = f"label_{(get_language() or 'nb')[:2]}"
    if field_name not in {"label_nb", "label_nn", "label_en"}:
        field_name = "label_nb"
    return dict(CompetenceArea.objects.values_list("code", field_name))


def outcome_offer_choices() -> list[tuple[int, str]]:
    """Published offers, for the survey's "which offer met this need?" picker (registered
    with the needs app at start-up)."""
    rows = (
        Offer.objects.filter(status=Offer.Status.PUBLISHED)
        .select_related("provider").order_by("title").values_list("pk", "title", "provider__name")
    )
    return [(pk, f"{title} – {provider}") for pk, title, provider in rows]

