"""Reads for the matching pages: work queues, access-checked lookups, cohort summaries, gaps.

Every `*_for_<audience>` function fetches an object *and* checks the caller may touch it, so a
view's first line cannot forget the access rule; another organisation's object is a 404.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from needs.models import Need, SurveyResponse
from offers.models import Offer
from portal import access
from portal.choices import LEVEL_ORDER
from portal.compiled_queries import values_rows, values_rows_by_id
from portal.filter_forms import ReferenceNames, reference_memo, reference_names
from portal.models import CompetenceArea, Organisation, User

from .counts import (  # noqa: F401
    match_counts_forget,
    match_queue_counts,
    match_queue_size,
    match_status_counts,
)
from .engine import bands
from .models import (
    Cohort,
    CohortNeed,
    CohortRequest,
    Match,
    NeedMatchState,
    OfferInterest,
)

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


@dataclass(frozen=True)
class QueueRow:
    """One line of the adviser's work queue, read as plain values."""

    pk: int
    score: float
    status: str
    decline_reason: str  # `Match.decline_reason_display`, "" without a reason
    need_name: str  # as `str(need)`: the title, else the area and the participants
    organisation_name: str
    municipality_name: str
    offer_title: str
    provider_name: str


_QUEUE_ROW_VALUES = (
    "pk", "score", "status", "response_reason", "need__title", "need__participants",
    "need__area_id", "need__organisation__name", "need__organisation__municipality_id",
    "offer__title", "offer__provider__name",
)


def queue_rows(queue: QuerySet[Match], *, names: ReferenceNames | None = None,
               key: Hashable = None) -> list[QueueRow]:
    """The rows of `queue` (a page of `match_queue`) without building a match, its need,
    business, place, area, offer and provider for each; the area's label and the place's
    name come from the kept reference data (`names`, if the caller has them), not two more
    joins (which made planning the query take longer than running it). `key`: everything
    the page's SQL depends on, to compile it once per process (`portal.compiled_queries`)."""
    names = names or reference_names()
    rows = []
    values = queue.values(*_QUEUE_ROW_VALUES) if key is None else values_rows(
        ("queue-rows", key), lambda: queue.values(*_QUEUE_ROW_VALUES))
    for row in values:
        area = names.areas.get(row["need__area_id"], "")
        reason = row["response_reason"]
        rows.append(QueueRow(
            pk=row["pk"], score=row["score"], status=row["status"],
            decline_reason=Match(response_reason=reason).decline_reason_display()
            if reason else "",
            need_name=row["need__title"] or f"{area} ({row['need__participants']})",
            organisation_name=row["need__organisation__name"],
            municipality_name=names.municipalities.get(
                row["need__organisation__municipality_id"], ""),
            offer_title=row["offer__title"], provider_name=row["offer__provider__name"]))
    return rows


def match_queue_count_up_to(queue: QuerySet[Match], limit: int) -> int:
    """How many matches `queue` holds, counting no further than `limit` (a scan that stops
    there, not a count of every match in the region)."""
    return queue.order_by()[:limit].count()


def _matches_filtered(
    qs: QuerySet[Match], *, status: str = "", area: str = "", municipality: str = "",
    min_score: float | None = None,
) -> QuerySet[Match]:
    if status:
        qs = qs.filter(status=status)
    if area:
        # The area's ids first: given a subquery, the planner joined every row's need, offer and
        # business before filtering (12 ms for a page of the 100 000 matches; 5 ms this way).
        # Kept per process with the reference data, whose version a saved area bumps.
        area_ids = reference_memo(("area-with-descendants", area), lambda: list(
            CompetenceArea.objects.with_descendants(area).values_list("pk", flat=True)))
        qs = qs.filter(need__area_id__in=area_ids)
    if municipality:
        qs = qs.filter(need__organisation__municipality__code=municipality)
    if min_score is not None:
        qs = qs.filter(score__gte=min_score)
    return qs


def match_ids_for_adviser(*, user: User, ids: list[int]) -> list[int]:
    """Those of `ids` the adviser may act on (unknown ids are dropped), in the given order."""
    access.require_adviser(user)
    # Outside the adviser's municipality scope a match is as good as unknown.
    known = set(access.restrict_to_scope(Match.objects.filter(pk__in=ids), user,
                                         MATCH_MUNICIPALITY).values_list("pk", flat=True))
    return [pk for pk in ids if pk in known]


def match_for_adviser(*, user: User, pk: int, fields: tuple[str, ...] = (),
                      related: tuple[str, ...] = ()) -> Match:
    """A match the adviser may handle; outside their municipality scope it is a 404. `fields`:
    only these columns, `related`: only these rows read with it (both: all by default)."""
    access.require_adviser(user)
    qs = Match.objects.select_related(*(related or (
        "need__organisation__municipality", "need__area", "offer__provider",
        "offer__municipality",
    )))
    return get_object_or_404(
        access.restrict_to_scope(qs.only(*fields) if fields else qs, user, MATCH_MUNICIPALITY),
        pk=pk,
    )


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


