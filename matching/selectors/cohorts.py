"""Reads for the cohort pages: the adviser's list and page, a cohort's members and fitting
offers, what a provider is sent and sees (split from `matching.selectors` by size)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from needs.models import Need, SurveyResponse
from offers.models import Offer
from portal import access
from portal.choices import LEVEL_ORDER
from portal.compiled_queries import values_rows_by_id
from portal.filter_forms import reference_memo
from portal.models import CompetenceArea, Organisation, User
from portal.page_cache import group_version, page_cache_invalidate

from ..counts import (  # noqa: F401
    match_counts_forget,
    match_queue_counts,
    match_queue_size,
    match_status_counts,
)
from ..models import (
    Cohort,
    CohortNeed,
    CohortRequest,
)


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


def cohort_fitting_offer_rows(cohort: Cohort, fields: tuple[str, ...], *,
                              version: float) -> tuple[dict, ...]:
    """`cohort_fitting_offers` as `.values(*fields)` rows, kept per process for the day until
    an offer, a provider or an area changes (`version`: the page cache's "offers" version,
    bumped on every such write): building that query (eight filters and a distinct) cost
    more than the rest of a cohort's page. Shared between requests: read them, never change
    them."""
    key = ("fitting-offers", cohort.area_id, cohort.level, timezone.localdate(), fields)
    return reference_memo(key, lambda: tuple(
        cohort_fitting_offers(cohort).select_related(None).values(*fields)), version=version)


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
    """Anonymise cohorts per consent level, all of them in one query (a row per business
    shown, `_shown_businesses`).

    "statistics" (or no survey response at all, the safest reading) → the need is left out;
    "anonymous" → counted, no name; "named" → the business's name and contact person are shown.
    """
    summaries = {cohort.pk: ProviderCohortSummary(total_participants=cohort.participants,
                                                  total_businesses=cohort.business_count)
                 for cohort in cohorts}
    _add_shown(summaries, _shown_businesses(list(summaries)))
    return summaries


def cohort_counts_from_members(cohort: Cohort, members) -> ProviderCohortSummary:
    """The counts of `cohort_provider_summary` from the cohort's member needs already read
    (`cohort_members` rows with "organisation_id", "participants", "response__consent";
    every member, so only for an adviser without a limited scope): no second query. Only
    the counts: `named` stays empty."""
    summary = ProviderCohortSummary(total_participants=cohort.participants,
                                    total_businesses=cohort.business_count)
    _count_shown({cohort.pk: summary}, (
        (cohort.pk, row["organisation_id"], row["participants"], row["response__consent"])
        for row in members))
    return summary


def _count_shown(summaries: dict[int, ProviderCohortSummary], needs) -> None:
    """Count `needs` — (cohort id, business id, participants, consent) — into `summaries`
    per consent level, as `cohort_provider_summaries` does, without the names."""
    named: dict[int, set[int]] = {pk: set() for pk in summaries}
    anonymous: dict[int, set[int]] = {pk: set() for pk in summaries}
    for cohort_id, org_id, participants, consent in needs:
        consent = consent or SurveyResponse.Consent.STATISTICS
        if consent == SurveyResponse.Consent.STATISTICS:
            continue
        summaries[cohort_id].participants += participants
        summaries[cohort_id].need_count += 1
        (named if consent == SurveyResponse.Consent.NAMED else anonymous)[cohort_id].add(org_id)
    for cohort_id, summary in summaries.items():
        unnamed = anonymous[cohort_id] - named[cohort_id]
        summary.anonymous_businesses = len(unnamed)
        summary.business_count = len(named[cohort_id]) + len(unnamed)


# What a card of the provider's list shows of a request and its cohort
# (`cohort_parts.provider_request_cards`); the area's label and the place's name come from the
# kept reference data, not two more joins.
PROVIDER_CARD_FIELDS = (
    "pk", "status", "cohort_id", "cohort__area_id", "cohort__level", "cohort__online",
    "cohort__window_start", "cohort__window_end", "cohort__participants",
    "cohort__business_count", "cohort__anchor_municipality_id",
)


def provider_request_rows(organisation_id: int) -> list[dict]:
    """`provider_requests` as `.values(*PROVIDER_CARD_FIELDS)` rows, the SQL compiled once per
    process (`portal.compiled_queries`)."""
    return values_rows_by_id(("provider-request-rows",), lambda pk: provider_requests(
        Organisation(pk=pk)).values(*PROVIDER_CARD_FIELDS), organisation_id)


def _shown_businesses(cohort_ids) -> QuerySet[CohortNeed]:
    """Per cohort of `cohort_ids` and business with a need a provider may see (not
    "statistics" nor unanswered): its needs, their participants, and those of its named needs
    with its name and contact (NULL when it agreed to no name). In the order the named
    businesses are listed (`cohort_provider_summaries`): by name, then first named need."""
    named = Q(need__response__consent=SurveyResponse.Consent.NAMED)
    return (
        CohortNeed.objects.filter(cohort_id__in=cohort_ids, need__response__isnull=False)
        .exclude(need__response__consent__in=["", SurveyResponse.Consent.STATISTICS])
        .values("cohort_id", "need__organisation_id", "need__organisation__name",
                "need__organisation__contact_name", "need__organisation__contact_email",
                "need__organisation__contact_phone")
        .annotate(needs=Count("pk"), participants=Sum("need__participants"),
                  named_participants=Sum("need__participants", filter=named),
                  first_named=Min("need_id", filter=named))
        .order_by("need__organisation__name", "first_named")
    )


# The version of what a provider may see of a cohort's members: their needs' participants and
# consent, their businesses' names and contacts, and who is a member (`cohort_members_changed`).
MEMBERS_GROUP = "cohort-members"


def cohort_members_changed(*, after_commit: bool = True) -> None:
    """What providers are shown of the cohorts' members is stale: a need, an answer (its
    consent) or a business was saved or deleted, or a rebuild replaced members."""
    page_cache_invalidate(MEMBERS_GROUP, after_commit=after_commit)


def cohort_members_version() -> float:
    """When what providers are shown of the cohorts' members last changed."""
    return group_version(MEMBERS_GROUP)


