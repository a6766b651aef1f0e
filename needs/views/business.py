"""The business's pages: its needs, and the yearly survey in five steps.

Each page starts with one line that fetches its object AND checks access (selectors raise 404
for other organisations' objects). Each survey step is a normal POST form that saves and
redirects, so the browser's back button and a reload never lose or repeat anything.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import access
from portal.models import Organisation

from .. import selectors, services
from ..forms import NeedForm


def business_for_request(request: HttpRequest) -> Organisation:
    return access.require_active_organisation(request, Organisation.Kind.BUSINESS)


def form_errors_to(form, exc: ValidationError) -> None:
    """Puts a service's errors next to the form's fields (or on top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- the business's page -----------------------------------------------------------------


@login_required
def business_home(request: HttpRequest) -> HttpResponse:
    org = business_for_request(request)
    state = selectors.survey_state(org)
    return render(request, "needs/business_home.html", {
        "organisation": org,
        "groups": selectors.needs_grouped_by_status(org),
        "current_round": state.current_round,
        "draft": state.draft,
        "answered": state.answered,
    })


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_for_user(user=request.user, pk=pk)
    return render(request, "needs/need_detail.html", {
        "need": need,
        "can_edit": access.can_edit_organisation_data(request.user, need.organisation),
    })


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    org = business_for_request(request)
    form = NeedForm(request.POST or None, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_create(organisation=org, data=form.need_data(), by=request.user,
                                        submit=request.POST.get("action") == "submit")
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("The need has been saved."))
            return redirect("needs:need_detail", pk=need.pk)
    return render(request, "needs/need_form.html", {"form": form, "organisation": org,
                                                    "is_new": True})


@login_required
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_for_member(user=request.user, pk=pk)
    if need.status not in services.needs.EDITABLE_STATUSES:
        messages.error(request, _("This need can no longer be changed."))
        return redirect("needs:need_detail", pk=need.pk)
    form = NeedForm(request.POST or None, instance=need, organisation=need.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(need=need, data=form.need_data(), by=request.user)
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            messages.success(request, _("The need has been updated."))
            return redirect("needs:need_detail", pk=need.pk)
    return render(request, "needs/need_form.html", {"form": form, "need": need,
                                                    "organisation": need.organisation})


@login_required
@require_POST
def need_submit(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_for_member(user=request.user, pk=pk)
    try:
        services.need_submit(need=need, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("needs:need_edit", pk=need.pk)
    messages.success(request, _("The need has been submitted."))
    return redirect("needs:need_detail", pk=need.pk)


@login_required
def need_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    need = selectors.need_for_member(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.need_withdraw(need=need)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The need has been withdrawn."))
        return redirect("needs:business_home")
    return render(request, "needs/need_withdraw.html", {"need": need})


@login_required
@require_GET
def area_search(request: HttpRequest) -> HttpResponse:
    """The picker's search: `<option>`s grouped by top area, swapped into the `<select>`."""
    if not (access.is_adviser(request.user) or access.organisations_for_user(user=request.user)
            .exists()):
        raise Http404
    query = request.GET.get("area_q", request.GET.get("q", ""))[:100]
    areas = selectors.area_search(query, get_language())
    selected = request.GET.get("area", "")
    return render(request, "needs/_area_options.html", {
        "groups": selectors.area_groups(areas) if areas else [],
        "selected": selected, "query": query,
    })


# --- the survey --------------------------------------------------------------------------
