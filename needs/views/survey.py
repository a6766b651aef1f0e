"""The yearly survey in the browser: its steps, the needs added, edited and deleted in it
(split from `needs.views.business`, the business's own pages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal import access
from portal.filter_forms import prefilled_fields_html, reference_names

from .. import selectors, services
from ..forms import ConsentForm, NeedForm, OutcomeForm, OverallForm, ProfileForm
from ..models import Need, SurveyResponse
from ..services.survey import STEPS
from .business import business_for_request, form_errors_to

NEEDS_EXPECTED = (SurveyResponse.OverallNeed.SOME, SurveyResponse.OverallNeed.LARGE)

STEP_TITLES = {
    1: gettext_lazy("Your business"),
    2: gettext_lazy("The overall picture"),
    3: gettext_lazy("Your needs"),
    4: gettext_lazy("Consent"),
    5: gettext_lazy("Review and submit"),
}


@login_required
def survey_start(request: HttpRequest) -> HttpResponse:
    org = business_for_request(request)
    current_round = selectors.round_current()
    if request.method == "POST":
        response = services.survey_response_start(organisation=org, round=current_round,
                                                  by=request.user)
        if response.status == SurveyResponse.Status.SUBMITTED:
            messages.info(request, _("You have already answered this round."))
            return redirect("needs:business_home")
        return redirect("needs:survey_step", rid=response.pk, step=response.step)
    existing = selectors.responses_for_organisation(org).filter(round=current_round).first()
    return render(request, "needs/survey_start.html", {
        "organisation": org, "round": current_round, "existing": existing,
    })


def _steps(response: SurveyResponse, current: int) -> list[dict]:
    return [{"number": n, "title": STEP_TITLES[n], "current": n == current,
             "done": n < response.step and n != current, "reachable": n <= response.step}
            for n in range(1, STEPS + 1)]


def _next_url(response: SurveyResponse, step: int, action: str) -> str:
    """Where a step's buttons lead after saving: back, next, or a step in the progress bar
    ("goto-N"), so even jumping around through the progress bar keeps what was typed."""
    target = step - 1 if action == "back" else step + 1
    if action.startswith("goto-") and action[5:].isdigit():
        target = min(int(action[5:]), max(response.step, step))
    target = max(1, min(STEPS, target))
    return reverse("needs:survey_step", kwargs={"rid": response.pk, "step": target})


@login_required
def survey_step(request: HttpRequest, rid: int, step: int) -> HttpResponse:
    response = selectors.response_for_member(user=request.user, pk=rid)
    handler = STEP_HANDLERS.get(step)
    if handler is None:
        raise Http404
    if response.status == SurveyResponse.Status.SUBMITTED:
        return render(request, "needs/survey_done.html", {
            "response": response, "needs": selectors.response_needs(response)})
    context: dict = {"response": response, "organisation": response.organisation, "step": step,
                     "steps": _steps(response, step), "step_title": STEP_TITLES[step],
                     "in_form": True}
    return handler(request, response, context, request.POST.get("action", "next"))


StepHandler = Callable[[HttpRequest, SurveyResponse, dict, str], HttpResponse]


def _form_step(step: int, make_form: Callable[[HttpRequest, SurveyResponse], Any],
               data_of: Callable[[Any], dict]) -> StepHandler:
    """A step that is one form: show it, and on POST save it through the survey service."""

    def handler(request: HttpRequest, response: SurveyResponse, context: dict,
                action: str) -> HttpResponse:
        form = context["form"] = make_form(request, response)
        if request.method == "POST" and form.is_valid():
            try:
                services.survey_response_save_step(response=response, step=step,
                                                   data=data_of(form))
            except ValidationError as exc:
                form_errors_to(form, exc)
            else:
                return redirect(_next_url(response, step, action))
        elif request.method == "POST" and action == "back":
            # Going back with an invalid form keeps nothing half-saved; the previous step is
            # already stored.
            return redirect(_next_url(response, step, action))
        if not form.is_bound:
            # Nothing but the stored answers to show: the same fields for everyone who gave
            # them, written once per process (a bound form shows its errors, written anew).
            context["fields_html"] = list(prefilled_fields_html(form, *form.fields).values())
        return render(request, "needs/survey_step.html", context)

    return handler


def _survey_needs_step(request: HttpRequest, response: SurveyResponse, context: dict,
                       action: str) -> HttpResponse:
    needs, earlier = selectors.response_needs_and_earlier(response)
    offers = selectors.outcome_offer_choices_for(earlier)
    forms_by_need = [
        (need, OutcomeForm(request.POST or None, prefix=f"need-{need.pk}", offers=offers[need.pk],
                           initial={"outcome": need.outcome, "offer": need.outcome_offer_id,
                                    "note": need.outcome_note}))
        for need in earlier
    ]
    # Someone who said the business has an unmet need must add one or say so explicitly.
    asks_for_needs = (response.overall_need in NEEDS_EXPECTED and not needs)
    needs_later = request.POST.get("needs_later") == "1" if request.method == "POST" \
        else response.needs_later
    if request.method == "POST" and all(form.is_valid() for _, form in forms_by_need):
        if action == "next" and asks_for_needs and not needs_later:
            context["extra_errors"] = [{"href": "#add-need", "message": _(
                "You said the business has an unmet need: add at least one need, or "
                "confirm that you will describe it later.")}]
        else:
            answers = [{"need": need, "outcome": form.cleaned_data["outcome"],
                        "offer_id": form.cleaned_data["offer"],
                        "note": form.cleaned_data["note"]} for need, form in forms_by_need]
            data = {"outcomes": answers, "needs_later": asks_for_needs and needs_later}
            services.survey_response_save_step(response=response, step=3, data=data)
            if action == "add":
                return redirect("needs:survey_need_add", rid=response.pk)
            return redirect(_next_url(response, 3, action))
    # Each earlier need with its form, and the form's fields already written when it shows
    # no more than the stored answer.
    outcome_forms = [(need, form, None if form.is_bound else _outcome_fields_html(
        form, offers[need.pk])) for need, form in forms_by_need]
    context.update({"needs": needs, "outcome_forms": outcome_forms,
                    "asks_for_needs": asks_for_needs, "needs_later": needs_later})
    return render(request, "needs/survey_step.html", context,
                  status=400 if context.get("extra_errors") else 200)


OUTCOME_PLACEHOLDER = "need-outcome-placeholder"


def _outcome_fields_html(form: OutcomeForm, offers: list) -> dict[str, str]:
    """The unbound fields asking about one earlier need, written once per process for every
    need with the same answer and list of courses: under a placeholder prefix, which only the
    fields' names and ids carry, then swapped for this need's."""
    shared = OutcomeForm(prefix=OUTCOME_PLACEHOLDER, offers=offers, initial=form.initial)
    fields = prefilled_fields_html(shared, *form.fields, choices_key=tuple(offers))
    # The prefix is letters and digits, the rest of the markup was escaped already.
    return {name: mark_safe(html.replace(OUTCOME_PLACEHOLDER, form.prefix))
            for name, html in fields.items()}


def _survey_review_step(request: HttpRequest, response: SurveyResponse, context: dict,
                        action: str) -> HttpResponse:
    if request.method == "POST":
        if action == "back" or action.startswith("goto-"):
            return redirect(_next_url(response, 5, action))
        try:
            services.survey_response_submit(response=response, by=request.user)
        except ValidationError as exc:
            context["extra_errors"] = _submit_errors(response, exc)
        else:
            messages.success(request, _("Thank you! Your answer has been submitted."))
            return redirect("needs:business_home")
    context.update({"needs": selectors.response_needs(response),
                    "municipality_name": reference_names().municipalities.get(
                        response.organisation.municipality_id, "")})
    return render(request, "needs/survey_step.html", context, status=400 if
                  context.get("extra_errors") else 200)


# Which step answers each of the submit check's fields: the error summary links there.
SUBMIT_ERROR_STEPS = {"overall_need": 2, "consent": 4}


def _submit_errors(response: SurveyResponse, exc: ValidationError) -> list[dict]:
    errors = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    return [{"href": reverse("needs:survey_step", kwargs={
                "rid": response.pk, "step": SUBMIT_ERROR_STEPS.get(field or "", 3)}),
             "message": message}
            for field, messages_ in errors for message in messages_]


def _profile_form(request: HttpRequest, response: SurveyResponse) -> ProfileForm:
    form = ProfileForm(request.POST or None, instance=response.organisation)
    if not access.is_org_admin(request.user, response.organisation):
        # Only administrators change who the organisation's contact is (providers see it
        # under named consent); a plain member answers the rest of the survey.
        for name in ("contact_name", "contact_email", "contact_phone"):
            form.fields[name].disabled = True
    return form


# Which page each of the five steps is: three plain forms, the needs loop, the review.
STEP_HANDLERS: dict[int, StepHandler] = {
    1: _form_step(1, lambda request, response: _profile_form(request, response),
        lambda form: {k: form.cleaned_data.get(k) for k in form.Meta.fields}),
    2: _form_step(2, lambda request, response: OverallForm(request.POST or None, initial={
        "overall_need": response.overall_need, "measures": response.measures,
        "barriers": response.barriers}), lambda form: form.cleaned_data),
    3: _survey_needs_step,
    4: _form_step(4, lambda request, response: ConsentForm(
        request.POST or None, initial={"consent": response.consent}),
        lambda form: form.cleaned_data),
    5: _survey_review_step,
}
assert len(STEP_HANDLERS) == STEPS


def _response_need(request: HttpRequest, rid: int, pk: int) -> tuple[SurveyResponse, Need]:
    response = selectors.response_for_member(user=request.user, pk=rid)
    need = response.needs.select_related("area").filter(pk=pk).first()
    if need is None:
        raise Http404
    return response, need


@login_required
def survey_need_add(request: HttpRequest, rid: int) -> HttpResponse:
    response = selectors.response_for_member(user=request.user, pk=rid)
    if response.status != SurveyResponse.Status.DRAFT:
        return redirect("needs:survey_step", rid=response.pk, step=STEPS)
    form = NeedForm(request.POST or None, organisation=response.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_create(organisation=response.organisation, data=form.need_data(),
                                 by=request.user, response=response)
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            return redirect("needs:survey_step", rid=response.pk, step=3)
    return render(request, "needs/need_form.html", {
        "form": form, "organisation": response.organisation, "response": response,
        "is_new": True, "steps": _steps(response, 3)})


@login_required
def survey_need_edit(request: HttpRequest, rid: int, pk: int) -> HttpResponse:
    response, need = _response_need(request, rid, pk)
    if response.status != SurveyResponse.Status.DRAFT:
        return redirect("needs:need_edit", pk=need.pk)
    form = NeedForm(request.POST or None, instance=need, organisation=response.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(need=need, data=form.need_data(), by=request.user)
        except ValidationError as exc:
            form_errors_to(form, exc)
        else:
            return redirect("needs:survey_step", rid=response.pk, step=3)
    return render(request, "needs/need_form.html", {
        "form": form, "organisation": response.organisation, "response": response,
        "need": need, "steps": _steps(response, 3)})


@login_required
@require_POST
def survey_need_delete(request: HttpRequest, rid: int, pk: int) -> HttpResponse:
    response, need = _response_need(request, rid, pk)
    try:
        services.need_delete_draft(need=need)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("needs:survey_step", rid=response.pk, step=3)
