"""The adviser's meeting pages: list, create (from a cohort, a provider's answer or needs),
change, invite, cancel, schedule the 1:1 meetings, decide join requests, record the outcome."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from matching.models import CohortRequest
from matching.selectors import cohort_for_adviser, cohort_members, cohort_request_for_adviser
from needs.models import Need
from portal import access
from portal.models import Organisation

from .. import outcome as outcome_service
from .. import selectors, services, slots
from ..forms import (
    AddInviteesForm,
    CommitmentFormSet,
    MeetingCreateForm,
    MeetingForm,
    NeedSearchForm,
    OutcomeForm,
)
from ..models import Invitation, Meeting, MeetingJoinRequest


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages) or gettext("That did not work.")


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    meetings = list(selectors.adviser_meetings(user=request.user))
    pending = dict(MeetingJoinRequest.objects.filter(
        status=MeetingJoinRequest.Status.PENDING).values_list("meeting_id")
        .annotate(n=Count("id")).order_by())
    for meeting in meetings:
        meeting.pending_joins = pending.get(meeting.pk, 0)
    return render(request, "matching/meetings/adviser_list.html", {"meetings": meetings})


def _source(request: HttpRequest) -> dict:
    """What the new meeting grows out of: a cohort, a provider's answer, or chosen needs."""
    params = request.GET
    source: dict = {"needs": Need.objects.none(), "providers": [], "cohort": None,
                    "cohort_request": None}
    if params.get("request", "").isdigit():
        cohort_request = cohort_request_for_adviser(user=request.user, pk=int(params["request"]))
        source["cohort_request"] = cohort_request
        source["cohort"] = cohort_request.cohort
        source["providers"] = [cohort_request.provider_id]
    elif params.get("cohort", "").isdigit():
        source["cohort"] = cohort_for_adviser(user=request.user, pk=int(params["cohort"]))
        source["providers"] = list(source["cohort"].requests.exclude(
            status=CohortRequest.Status.DECLINED).values_list("provider_id", flat=True))
    if source["cohort"] is not None:
        source["needs"] = cohort_members(source["cohort"], user=request.user)
    else:
        search = NeedSearchForm(params or None)
        source["search"] = search
        if search.is_valid() and (search.cleaned_data["area"]
                                  or search.cleaned_data["municipality"]):
            needs = access.restrict_to_scope(
                Need.objects.filter(status__in=Need.MATCHABLE).select_related(
                    "organisation", "area"), request.user, "organisation__municipality")
            code = search.cleaned_data["area"].strip()
            if code:
                needs = needs.filter(area__code__startswith=code.split(".")[0]).filter(
                    area__code__startswith=code)
            if search.cleaned_data["municipality"]:
                needs = needs.filter(
                    organisation__municipality=search.cleaned_data["municipality"])
            source["needs"] = needs.order_by("organisation__name", "pk")[:200]
    return source


def _invitee_queryset(needs, provider_ids):
    """The needs' businesses, and every provider."""
    business_ids = {need.organisation_id for need in needs}
    return Organisation.objects.filter(
        Q(pk__in=business_ids | set(provider_ids)) | Q(kind=Organisation.Kind.PROVIDER)
    ).select_related("municipality")


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    access.require_adviser(request.user)
    source = _source(request)
    needs = list(source["needs"])
    need_qs = Need.objects.filter(pk__in=[n.pk for n in needs]).select_related(
        "organisation", "area").order_by("organisation__name", "pk")
    invitee_qs = _invitee_queryset(needs, source["providers"]).distinct().order_by("kind", "name")
    cohort = source["cohort"]
    initial = {
        "needs": [n.pk for n in needs],
        "invitees": sorted({n.organisation_id for n in needs} | set(source["providers"])),
        "duration_minutes": 120,
        "starts_at": (timezone.localtime() + dt.timedelta(days=21)).replace(
            hour=10, minute=0, second=0, microsecond=0),
    }
    if cohort is not None:
        initial["title"] = gettext("Meeting place: %(area)s") % {"area": cohort.area.label}
        initial["municipality"] = cohort.anchor_municipality_id
    form = MeetingCreateForm(request.POST or None, initial=initial, needs_qs=need_qs,
                             invitee_qs=invitee_qs)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        try:
            meeting = services.meeting_create(
                data=data, invitee_ids=[o.pk for o in form.cleaned_data["invitees"]],
                need_ids=[n.pk for n in form.cleaned_data["needs"]],
                cohort_id=cohort.pk if cohort else None,
                cohort_request_id=source["cohort_request"].pk if source["cohort_request"]
                else None, by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, gettext(
                "The meeting is saved as a draft. Check it, then send the invitations."))
            return redirect("meetings:manage", pk=meeting.pk)
    return render(request, "matching/meetings/meeting_form.html", {
        "form": form, "source": source, "creating": True,
    }, status=400 if request.method == "POST" else 200)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_adviser(user=request.user, pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        try:
            services.meeting_update(meeting_id=meeting.pk, data=data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, gettext("The meeting was saved."))
            return redirect("meetings:manage", pk=meeting.pk)
    return render(request, "matching/meetings/meeting_form.html", {
        "form": form, "meeting": meeting, "creating": False,
    }, status=400 if request.method == "POST" else 200)


def _render_manage(request, meeting, *, add_form=None, status=200):
    invitations = list(meeting.invitations.select_related("organisation__municipality")
                       .order_by("organisation__kind", "organisation__name"))
    named = selectors.named_business_ids(meeting)
    for inv in invitations:
        inv.named = inv.organisation.kind == Organisation.Kind.PROVIDER or (
            inv.organisation_id in named)
    return render(request, "matching/meetings/manage.html", {
        "meeting": meeting,
        "invitations": invitations,
        "coming": sum(inv.headcount for inv in invitations if inv.reply == Invitation.Reply.YES),
        "add_form": add_form or AddInviteesForm(meeting=meeting, user=request.user),
        "join_requests": selectors.pending_join_requests(meeting),
        "slot_requests": meeting.slot_requests.select_related("requester", "invitee"),
        "needs": selectors.meeting_needs(meeting),
        "pooled": selectors.pooled_need(meeting),
        "editable": meeting.status in (Meeting.Status.DRAFT, Meeting.Status.INVITED),
        "started": meeting.starts_at <= timezone.now(),
    }, status=status)


@login_required
def meeting_manage(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_manage(request, selectors.meeting_for_adviser(user=request.user, pk=pk))


def _run(request, pk: int, call, success: str):
    meeting = selectors.meeting_for_adviser(user=request.user, pk=pk)
    try:
        result = call(meeting)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, success.format(result=result))
    return redirect("meetings:manage", pk=meeting.pk)


@login_required
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, lambda m: services.meeting_invite(meeting_id=m.pk),
                gettext("Invitations are on their way ({result})."))


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, lambda m: services.meeting_cancel(meeting_id=m.pk),
                gettext("The meeting is cancelled; the invitees are told."))


