"""Reads of the needs app. Access checks live here too: a page fetches AND checks in one call."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from portal import access
from portal.compiled_queries import values_rows
from portal.filter_forms import ReferenceNames, reference_memo, reference_names, reference_version
from portal.models import CompetenceArea, Organisation, User

from ..models import Need, NeedImport, SurveyResponse, SurveyRound
from .areas import (  # the competence-area reads, split off by size
    area_choice_groups,
    area_groups,
    area_search,
    fold,
    outcome_offer_choices_for,
    outcome_offer_choices_register,
    published_offers_choices,
)

# --- rounds ------------------------------------------------------------------------------


def round_current() -> SurveyRound | None:
    """The round open today (the most recently opened one if several overlap).

    Every business page asks for it: kept per process and day with the reference data
    (`portal.filter_forms`), whose version a saved or deleted round bumps."""
    today = timezone.localdate()
    return reference_memo(("round-current", today), lambda: (
        SurveyRound.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .order_by("-opens_on", "-pk").first()))


@dataclass(frozen=True)
class SurveyState:
    """Where a business stands with the survey: what its call to action should say."""

    current_round: SurveyRound | None
    draft: SurveyResponse | None
    answered: bool


def survey_state(organisation: Organisation) -> SurveyState:
    current = round_current()
    # All of the business's responses (one a round: a handful) with what the call to action
    # shows, sorted out here: half the cost of building the query that picks them.
    responses = list(SurveyResponse.objects.filter(organisation_id=organisation.pk)
                     .only("status", "step", "round_id", "created_at")
                     .order_by("-created_at", "-pk"))
    draft = next((r for r in responses if r.status == SurveyResponse.Status.DRAFT), None)
    answered = current is not None and any(
        r.status == SurveyResponse.Status.SUBMITTED and r.round_id == current.pk
        for r in responses)
    return SurveyState(current_round=current, draft=draft, answered=answered)


def rounds_by_id(version: float | None = None) -> dict[int, SurveyRound]:
    """Every survey round by id, kept per process with the reference data (a handful a
    year). Shared between requests: read them, never change them."""
    return reference_memo(("rounds-by-id",), lambda: {
        survey_round.pk: survey_round for survey_round in SurveyRound.objects.all()},
        version=version)


def areas_by_id(version: float | None = None) -> dict[int, CompetenceArea]:
    """Every competence area, with its parent, by id: kept per process with the reference
    data, so a page about a few needs joins neither. Shared between requests: read them,
    never change them."""
    return reference_memo(("areas-by-id",), lambda: {
        area.pk: area for area in CompetenceArea.objects.select_related("parent")},
        version=version)


def _with_kept_references(needs: list[Need]) -> list[Need]:
    """`needs` with their area and round set from the kept reference data (one not found
    there, created a moment ago, is read when asked for, as without this)."""
    version = reference_version()  # read once for both
    areas, rounds = areas_by_id(version), rounds_by_id(version)
    for need in needs:
        if need.area_id in areas:
            need.area = areas[need.area_id]
        if need.round_id in rounds:
            need.round = rounds[need.round_id]
    return needs


def rounds_all() -> QuerySet[SurveyRound]:
    return SurveyRound.objects.order_by("-opens_on", "-pk")


# --- needs -------------------------------------------------------------------------------


def _need_qs() -> QuerySet[Need]:
    return Need.objects.select_related(
        "organisation", "organisation__municipality", "area", "area__parent", "round"
    )


def need_for_user(*, user: User, pk: int) -> Need:
    """The need if the user belongs to its organisation or is an adviser; else 404 (a 403
    would confirm to someone guessing URLs that the need exists)."""
    try:
        # `get`, not `filter().first()`: no ORDER BY to build, a quarter of the query's cost;
        # the area and round from the kept reference data rather than three joins.
        need = Need.objects.select_related("organisation", "organisation__municipality").get(
            pk=pk)
    except Need.DoesNotExist:
        raise Http404 from None
    if not access.can_view_organisation_data(user, need.organisation):
        raise Http404
    return _with_kept_references([need])[0]


def need_for_member(*, user: User, pk: int) -> Need:
    """The need if the user may act for its organisation (advisers only view): else 404."""
    need = need_for_user(user=user, pk=pk)
    if not access.can_edit_organisation_data(user, need.organisation):
        raise Http404
    return need


def needs_for_organisation(organisation: Organisation) -> QuerySet[Need]:
    """Every need of the organisation with what its page shows, in a constant number of
    queries however many needs there are."""
    return (
        _need_qs().filter(organisation=organisation)
        .select_related("previous", "outcome_offer")
        .order_by("-created_at", "-pk")
    )


def needs_grouped_by_status(organisation: Organisation) -> list[tuple[Any, list[Need]]]:
    """The business's needs under their status, with what a row of "Our needs" shows: not
    the other joined needs, offers and organisations of `needs_for_organisation`; their
    areas and rounds come from the kept reference data."""
    groups: dict[str, list[Need]] = {status: [] for status in Need.Status.values}
    rows = Need.objects.filter(organisation_id=organisation.pk).only(
        "status", "title", "participants", "earliest_start", "latest_start", "area_id",
        "round_id").order_by("-created_at", "-pk")
    for need in _with_kept_references(list(rows)):
        groups[need.status].append(need)
    return [(Need.Status(status), items) for status, items in groups.items() if items]


@dataclass
class NeedFilters:
    round_id: int | None = None
    municipality_id: int | None = None
    area_id: int | None = None
    status: str = ""
    priority: str = ""
    q: str = ""


@dataclass(frozen=True)
class NeedListRow:
    """One line of the adviser's needs list, read as plain values."""

    pk: int
    name: str  # as `str(need)`: the title, else the area and the participants
    organisation_name: str
    municipality_name: str
    area_label: str
    participants: int
    priority_label: str
    status_label: str
    round_name: str