def _cohorts_in_scope(qs: QuerySet[Cohort], user) -> QuerySet[Cohort]:
    """Cohorts with at least one member need in the adviser's municipality scope."""
    scope = access.adviser_scope(user)
    if scope is None:
        return qs
    return qs.filter(Exists(CohortNeed.objects.filter(
        cohort_id=OuterRef("pk"), need__organisation__municipality__code__in=sorted(scope))))


def cohort_list(
    *, status: str = "", area: str = "", opportunities_only: bool = False,
    include_retired: bool = False, user: User,
) -> QuerySet[Cohort]:
    qs = _cohorts_in_scope(Cohort.objects.select_related("area", "anchor_municipality"), user)
    if not include_retired:
        qs = qs.filter(is_current=True)
    if status:
        qs = qs.filter(status=status)
    if area:
        qs = qs.filter(area__in=CompetenceArea.objects.with_descendants(area))
    if opportunities_only:
        qs = qs.filter(is_opportunity=True)
    return qs.order_by("-is_opportunity", "-participants", "key")


def cohort_for_adviser(*, user: User, pk: int) -> Cohort:
    access.require_adviser(user)
    return get_object_or_404(
        _cohorts_in_scope(Cohort.objects.select_related("area", "anchor_municipality"), user),
        pk=pk,
    )


def cohort_request_for_adviser(*, user: User, pk: int) -> CohortRequest:
    """A provider's answer about a cohort in the adviser's scope; 404 outside it."""
    access.require_adviser(user)
    in_scope = _cohorts_in_scope(Cohort.objects.all(), user)
    return get_object_or_404(CohortRequest.objects.filter(cohort__in=in_scope).select_related(
        "cohort__area", "provider"), pk=pk)


def cohort_members(cohort: Cohort, *,
                   user: User | None = None,  # None: every member, for `seed_demo_meetings`
                   ) -> QuerySet[Need]:
    """The cohort's needs; a scoped adviser sees only the members in their municipalities."""
    qs = (
        Need.objects.filter(cohort_memberships__cohort=cohort)
        .select_related("organisation__municipality", "area", "response")
        .order_by("organisation__name", "pk")
    )
    return access.restrict_to_scope(qs, user, "organisation__municipality") if user else qs


def cohort_fitting_offers(cohort: Cohort) -> QuerySet[Offer]:
    """Offers still open for sign-up in the cohort's area (with its sub-areas) or its top
    area, at a compatible level: never a course that has ended or closed its sign-up."""
    areas = CompetenceArea.objects.with_descendants(cohort.area.code) | (
        CompetenceArea.objects.filter(code=cohort.area.top_code))
    qs = Offer.objects.open_for_signup(timezone.localdate()).filter(areas__in=areas)
    if cohort.level in LEVEL_ORDER:
        order = LEVEL_ORDER[cohort.level]
        qs = qs.filter(level__in=[lv for lv, o in LEVEL_ORDER.items() if abs(o - order) <= 1])
    return (
        qs.select_related("provider", "municipality").distinct().order_by("provider__name", "title")
    )


# (area, level, day, fields, version of the catalogue's data) -> the fitting offers' rows.
_fitting_memo: dict[tuple, tuple[dict, ...]] = {}
_FITTING_MEMO_MAX = 500


def cohort_fitting_offer_rows(cohort: Cohort, fields: tuple[str, ...], *,
                              version: float) -> tuple[dict, ...]:
    """`cohort_fitting_offers` as `.values(*fields)` rows, kept per process for the day until
    an offer, a provider or an area changes (`version`: the page cache's "offers" version,
    bumped on every such write): building that query (eight filters and a distinct) cost
    more than the rest of a cohort's page. Shared between requests: read them, never change
    them."""
    today = timezone.localdate()
    key = (cohort.area_id, cohort.level, today, fields, version)
    rows = _fitting_memo.get(key)
    if rows is None:
        rows = tuple(cohort_fitting_offers(cohort).select_related(None).values(*fields))
        if len(_fitting_memo) >= _FITTING_MEMO_MAX:
            _fitting_memo.clear()
        _fitting_memo[key] = rows
    return rows


def provider_requests(organisation: Organisation) -> QuerySet[CohortRequest]:
    return (
        CohortRequest.objects.filter(provider=organisation)
        .select_related("cohort__area", "cohort__anchor_municipality", "offer")
        .order_by("-created_at", "-pk")
    )


def cohort_request_for_provider(*, user: User, pk: int) -> CohortRequest:
    """A request sent to a provider the user belongs to: 403 for someone in no provider at
    all, 404 for another provider's request."""
    providers = access.require_organisations(user=user, kind=Organisation.Kind.PROVIDER)
    return get_object_or_404(
        CohortRequest.objects.filter(provider__in=providers)
        .select_related("cohort__area", "cohort__anchor_municipality", "offer"), pk=pk)


