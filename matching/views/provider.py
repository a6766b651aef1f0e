"""A provider's cohort requests: anonymised pooled demand, and its answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from portal import access

from .. import selectors, services
from ..forms import CohortResponseForm
from ._common import with_level_label


@login_required
def provider_cohorts(request: HttpRequest) -> HttpResponse:
    organisation = access.require_active_organisation(request, "provider")
    requests = selectors.provider_request_rows(organisation.pk)
    # The summaries and the cards written from them are kept under the members' version.
    version = selectors.cohort_members_version()
    return render(request, "matching/provider_cohorts.html", {
        "organisation": organisation, "requests": requests, "members_version": version,
        "summaries": selectors.provider_request_summaries(organisation.pk, requests,
                                                          version=version),
    })


@login_required
def provider_request(request: HttpRequest, pk: int) -> HttpResponse:
    cohort_request = selectors.cohort_request_for_provider(user=request.user, pk=pk)
    with_level_label(cohort_request.cohort)
    form = CohortResponseForm(
        request.POST or None,
        initial={"status": cohort_request.status if cohort_request.status != "sent" else None,
                 "response": cohort_request.response},
    )
    if request.method == "POST" and form.is_valid():
        services.cohort_request_respond(
            request_id=cohort_request.pk, status=form.cleaned_data["status"],
            response=form.cleaned_data["response"], by=request.user,
        )
        messages.success(request, gettext("Thank you for your answer."))
        return redirect("matching:provider_cohorts")
    return render(request, "matching/provider_request.html", {
        "request_obj": cohort_request,
        "cohort": cohort_request.cohort,
        "summary": selectors.cohort_provider_summary(cohort_request.cohort),
        "form": form,
    }, status=400 if request.method == "POST" else 200)


@login_required
def provider_demand(request: HttpRequest) -> HttpResponse:
    """Demand for the provider's offers, anonymised, and open cohorts in its areas."""
    from ..demand import MIN_BUSINESSES, provider_offer_demand, provider_open_cohorts

    organisation = access.require_active_organisation(request, "provider")
    cohorts = list(provider_open_cohorts(organisation)[:50])
    for cohort in cohorts:
        with_level_label(cohort)
    return render(request, "matching/provider_demand.html", {
        "organisation": organisation, "demand": provider_offer_demand(organisation),
        "cohorts": cohorts, "min_businesses": MIN_BUSINESSES,
    })
