"""Reads for the meeting pages and e-mails, with the access and consent rules in one place.

Consent: a business is named to others (providers, other businesses) only if it agreed to be
named — the consent of its needs in the meeting ("Providers may contact us by name"), or, for a
business that joined without a need in the meeting, of its latest survey answer. Everyone else
is shown as counts per municipality ("3 bedrifter i Vinje, 12 deltakere"). The adviser and the
business itself always see its name.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from needs.models import Need, SurveyResponse
from offers.models import Offer
from portal import access
from portal.choices import Level
from portal.models import Organisation, User

from .models import Invitation, Meeting, MeetingJoinRequest, SlotRequest

NAMED = SurveyResponse.Consent.NAMED
COMING = (Invitation.Reply.YES, Invitation.Reply.MAYBE)


# --- access: fetch the object and check the caller may see it, in one call ------------------


def _meetings_in_scope(qs: QuerySet[Meeting], *, user: User) -> QuerySet[Meeting]:
    """A scoped adviser handles the meetings held in their municipalities and those they
    created themselves (an online meeting has no municipality)."""
    scope = access.adviser_scope(user)
    if scope is None:
        return qs
    return qs.filter(Q(municipality__code__in=sorted(scope)) | Q(created_by=user))


def meeting_for_adviser(*, user: User, pk: int) -> Meeting:
    """A meeting the adviser may manage: 403 for anyone else, 404 outside their scope."""
    access.require_adviser(user)
    return get_object_or_404(_meetings_in_scope(
        Meeting.objects.select_related("municipality", "cohort__area"), user=user), pk=pk)


def invitation_for_member(*, user: User, pk: int) -> Invitation:
    """The invitation of one of the user's organisations to the meeting `pk`; else a 404."""
    invitation = (
        # `meeting__pk`, not `meeting_id`: Django's check of an id no column can hold (a
        # 404, where SQLite's driver would overflow) applies to the key, not the foreign key.
        Invitation.objects.filter(meeting__pk=pk,
                                  organisation__in=access.organisations_for_user(user=user))
        .select_related("meeting__municipality", "meeting__cohort__area", "organisation")
        .order_by("pk").first()
    )
    if invitation is None or invitation.meeting.status == Meeting.Status.DRAFT:
        raise Http404
    return invitation


def slot_request_for_participant(*, user: User, pk: int) -> tuple[SlotRequest, Organisation]:
    """A 1:1 request between one of the user's organisations and another participant, with
    that organisation (the asked one, if the user belongs to both); 404 for anyone else's."""
    mine = access.organisations_for_user(user=user)
    found = SlotRequest.objects.filter(Q(invitee__in=mine) | Q(requester__in=mine), pk=pk).exclude(
        meeting__status=Meeting.Status.DRAFT).select_related("meeting", "invitee",
                                                             "requester").first()
    if found is None:
        raise Http404
    own = set(mine.values_list("pk", flat=True))
    return found, found.invitee if found.invitee_id in own else found.requester


def meeting_join_request_for_adviser(*, user: User, pk: int) -> MeetingJoinRequest:
    """A business's request to join a public meeting: for advisers, who decide it (404 for a
    meeting outside their scope)."""
    access.require_adviser(user)
    return get_object_or_404(MeetingJoinRequest.objects.select_related("meeting").filter(
        meeting__in=_meetings_in_scope(Meeting.objects.all(), user=user)), pk=pk)


def invitations_for_user(*, user: User) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(organisation__in=access.organisations_for_user(user=user))
        .exclude(meeting__status=Meeting.Status.DRAFT)
        .select_related("meeting__municipality", "organisation")
        .order_by("-meeting__starts_at", "pk")
    )


def public_meeting(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.upcoming_public(timezone.now()).select_related("municipality"), pk=pk)


def adviser_meetings(*, user: User) -> QuerySet[Meeting]:
    """The meetings in the adviser's scope (every one for a county adviser)."""
    return _meetings_in_scope(Meeting.objects.select_related("municipality", "cohort__area"),
                              user=user).order_by("-starts_at", "-pk")


def upcoming_public_meetings(*, municipality_code: str = "") -> QuerySet[Meeting]:
    qs = Meeting.objects.upcoming_public(timezone.now()).select_related("municipality")
    if municipality_code:
        qs = qs.filter(municipality__code=municipality_code)
    return qs.order_by("starts_at", "pk")


def pending_join_requests(meeting: Meeting) -> QuerySet[MeetingJoinRequest]:
    return meeting.join_requests.filter(status=MeetingJoinRequest.Status.PENDING).select_related(
        "organisation__municipality", "user")


