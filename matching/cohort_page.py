"""What the adviser's cohort page reads: the cohort with the member needs the adviser may see
in one SQL, and who it was sent to in another, each compiled once per process
(`portal.compiled_queries`); the views of the page are in `matching.views.cohorts`."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from portal import access
from portal.compiled_queries import values_rows_by_id
from portal.models import User

from .models import Cohort, CohortRequest

# What the page shows of the cohort (its area's label and its place's name come from the kept
# reference data), and of each member need: the keys of `cohort_members(...).values()`, read
# through the cohort's needs.
COHORT_PAGE_FIELDS = (
    "area_id", "level", "anchor_municipality_id", "online", "window_start", "window_end",
    "participants", "business_count", "threshold", "is_opportunity", "is_current", "status",
    "adviser_note",
)
MEMBER_FIELDS = (
    "pk", "response_id", "organisation_id", "title", "participants", "area_id",
    "organisation__name", "organisation__municipality_id", "response__consent",
)
REQUEST_FIELDS = ("pk", "status", "response", "provider__name")
_MEMBER_COLUMNS = tuple((name, f"needs__{name}") for name in MEMBER_FIELDS)


@dataclass
class CohortPage:
    """The cohort (`COHORT_PAGE_FIELDS` loaded, the others deferred) and its member needs in
    the adviser's scope, as `.values(*MEMBER_FIELDS)` rows ordered by business and need."""

    cohort: Cohort
    members: list[dict]


def cohort_page_for_adviser(*, user: User, pk: int) -> CohortPage:
    """A cohort the adviser may see, with its members, as `selectors.cohort_for_adviser` and
    `selectors.cohort_members` read them, from one SQL for every cohort in the scope: the
    cohort's columns on each member's row (no member: one row without them). An adviser
    limited to some municipalities reads only the members there, and a cohort without any of
    those is a 404 (`_cohorts_in_scope`)."""
    access.require_adviser(user)

    def build(cohort_id: int):
        # The scope's filter and the member columns share the join to the needs: only the
        # members in scope come back, each once.
        return access.restrict_to_scope(
            Cohort.objects.filter(pk=cohort_id), user, "needs__organisation__municipality",
        ).order_by("needs__organisation__name", "needs__pk").values(
            "pk", *COHORT_PAGE_FIELDS, *(column for _name, column in _MEMBER_COLUMNS))

    rows = values_rows_by_id(("cohort-page", access.adviser_scope(user)), build, pk)
    if not rows:
        raise Http404
    first = rows[0]
    cohort = Cohort.from_db("default", ["id", *COHORT_PAGE_FIELDS],
                            [first["pk"], *(first[name] for name in COHORT_PAGE_FIELDS)])
    member_rows = [{name: row[column] for name, column in _MEMBER_COLUMNS}
                   for row in rows if row["needs__pk"] is not None]
    return CohortPage(cohort=cohort, members=member_rows)


def cohort_page_requests(cohort_id: int) -> list[dict]:
    """Who the cohort was sent to, by provider name: `.values(*REQUEST_FIELDS)` rows."""
    return values_rows_by_id(("cohort-page-requests",), lambda pk: CohortRequest.objects.filter(
        cohort_id=pk).order_by("provider__name").values(*REQUEST_FIELDS), cohort_id)