_LIST_ROW_VALUES = (
    "pk", "title", "participants", "priority", "status", "organisation__name",
    "organisation__municipality_id", "area_id", "round__name",
)


def need_list_rows(needs: QuerySet[Need], *, names: ReferenceNames | None = None,
                   key: Hashable = None) -> list[NeedListRow]:
    """The rows of `needs` (a page of `needs_for_adviser`) without building a need, its
    business, place, area and round for each: fifty of each cost more than the query. The
    area's label and the place's name come from the kept reference data (`names`, if the
    caller has them), not two joins. `key`: everything the page's SQL depends on, to compile
    it once per process (`portal.compiled_queries`)."""
    names = names or reference_names()
    statuses = {value: str(text) for value, text in Need.Status.choices}
    priorities = {value: str(text) for value, text in Need.Priority.choices}
    rows = []
    values = needs.values(*_LIST_ROW_VALUES) if key is None else values_rows(
        ("need-list-rows", key), lambda: needs.values(*_LIST_ROW_VALUES))
    for row in values:
        area = names.areas.get(row["area_id"], "")
        rows.append(NeedListRow(
            pk=row["pk"], name=row["title"] or f"{area} ({row['participants']})",
            organisation_name=row["organisation__name"],
            municipality_name=names.municipalities.get(row["organisation__municipality_id"], ""),
            area_label=area, participants=row["participants"],
            priority_label=priorities.get(row["priority"], row["priority"]),
            status_label=statuses.get(row["status"], row["status"]),
            round_name=row["round__name"] or ""))
    return rows


def needs_for_adviser(*, user: User, filters: NeedFilters | None = None) -> QuerySet[Need]:
    """The needs on the adviser's list, within `user`'s municipality scope."""
    return access.restrict_to_scope(_needs_filtered(filters), user, "organisation__municipality")


def _needs_filtered(filters: NeedFilters | None) -> QuerySet[Need]:
    """Every need, narrowed by the list's filters; an area filter includes its sub-areas."""
    filters = filters or NeedFilters()
    qs = _need_qs()
    if filters.round_id:
        qs = qs.filter(round_id=filters.round_id)
    if filters.municipality_id:
        qs = qs.filter(organisation__municipality_id=filters.municipality_id)
    if filters.area_id:
        code = CompetenceArea.objects.filter(pk=filters.area_id).values("code")[:1]
        qs = qs.filter(area__in=CompetenceArea.objects.with_descendants(code))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    if filters.q:
        qs = qs.filter(
            Q(title__icontains=filters.q) | Q(description__icontains=filters.q)
            | Q(organisation__name__icontains=filters.q)
        )
    return qs.order_by("-created_at", "-pk")