# --- consent ----------------------------------------------------------------------------------


def named_business_ids(meeting: Meeting) -> set[int]:
    """Invited businesses that agreed to be named (see the module docstring)."""
    invited = list(meeting.invitations.filter(
        organisation__kind=Organisation.Kind.BUSINESS).values_list("organisation_id", flat=True))
    with_needs = dict.fromkeys(invited, False)
    for org_id, consent in meeting.needs.filter(organisation_id__in=invited).values_list(
            "organisation_id", "response__consent"):
        with_needs[org_id] = with_needs[org_id] or consent == NAMED
    covered = set(meeting.needs.values_list("organisation_id", flat=True))
    named = {org_id for org_id, ok in with_needs.items() if ok}
    for org_id in set(invited) - covered:
        latest = (SurveyResponse.objects.filter(organisation_id=org_id)
                  .exclude(status=SurveyResponse.Status.DRAFT)
                  .order_by("-created_at", "-pk").values_list("consent", flat=True).first())
        if latest == NAMED:
            named.add(org_id)
    return named


@dataclass
class Attendee:
    name: str
    kind: str
    municipality: str
    reply: str
    reply_label: str
    headcount: int
    organisation_id: int


@dataclass
class AnonymousGroup:
    municipality: str
    businesses: int = 0
    participants: int = 0


@dataclass
class WhoComes:
    providers: list[Attendee] = field(default_factory=list)
    businesses: list[Attendee] = field(default_factory=list)
    anonymous: list[AnonymousGroup] = field(default_factory=list)
    not_replied: int = 0

    @property
    def anonymous_businesses(self) -> int:
        return sum(group.businesses for group in self.anonymous)


def who_comes(meeting: Meeting, *, viewer_org_id: int | None = None, adviser: bool = False,
              coming_only: bool = True, attended_only: bool = False) -> WhoComes:
    """Who comes (or, with `coming_only=False`, who is invited; with `attended_only`, who
    came), named only with consent.

    Anonymous businesses count with their head count once they replied, else with the
    participants of their needs in the meeting."""
    named = named_business_ids(meeting)
    need_participants = dict(
        meeting.needs.values_list("organisation_id").annotate(n=Sum("participants")).order_by())
    result = WhoComes()
    groups: dict[str, AnonymousGroup] = {}
    invitations = meeting.invitations.select_related("organisation__municipality").order_by(
        "organisation__name", "pk")
    for inv in invitations:
        if inv.reply == Invitation.Reply.PENDING:
            result.not_replied += 1
        if coming_only and inv.reply not in COMING:
            continue
        if attended_only and not inv.attended:
            continue
        org = inv.organisation
        place = org.municipality.name if org.municipality else "–"
        attendee = Attendee(name=org.name, kind=org.kind, municipality=place, reply=inv.reply,
                            reply_label=str(inv.get_reply_display()), headcount=inv.headcount,
                            organisation_id=org.pk)
        if org.kind == Organisation.Kind.PROVIDER:
            result.providers.append(attendee)
        elif adviser or org.pk in named or org.pk == viewer_org_id:
            result.businesses.append(attendee)
        else:
            group = groups.setdefault(place, AnonymousGroup(municipality=place))
            group.businesses += 1
            group.participants += (inv.headcount if inv.reply in COMING
                                   else need_participants.get(org.pk, 0))
    result.anonymous = [groups[name] for name in sorted(groups)]
    return result


# --- what the meeting is about -----------------------------------------------------------------


@dataclass
class PooledNeed:
    """The meeting's needs in plain language, without naming anyone."""

    areas: list[str] = field(default_factory=list)
    participants: int = 0
    businesses: int = 0
    window_start: dt.date | None = None
    window_end: dt.date | None = None
    levels: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)


def pooled_need(meeting: Meeting) -> PooledNeed:
    from portal.choices import Format

    needs = list(meeting.needs.select_related("area").order_by("pk"))
    result = PooledNeed()
    if not needs:
        return result
    result.participants = sum(n.participants for n in needs)
    result.businesses = len({n.organisation_id for n in needs})
    result.areas = sorted({n.area.label for n in needs})
    starts = [n.earliest_start for n in needs if n.earliest_start]
    ends = [n.latest_start for n in needs if n.latest_start]
    result.window_start = min(starts) if starts else None
    result.window_end = max(ends) if ends else None
    result.levels = [str(Level(v).label) for v in sorted({n.level for n in needs if n.level})]
    formats = sorted({f for n in needs for f in (n.formats or []) if f in Format.values})
    result.formats = [str(Format(v).label) for v in formats]
    # Titles only (descriptions can name the business); at most five.
    result.descriptions = sorted({n.title for n in needs if n.title})[:5]
    return result


