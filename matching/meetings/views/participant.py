"""Pages for the invited (meeting page, replies, 1:1 requests, personal agenda, .ics), the reply
links that work without login, and the public "Kommende møteplasser" listing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from portal import access
from portal.models import Municipality, Organisation

from .. import replies, selectors, services, slots
from ..forms import JoinRequestForm, ReplyForm, SlotRequestForm
from ..mail import calendar_file
from ..models import Invitation, Meeting


def _first(exc: ValidationError) -> str:
    return " ".join(exc.messages) or gettext("That did not work.")


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    invitations = list(selectors.invitations_for_user(user=request.user))
    now = timezone.now()
    return render(request, "matching/meetings/my_meetings.html", {
        "upcoming": [inv for inv in invitations if inv.meeting.ends_at >= now],
        "past": [inv for inv in invitations if inv.meeting.ends_at < now],
    })


def _detail_context(request, invitation: Invitation, *, reply_form=None, slot_form=None):
    meeting, org = invitation.meeting, invitation.organisation
    partners = selectors.slot_partners(meeting, org) if meeting.slot_count else []
    named = selectors.named_business_ids(meeting)
    slot_requests = list(selectors.slot_requests_for(meeting, org.pk))
    times = meeting.slot_times()
    for req in slot_requests:
        req.starts = times[req.slot][0] if req.slot is not None and req.slot < len(times) else None
        other = req.invitee if req.requester_id == org.pk else req.requester
        req.partner_name = selectors.slot_display_name(meeting, other, viewer_id=org.pk,
                                                       named=named)
        req.incoming = req.invitee_id == org.pk
    return {
        "meeting": meeting, "invitation": invitation, "organisation": org,
        "who": selectors.who_comes(meeting, viewer_org_id=org.pk),
        "pooled": selectors.pooled_need(meeting),
        "offers": selectors.offers_on_the_table(meeting),
        "agenda_lines": [line for line in meeting.agenda.splitlines() if line.strip()],
        "reply_form": reply_form or ReplyForm(initial={
            "reply": invitation.reply if invitation.reply in Invitation.ANSWERS else None,
            "headcount": invitation.headcount or 1}),
        "replies_open": replies.replies_open(meeting),
        "slot_form": slot_form or SlotRequestForm(partners=[(p.pk, p.name) for p in partners]),
        "partners": partners,
        "slot_requests": slot_requests,
        "agenda": selectors.personal_agenda(meeting, org),
    }


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting page for the invited; a public meeting shows its public face to anyone
    else (and a logged-in business can ask to join there)."""
    try:
        invitation = selectors.invitation_for_member(user=request.user, pk=pk)
    except Http404:
        if access.is_adviser(request.user):
            return redirect("meetings:manage",
                            pk=selectors.meeting_for_adviser(user=request.user, pk=pk).pk)
        return _public_page(request, selectors.public_meeting(pk))
    return render(request, "matching/meetings/detail.html", _detail_context(request, invitation))