def needs_for_user(*, user: User, filters: NeedFilters | None = None) -> QuerySet[Need]:
    """What `user` may read in bulk (the API): advisers every need, anyone else the needs of
    the businesses they belong to."""
    if access.is_adviser(user):
        return needs_for_adviser(user=user, filters=filters)
    qs = _needs_filtered(filters)
    return qs.filter(organisation__in=access.organisations_for_user(
        user=user, kind=Organisation.Kind.BUSINESS))


# --- survey responses --------------------------------------------------------------------


def response_for_member(*, user: User, pk: int) -> SurveyResponse:
    """A survey response of an organisation the user belongs to; else 404. The business's
    place is not joined: only the review shows it, by name from the reference data."""
    try:
        # `get`, not `filter().first()`: no ORDER BY to build (every step asks for it).
        response = SurveyResponse.objects.select_related("organisation").get(pk=pk)
    except SurveyResponse.DoesNotExist:
        raise Http404 from None
    if not access.can_edit_organisation_data(user, response.organisation):
        raise Http404
    if response.round_id is not None:
        # The round from the kept reference data rather than a join.
        kept = rounds_by_id().get(response.round_id)
        if kept is not None:
            response.round = kept
    return response


def response_needs(response: SurveyResponse) -> list[Need]:
    """The needs of the response with what the review step's summaries show (their areas,
    with their parents, and rounds from the kept reference data)."""
    return _with_kept_references(list(response.needs.order_by("created_at", "pk")))


# What step 3 shows of a need (its name, area and size) and asks of an earlier one (also its
# round and stored answer): two needs' thirty columns each cost more to plan and read. The
# areas and rounds come from the kept reference data.
_STEP_3_FIELDS = (
    "response", "title", "participants", "created_at", "area", "round", "previous",
    *(f"previous__{name}" for name in (
        "title", "participants", "created_at", "outcome", "outcome_offer", "outcome_note",
        "area", "round")),
)


def response_needs_and_earlier(response: SurveyResponse) -> tuple[list[Need], list[Need]]:
    """The response's needs (step 3's list) and the earlier needs carried into it, which the
    round loop asks about: those are the needs' `previous`, read in the same query (one query
    fewer than asking for them apart, and no DISTINCT over a join)."""
    needs = list(response.needs.select_related("previous").only(*_STEP_3_FIELDS)
                 .order_by("created_at", "pk"))
    earlier = {need.previous.pk: need.previous for need in needs if need.previous_id}
    _with_kept_references([*needs, *earlier.values()])
    return needs, sorted(earlier.values(), key=lambda need: (need.created_at, need.pk))


def responses_for_organisation(organisation: Organisation) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(organisation=organisation).select_related("round")


# --- imports -----------------------------------------------------------------------------


def round_for_adviser(*, user: User, pk: int) -> SurveyRound:
    """A survey round, for advisers (403 for anyone else; 404 for an unknown id)."""
    access.require_adviser(user)
    found = SurveyRound.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def need_imports_for_adviser(*, user: User) -> QuerySet[NeedImport]:
    """The needs imports the adviser may open (a scoped adviser: their own uploads)."""
    if access.adviser_scope(user) is None:
        return NeedImport.objects.all()
    return NeedImport.objects.filter(uploaded_by=user)


def need_import_for_adviser(*, user: User, pk: int) -> NeedImport:
    """An upload of the needs import, for advisers (403 for anyone else); a file may name
    businesses anywhere, so an adviser limited to some municipalities sees only their own
    uploads (another's is a 404)."""
    access.require_adviser(user)
    found = need_imports_for_adviser(user=user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


__all__ = [
    "NeedFilters", "area_choice_groups", "area_groups", "area_search", "fold", "need_for_member",
    "need_for_user", "need_import_for_adviser", "needs_for_adviser", "needs_for_organisation",
    "needs_for_user", "needs_grouped_by_status", "outcome_offer_choices_for",
    "outcome_offer_choices_register",
    "published_offers_choices",
    "response_for_member", "response_needs", "response_needs_and_earlier",
    "responses_for_organisation", "round_current", "round_for_adviser", "rounds_all",
    "areas_by_id", "rounds_by_id",
]