def offers_on_the_table(meeting: Meeting) -> QuerySet[Offer]:
    """Published offers of the invited providers in the meeting's areas, plus committed ones."""
    providers = meeting.invitations.filter(
        organisation__kind=Organisation.Kind.PROVIDER).values("organisation_id")
    codes = set(meeting.needs.values_list("area__code", flat=True))
    if meeting.cohort_id:
        codes.add(meeting.cohort.area.code)
    tops = {code.split(".", 1)[0] for code in codes}
    in_area = Q(areas__code__in=codes | tops) | Q(areas__parent__code__in=tops)
    committed = meeting.commitments.exclude(offer=None).values("offer_id")
    return (
        Offer.objects.filter(
            (Q(provider__in=providers, status=Offer.Status.PUBLISHED) & in_area)
            | Q(pk__in=committed))
        .select_related("provider", "municipality").distinct().order_by("provider__name", "title")
    )


def meeting_needs(meeting: Meeting) -> QuerySet[Need]:
    return meeting.needs.select_related("organisation__municipality", "area", "response")


# --- 1:1 ---------------------------------------------------------------------------------------


def slot_requests_for(meeting: Meeting, organisation_id: int) -> QuerySet[SlotRequest]:
    return (
        meeting.slot_requests.filter(Q(requester_id=organisation_id)
                                     | Q(invitee_id=organisation_id))
        .select_related("requester", "invitee").order_by("slot", "pk")
    )


def slot_partners(meeting: Meeting, organisation: Organisation) -> list[Organisation]:
    """Whom this participant may ask for a 1:1: providers ask named businesses that come (or
    may come); businesses ask providers. Nobody is asked twice."""
    taken = set(meeting.slot_requests.filter(requester=organisation).values_list(
        "invitee_id", flat=True)) | set(meeting.slot_requests.filter(
            invitee=organisation).values_list("requester_id", flat=True))
    other_kind = (Organisation.Kind.BUSINESS if organisation.kind == Organisation.Kind.PROVIDER
                  else Organisation.Kind.PROVIDER)
    ids = set(meeting.invitations.filter(organisation__kind=other_kind).exclude(
        reply=Invitation.Reply.NO).values_list("organisation_id", flat=True))
    if other_kind == Organisation.Kind.BUSINESS:
        ids &= named_business_ids(meeting)
    return list(Organisation.objects.filter(pk__in=ids - taken).order_by("name"))


def slot_display_name(meeting: Meeting, organisation: Organisation, *, viewer_id: int,
                      named: set[int]) -> str:
    """The other party's name on a personal agenda (a business only with consent)."""
    from django.utils.translation import gettext

    if (organisation.kind == Organisation.Kind.PROVIDER or organisation.pk in named
            or organisation.pk == viewer_id):
        return organisation.name
    place = organisation.municipality.name if organisation.municipality else ""
    return gettext("A business in %(place)s") % {"place": place} if place else gettext(
        "A business")


@dataclass
class AgendaItem:
    start: dt.datetime
    end: dt.datetime
    slot: int
    table: int | None
    partner: str
    message: str


def personal_agenda(meeting: Meeting, organisation: Organisation) -> list[AgendaItem]:
    named = named_business_ids(meeting)
    times = meeting.slot_times()
    items = []
    for req in slot_requests_for(meeting, organisation.pk).filter(
            status=SlotRequest.Status.ACCEPTED, slot__isnull=False):
        if req.slot >= len(times):
            continue
        partner = req.invitee if req.requester_id == organisation.pk else req.requester
        start, end = times[req.slot]
        items.append(AgendaItem(start=start, end=end, slot=req.slot, table=req.table,
                                partner=slot_display_name(meeting, partner,
                                                          viewer_id=organisation.pk,
                                                          named=named),
                                message=req.message))
    return sorted(items, key=lambda item: item.slot)


def all_agendas(meeting: Meeting) -> list[tuple[Organisation, list[AgendaItem]]]:
    """The adviser's overview: every participant with a 1:1 meeting, with its agenda."""
    ids = set()
    for requester_id, invitee_id in meeting.slot_requests.filter(
            slot__isnull=False).values_list("requester_id", "invitee_id"):
        ids |= {requester_id, invitee_id}
    orgs = Organisation.objects.filter(pk__in=ids).select_related("municipality").order_by("name")
    groups: dict[int, list[AgendaItem]] = defaultdict(list)
    result = []
    for org in orgs:
        groups[org.pk] = personal_agenda(meeting, org)
        result.append((org, groups[org.pk]))
    return result
