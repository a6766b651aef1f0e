"""The adviser's cohorts: the list, a cohort's page, and sending it to providers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal import access
from portal.filter_forms import filter_state, prefilled_fields_html
from portal.page_cache import group_version

from .. import selectors, services
from ..forms import CohortFilterForm, CohortSendForm, CohortStatusForm, cohort_send_fields_html
from ._common import with_level_label

PAGE_SIZE = 25
# The area's label and the place's name come from the kept reference data
# (`match_rows.cohort_list_rows`): no join in the page's query or its count.
COHORT_ROW_FIELDS = (
    "online", "window_start", "window_end", "participants", "threshold", "business_count",
    "is_opportunity", "is_current", "status", "area_id", "anchor_municipality_id",
)
# What the cohort page shows of its needs and of the offers that fit.
# The area's label and the place's name come from the kept reference data
# (`cohort_parts.cohort_member_rows`), not two more joins.
COHORT_MEMBER_FIELDS = (
    "title", "participants", "area_id", "organisation__name",
    "organisation__municipality_id", "response__consent",
)
FITTING_OFFER_FIELDS = ("title", "on_demand", "min_participants", "provider__name")


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    # Validated and rendered once per language and set of values, as the queue's filters.
    filter_form = filter_state(CohortFilterForm, request.GET)
    filters = filter_form.cleaned
    cohorts = selectors.cohort_list(
        status=filters.get("status", ""), area=filters.get("area", ""),
        opportunities_only=bool(filters.get("opportunities")),
        include_retired=bool(filters.get("retired")), user=request.user,
    ).values("pk", *COHORT_ROW_FIELDS)
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matching/cohort_list.html", {
        "form": filter_form.form, "filter_fields": filter_form.html, "page_obj": page})


def _render_cohort(request, cohort, *, status_form=None, send_form=None, status=200):
    with_level_label(cohort)
    # The offers that fit and the providers' checkboxes depend on the catalogue's data only:
    # kept per process under its version (one read for both).
    catalogue = group_version("offers")
    # Plain rows: often sixty offers, and only their names are shown.
    fitting = selectors.cohort_fitting_offer_rows(
        cohort, ("pk", "provider_id", *FITTING_OFFER_FIELDS), version=catalogue)
    fitting_providers = {offer["provider_id"] for offer in fitting}
    ticked = tuple(sorted(fitting_providers))
    status_form = status_form or CohortStatusForm(instance=cohort)
    members = list(selectors.cohort_members(cohort, user=request.user).values(
        "pk", "response_id", "organisation_id", *COHORT_MEMBER_FIELDS))
    # An adviser who sees every member has read all the counts need: no second query.
    summary = (selectors.cohort_counts_from_members(cohort, members)
               if access.adviser_scope(request.user) is None
               else selectors.cohort_provider_summary(cohort))
    return render(request, "matching/cohort_detail.html", {
        "cohort": cohort,
        "summary": summary,
        "members": members,
        "offers": fitting,
        "requests": list(cohort.requests.order_by("provider__name").values(
            "pk", "status", "response", "provider__name")),
        "status_form": status_form,
        # Unbound, the status and note are written once per set of values.
        "status_fields": prefilled_fields_html(status_form, "status", "adviser_note"),
        "send_form": send_form or SimpleLazyObject(
            lambda: CohortSendForm(initial={"providers": list(ticked)})),
        "send_fields": cohort_send_fields_html(send_form, ticked=ticked, version=catalogue),
        "fitting_providers": fitting_providers,
    }, status=status)


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_adviser(user=request.user, pk=pk)
    if request.method == "POST":
        form = CohortStatusForm(request.POST, instance=cohort)
        if not form.is_valid():
            return _render_cohort(request, cohort, status_form=form, status=400)
        services.cohort_update(cohort_id=cohort.pk, status=form.cleaned_data["status"],
                               note=form.cleaned_data["adviser_note"])
        messages.success(request, gettext("The cohort was updated."))
        return redirect("matching:cohort_detail", pk=cohort.pk)
    return _render_cohort(request, cohort)


@login_required
@require_POST
def cohort_send(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_for_adviser(user=request.user, pk=pk)
    form = CohortSendForm(request.POST)
    if not form.is_valid():
        return _render_cohort(request, cohort, send_form=form, status=400)
    created = services.cohort_send_to_providers(
        cohort_id=cohort.pk, provider_ids=[p.pk for p in form.cleaned_data["providers"]],
        message=form.cleaned_data["message"], by=request.user,
    )
    messages.success(request, gettext("Sent to %(count)d provider(s).") % {"count": len(created)})
    return redirect("matching:cohort_detail", pk=cohort.pk)