def provider_request_summaries(organisation_id: int, requests: list[dict], *,
                               version: float | None = None,
                               ) -> dict[int, ProviderCohortSummary]:
    """`cohort_provider_summaries` of the cohorts of the provider's `requests`
    (`provider_request_rows`): the same figures and named businesses, read in one query of
    a row per business shown (counted and grouped by PostgreSQL) rather than every member
    need with its business's contact, and kept per process under the members' version
    (`MEMBERS_GROUP`) and the requests' cohorts with their totals, which come from the
    live rows. `version`: the members' version, if the caller read it already. Shared
    between requests: read them, never change them."""
    cohorts = tuple((row["cohort_id"], row["cohort__participants"],
                     row["cohort__business_count"]) for row in requests)
    if not cohorts:
        return {}
    return reference_memo(("provider-request-summaries", organisation_id, cohorts),
                          lambda: _summaries_of_shown(organisation_id, cohorts),
                          version=cohort_members_version() if version is None else version)


def _summaries_of_shown(organisation_id: int, cohorts) -> dict[int, ProviderCohortSummary]:
    """`cohort_provider_summaries` of the provider's requested cohorts, their totals given."""
    summaries = {cohort_id: ProviderCohortSummary(total_participants=participants,
                                                  total_businesses=businesses)
                 for cohort_id, participants, businesses in cohorts}
    rows = values_rows_by_id(("provider-request-summaries",), lambda pk: _shown_businesses(
        CohortRequest.objects.filter(provider_id=pk).values("cohort_id")), organisation_id)
    _add_shown(summaries, rows)
    return summaries


def _add_shown(summaries: dict[int, ProviderCohortSummary], rows) -> None:
    """Add `_shown_businesses`' rows, already counted per business, to `summaries`."""
    for row in rows:
        summary = summaries.get(row["cohort_id"])
        if summary is None:  # a request sent since the list was read
            continue
        summary.participants += row["participants"]
        summary.need_count += row["needs"]
        summary.business_count += 1
        if row["named_participants"] is None:
            summary.anonymous_businesses += 1
        else:
            summary.named.append(NamedBusiness(
                name=row["need__organisation__name"],
                contact_name=row["need__organisation__contact_name"],
                contact_email=row["need__organisation__contact_email"],
                contact_phone=row["need__organisation__contact_phone"],
                participants=row["named_participants"]))


# --- gaps -------------------------------------------------------------------------------------