@login_required
@require_POST
def meeting_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    def call(meeting):
        result = slots.meeting_schedule_slots(meeting_id=meeting.pk)
        return gettext("%(scheduled)d scheduled, %(unscheduled)d did not fit") % {
            "scheduled": result.scheduled, "unscheduled": result.unscheduled}

    return _run(request, pk, call, gettext("1:1 meetings scheduled: {result}."))


@login_required
@require_POST
def meeting_add_invitees(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_adviser(user=request.user, pk=pk)
    form = AddInviteesForm(request.POST, meeting=meeting, user=request.user)
    if not form.is_valid():
        return _render_manage(request, meeting, add_form=form, status=400)
    try:
        count = services.meeting_add_invitees(
            meeting_id=meeting.pk, organisation_ids=[o.pk for o in form.cleaned_data[
                "organisations"]])
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, gettext("%(count)d invited.") % {"count": count})
    return redirect("meetings:manage", pk=meeting.pk)


@login_required
@require_POST
def join_decide(request: HttpRequest, pk: int) -> HttpResponse:
    join = selectors.meeting_join_request_for_adviser(user=request.user, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, gettext("Choose approve or reject."))
        return redirect("meetings:manage", pk=join.meeting_id)
    return _run(request, join.meeting_id, lambda m: services.meeting_join_request_decide(
        request_id=join.pk, approve=decision == "approve", by=request.user),
        gettext("The request was answered."))


@login_required
def meeting_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_for_adviser(user=request.user, pk=pk)
    invitations = list(meeting.invitations.select_related("organisation").order_by(
        "organisation__name"))
    providers = [inv.organisation for inv in invitations
                 if inv.organisation.kind == Organisation.Kind.PROVIDER]
    existing = getattr(meeting, "outcome", None) if hasattr(meeting, "outcome") else None
    initial = {"notes": existing.notes if existing else "",
               "attended": [str(inv.pk) for inv in invitations
                            if inv.attended or (inv.attended is None
                                                and inv.reply == Invitation.Reply.YES)],
               "send_summary": meeting.summary_sent_at is None}
    form = OutcomeForm(request.POST or None, invitations=invitations, initial=initial)
    formset = CommitmentFormSet(request.POST or None, prefix="commit",
                                form_kwargs={"providers": providers})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        items = [outcome_service.CommitmentInput(
            provider_id=int(f.cleaned_data["provider"]),
            what=f.cleaned_data["what"] or "", offer_id=int(f.cleaned_data["offer"])
            if f.cleaned_data.get("offer") else None, start_date=f.cleaned_data["start_date"],
            price_nok=f.cleaned_data["price_nok"])
            for f in formset if f.cleaned_data.get("provider")]
        for item in items:
            if not item.what and item.offer_id:
                item.what = next((label for value, label in formset.forms[0].fields[
                    "offer"].choices if value == str(item.offer_id)), "")
        try:
            outcome_service.meeting_record_outcome(
                meeting_id=meeting.pk, notes=form.cleaned_data["notes"],
                attended_ids=[int(pk) for pk in form.cleaned_data["attended"]],
                commitments=items, send_summary=form.cleaned_data["send_summary"],
                by=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, gettext("The outcome is saved."))
            return redirect("meetings:manage", pk=meeting.pk)
    return render(request, "matching/meetings/outcome.html", {
        "meeting": meeting, "form": form, "formset": formset,
        "commitments": meeting.commitments.select_related("provider", "offer"),
    }, status=400 if request.method == "POST" else 200)