@dataclass
class NamedBusiness:
    name: str
    contact_name: str
    contact_email: str
    contact_phone: str
    participants: int


@dataclass
class ProviderCohortSummary:
    """What a provider may see of a cohort: counts, plus names only where a business agreed."""

    participants: int = 0
    business_count: int = 0
    need_count: int = 0
    named: list[NamedBusiness] = field(default_factory=list)
    anonymous_businesses: int = 0
    # The whole cohort, consent or not: both views state both figures, so the adviser's
    # "26 from 7" and the provider's "21 from 5" never look like a contradiction.
    total_participants: int = 0
    total_businesses: int = 0

    @property
    def all_shown(self) -> bool:
        return (self.participants, self.business_count) == (
            self.total_participants, self.total_businesses)


def cohort_provider_summary(cohort: Cohort) -> ProviderCohortSummary:
    """Anonymise a cohort per consent level (see `cohort_provider_summaries`)."""
    return cohort_provider_summaries([cohort])[cohort.pk]


def cohort_provider_summaries(cohorts) -> dict[int, ProviderCohortSummary]:
    """Anonymise cohorts per consent level, all of them in one query (a provider's list).

    "statistics" (or no survey response at all, the safest reading) → the need is left out;
    "anonymous" → counted, no name; "named" → the business's name and contact person are shown.
    """
    summaries = {cohort.pk: ProviderCohortSummary(total_participants=cohort.participants,
                                                  total_businesses=cohort.business_count)
                 for cohort in cohorts}
    ids = list(summaries)
    rows = (
        CohortNeed.objects.filter(cohort_id__in=ids)
        .values(
            "cohort_id", "need__organisation_id", "need__participants",
            "need__response__consent", "need__organisation__name",
            "need__organisation__contact_name", "need__organisation__contact_email",
            "need__organisation__contact_phone",
        )
        .order_by("need__organisation__name", "need_id")
    )
    _count_shown(summaries, (
        (row["cohort_id"], row["need__organisation_id"], row["need__participants"],
         row["need__response__consent"], row) for row in rows))
    return summaries


def cohort_counts_from_members(cohort: Cohort, members) -> ProviderCohortSummary:
    """The counts of `cohort_provider_summary` from the cohort's member needs already read
    (`cohort_members` rows with "organisation_id", "participants", "response__consent";
    every member, so only for an adviser without a limited scope): no second query. Only
    the counts: `named` stays empty."""
    summary = ProviderCohortSummary(total_participants=cohort.participants,
                                    total_businesses=cohort.business_count)
    _count_shown({cohort.pk: summary}, (
        (cohort.pk, row["organisation_id"], row["participants"], row["response__consent"], None)
        for row in members))
    return summary


def _count_shown(summaries: dict[int, ProviderCohortSummary], needs) -> None:
    """Count `needs` — (cohort id, business id, participants, consent, the row with the
    business's name and contact, or None for counts only) — into `summaries` per consent
    level (`cohort_provider_summaries`)."""
    named: dict[int, dict[int, NamedBusiness | None]] = {pk: {} for pk in summaries}
    anonymous: dict[int, set[int]] = {pk: set() for pk in summaries}
    for cohort_id, org_id, participants, consent, row in needs:
        consent = consent or SurveyResponse.Consent.STATISTICS
        if consent == SurveyResponse.Consent.STATISTICS:
            continue
        summary = summaries[cohort_id]
        summary.participants += participants
        summary.need_count += 1
        if consent == SurveyResponse.Consent.NAMED:
            if row is None:
                named[cohort_id][org_id] = None
                continue
            entry = named[cohort_id].setdefault(org_id, NamedBusiness(
                name=row["need__organisation__name"],
                contact_name=row["need__organisation__contact_name"],
                contact_email=row["need__organisation__contact_email"],
                contact_phone=row["need__organisation__contact_phone"],
                participants=0,
            ))
            entry.participants += participants
        else:
            anonymous[cohort_id].add(org_id)
    for cohort_id, summary in summaries.items():
        unnamed = anonymous[cohort_id] - set(named[cohort_id])
        summary.named = [entry for entry in named[cohort_id].values() if entry is not None]
        summary.anonymous_businesses = len(unnamed)
        summary.business_count = len(named[cohort_id]) + len(unnamed)


# --- gaps -------------------------------------------------------------------------------------


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


def match_interest(match: Match) -> dict | None:
    """The business's “Meld interesse” for this match's offer, if it registered one: when
    (`created_at`). One SQL for every match, compiled once per process."""
    rows = values_rows_by_id(("match-interest",), lambda organisation, offer: (
        OfferInterest.objects.filter(organisation_id=organisation, offer_id=offer)
        .values("created_at")[:1]), match.need.organisation_id, match.offer_id)
    return rows[0] if rows else None
