"""A business's proposals: what the adviser sent, with accept/decline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from portal import access

from .. import selectors, services
from ..forms import DeclineForm
from ._common import explain, explain_reasons, offer_url


@login_required
def business_proposals(request: HttpRequest) -> HttpResponse:
    organisation = access.require_active_organisation(request, "business")
    # Plain rows (`selectors.ProposalRow`): not the offer's description, the need's thirty
    # columns or the provider's address, nor six models a card.
    matches = selectors.proposal_rows(selectors.business_matches(organisation))
    language = (get_language() or "nb")[:2]
    catalogue = offer_url(0)[:-2]  # "…/0/": one reverse for all the cards
    for match in matches:
        match.explanation = explain_reasons(match.reasons, language)
        match.offer_link = f"{catalogue}{match.offer_id}/"
    return render(request, "matching/business_proposals.html", {
        "organisation": organisation, "matches": matches, "decline_form": DeclineForm(),
    })


@login_required
@require_POST
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.match_for_business(user=request.user, pk=pk)
    try:
        services.match_accept(match_id=match.pk, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, gettext("Thank you! The adviser will follow up."))
    return redirect("matching:business_proposals")


@login_required
def proposal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the decline form on its own page; POST declines (also from the list page)."""
    match = selectors.match_for_business(user=request.user, pk=pk)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_decline(match_id=match.pk, reason=form.cleaned_data["reason"],
                                   note=form.cleaned_data["note"], by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, gettext("The proposal was declined."))
        return redirect("matching:business_proposals")
    return render(request, "matching/proposal_decline.html", {
        "match": match, "form": form, "explanation": explain(match),
    }, status=400 if request.method == "POST" else 200)




@login_required
def offer_interest(request: HttpRequest, pk: int) -> HttpResponse:
    """“Meld interesse” from an offer's page: start a need from the offer, or link a need."""
    from needs.selectors import needs_for_organisation
    from needs.services.needs import EDITABLE_STATUSES
    from offers.selectors import offer_public

    from ..interest import offer_interest_register

    organisation = access.require_active_organisation(request, "business")
    offer = offer_public(pk)
    open_needs = list(needs_for_organisation(organisation).filter(status__in=EDITABLE_STATUSES)
                      .order_by("-created_at"))
    error = ""
    if request.method == "POST":
        choice = request.POST.get("need", "")
        need = next((n for n in open_needs if str(n.pk) == choice), None)
        if choice != "new" and need is None:
            error = gettext("Choose a need, or start a new one from this course.")
        else:
            try:
                _interest, need = offer_interest_register(
                    organisation=organisation, offer=offer, need=need, by=request.user)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                if choice == "new":
                    messages.success(request, gettext(
                        "We started a need from the course. Add how many will take part and "
                        "when, then submit it; the adviser has been told."))
                    return redirect("needs:need_edit", pk=need.pk)
                messages.success(request, gettext(
                    "Thank you! The adviser has been told that “%(need)s” fits this course.")
                    % {"need": need})
                return redirect("offers:detail", pk=offer.pk)
    return render(request, "matching/offer_interest.html", {
        "organisation": organisation, "offer": offer, "open_needs": open_needs, "error": error,
    }, status=400 if error else 200)
