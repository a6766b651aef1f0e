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
from portal.filter_forms import GROUP as REFERENCE_GROUP
from portal.filter_forms import filter_state, prefilled_fields_html, reference_names
from portal.page_cache import group_versions

from .. import cohort_page, selectors, services
from ..forms import CohortFilterForm, CohortSendForm, CohortStatusForm, cohort_send_fields_html
from ._common import with_level_label

PAGE_SIZE = 25
# The area's label and the place's name come from the kept reference data
# (`match_rows.cohort_list_rows`): no join in the page's query or its count.
COHORT_ROW_FIELDS = (
    "online", "window_start", "window_end", "participants", "threshold", "business_count",
    "is_opportunity", "is_current", "status", "area_id", "anchor_municipality_id",
)
# What the cohort page shows of the offers that fit.
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


def _render_cohort(request, page: cohort_page.CohortPage, *, status_form=None, send_form=None,
                   status=200):
    cohort = with_level_label(page.cohort)
    # The reference data (areas' labels, places' names, the status field) and the catalogue
    # (the offers that fit, the providers' checkboxes) are kept per process under their
    # versions: both read in one round trip.
    reference, catalogue = group_versions(REFERENCE_GROUP, "offers")
    names = reference_names(version=reference)
    # Plain rows: often sixty offers, and only their names are shown.
    fitting = selectors.cohort_fitting_offer_rows(
        cohort, ("pk", "provider_id", *FITTING_OFFER_FIELDS), version=catalogue)
    fitting_providers = {offer["provider_id"] for offer in fitting}
    ticked = tuple(sorted(fitting_providers))
    status_form = status_form or CohortStatusForm(instance=cohort)
    # An adviser who sees every member has read all the counts need: no second query.
    summary = (selectors.cohort_counts_from_members(cohort, page.members)
               if access.adviser_scope(request.user) is None
               else selectors.cohort_provider_summary(cohort))
    return render(request, "matching/cohort_detail.html", {
        "cohort": cohort,
        "area_label": names.areas.get(cohort.area_id, ""),
        "names": names,
        "summary": summary,
        "members": page.members,
        "offers": fitting,
        "requests": cohort_page.cohort_page_requests(cohort.pk),
        "status_form": status_form,
        # Unbound, the status and note are written once per set of values.
        "status_fields": prefilled_fields_html(status_form, "status", "adviser_note",
                                               version=reference),
        "send_form": send_form or SimpleLazyObject(
            lambda: CohortSendForm(initial={"providers": list(ticked)})),
        "send_fields": cohort_send_fields_html(send_form, ticked=ticked, version=catalogue),
        "fitting_providers": fitting_providers,
    }, status=status)


@login_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = cohort_page.cohort_page_for_adviser(user=request.user, pk=pk)
    cohort = page.cohort
    if request.method == "POST":
        form = CohortStatusForm(request.POST, instance=cohort)
        if not form.is_valid():
            return _render_cohort(request, page, status_form=form, status=400)
        services.cohort_update(cohort_id=cohort.pk, status=form.cleaned_data["status"],
                               note=form.cleaned_data["adviser_note"])
        messages.success(request, gettext("The cohort was updated."))
        return redirect("matching:cohort_detail", pk=cohort.pk)
    return _render_cohort(request, page)


@login_required
@require_POST
def cohort_send(request: HttpRequest, pk: int) -> HttpResponse:
    page = cohort_page.cohort_page_for_adviser(user=request.user, pk=pk)
    cohort = page.cohort
    form = CohortSendForm(request.POST)
    if not form.is_valid():
        return _render_cohort(request, page, send_form=form, status=400)
    created = services.cohort_send_to_providers(
        cohort_id=cohort.pk, provider_ids=[p.pk for p in form.cleaned_data["providers"]],
        message=form.cleaned_data["message"], by=request.user,
    )
    messages.success(request, gettext("Sent to %(count)d provider(s).") % {"count": len(created)})
    return redirect("matching:cohort_detail", pk=cohort.pk)