@login_required
@require_POST
def meeting_reply(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_for_member(user=request.user, pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            replies.invitation_reply(invitation_id=invitation.pk, reply=form.cleaned_data["reply"],
                                     headcount=form.cleaned_data["headcount"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, gettext("Thank you, your reply is saved."))
            return redirect("meetings:detail", pk=pk)
    return render(request, "matching/meetings/detail.html",
                  _detail_context(request, invitation, reply_form=form), status=400)


@login_required
@require_POST
def slot_request(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_for_member(user=request.user, pk=pk)
    partners = selectors.slot_partners(invitation.meeting, invitation.organisation)
    form = SlotRequestForm(request.POST, partners=[(p.pk, p.name) for p in partners])
    if form.is_valid():
        try:
            slots.slot_request_create(meeting_id=pk, requester=invitation.organisation,
                                      invitee_id=int(form.cleaned_data["invitee"]),
                                      message=form.cleaned_data["message"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, gettext("Your request for a 1:1 meeting is sent."))
            return redirect("meetings:detail", pk=pk)
    return render(request, "matching/meetings/detail.html",
                  _detail_context(request, invitation, slot_form=form), status=400)


@login_required
@require_POST
def slot_answer(request: HttpRequest, pk: int) -> HttpResponse:
    req, organisation = selectors.slot_request_for_participant(user=request.user, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, gettext("Choose accept or decline."))
    else:
        try:
            slots.slot_request_answer(request_id=pk, organisation=organisation,
                                      accept=decision == "accept")
        except ValidationError as exc:
            messages.error(request, _first(exc))
        else:
            messages.success(request, gettext("Your answer is saved."))
    return redirect("meetings:detail", pk=req.meeting_id)


@login_required
def meeting_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_for_member(user=request.user, pk=pk)
    return render(request, "matching/meetings/agenda.html", {
        "meeting": invitation.meeting, "organisation": invitation.organisation,
        "agenda": selectors.personal_agenda(invitation.meeting, invitation.organisation),
        "agenda_lines": [line for line in invitation.meeting.agenda.splitlines() if line.strip()],
    })


@login_required
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    if access.is_adviser(request.user):
        meeting = selectors.meeting_for_adviser(user=request.user, pk=pk)
    else:
        meeting = selectors.invitation_for_member(user=request.user, pk=pk).meeting
    response = HttpResponse(calendar_file(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="moteplass-{meeting.pk}.ics"'
    return response


# --- reply links (no login) -------------------------------------------------------------------

LINK_ERRORS = {
    "invalid": (400, gettext_lazy(
        "This link is not valid. Check that you copied all of it, or log in to reply.")),
    "expired": (410, gettext_lazy(
        "This link has expired. Log in to reply, or ask the adviser for a new one.")),
    "used": (410, gettext_lazy(
        "This link has already been used. Use the newest link you got, or log in to change "
        "your reply.")),
    "closed": (410, gettext_lazy("Replies to this meeting are closed.")),
}


def token_reply(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the reply form (changing nothing), POST records the reply and uses up the link."""
    try:
        invitation = replies.invitation_from_token(token)
    except replies.ReplyLinkError as exc:
        status, text = LINK_ERRORS[exc.code]
        return render(request, "matching/meetings/link_refused.html",
                      {"reason": text, "code": exc.code}, status=status)
    answer = request.GET.get("svar", "")
    form = ReplyForm(request.POST or None, initial={
        "reply": answer if answer in Invitation.ANSWERS else None,
        "headcount": invitation.headcount or 1})
    if request.method == "POST" and form.is_valid():
        try:
            done = replies.invitation_reply(
                invitation_id=invitation.pk, reply=form.cleaned_data["reply"],
                headcount=form.cleaned_data["headcount"], nonce=invitation.token_nonce)
        except ValidationError as exc:
            if getattr(exc, "code", "") == "used":
                status, text = LINK_ERRORS["used"]
                return render(request, "matching/meetings/link_refused.html",
                              {"reason": text, "code": "used"}, status=status)
            form.add_error(None, exc.messages)
        else:
            return render(request, "matching/meetings/reply_done.html", {
                "invitation": done, "meeting": done.meeting,
                "change_link": request.build_absolute_uri(
                    request.path.replace(token, replies.reply_token(done))),
            })
    return render(request, "matching/meetings/reply_link.html", {
        "form": form, "invitation": invitation, "meeting": invitation.meeting,
    }, status=400 if request.method == "POST" else 200)


# --- public listing ----------------------------------------------------------------------------


def upcoming(request: HttpRequest, code: str = "") -> HttpResponse:
    """Kommende møteplasser: public meetings, grouped by municipality, or one municipality's."""
    municipality = None
    if code:
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise Http404
    meetings = list(selectors.upcoming_public_meetings(municipality_code=code))
    groups: dict[str, list[Meeting]] = {}
    for meeting in meetings:
        name = meeting.municipality.name if meeting.municipality else gettext("Online")
        groups.setdefault(name, []).append(meeting)
    return render(request, "matching/meetings/upcoming.html", {
        "municipality": municipality, "groups": sorted(groups.items()),
        "municipalities": Municipality.objects.filter(in_region=True).order_by("name"),
    })


def _public_page(request, meeting: Meeting, *, form=None, status: int = 200) -> HttpResponse:
    business = access.active_organisation(request, kind=Organisation.Kind.BUSINESS)
    pending = business is not None and meeting.join_requests.filter(
        organisation=business, status="pending").exists()
    return render(request, "matching/meetings/public_detail.html", {
        "meeting": meeting, "business": business, "pending": pending,
        "agenda_lines": [line for line in meeting.agenda.splitlines() if line.strip()],
        "form": form or JoinRequestForm(),
    }, status=status)


@login_required
@require_POST
def meeting_join(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.public_meeting(pk)
    business = access.require_active_organisation(request, Organisation.Kind.BUSINESS)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return _public_page(request, meeting, form=form, status=400)
    try:
        services.meeting_join_request_create(meeting_id=meeting.pk, organisation=business,
                                             by=request.user,
                                             message=form.cleaned_data["message"])
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _public_page(request, meeting, form=form, status=400)
    messages.success(request, gettext("Your request is sent. The adviser will answer you."))
    return redirect("meetings:detail", pk=meeting.pk)
